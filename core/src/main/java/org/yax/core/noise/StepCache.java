package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import java.util.function.DoubleFunction;

/**
 * Keeps one array that depends on the solver's step size. Arrays made from y live in y's (long-lived)
 * manager, so making them anew in every iteration would pile them up there; solvers mostly keep the
 * step fixed, so one cached copy (replaced and freed when the step changes) keeps memory flat.
 */
final class StepCache implements AutoCloseable {
    private double step = Double.NaN;
    private NDArray value;

    NDArray get(double s, DoubleFunction<NDArray> make) {
        if (value == null || s != step) {
            close();
            value = make.apply(s);
            step = s;
        }
        return value;
    }

    @Override
    public void close() {
        if (value != null) {
            value.close();
            value = null;
        }
    }
}
