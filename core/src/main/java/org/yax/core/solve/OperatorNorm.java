package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.yax.core.op.LinearOperator;

/** Estimates the spectral norm ||A|| by power iteration on A^H A (for solver step sizes). */
public final class OperatorNorm {
    private OperatorNorm() { }

    public static double estimate(LinearOperator a, NDManager manager, int iterations) {
        try (NDManager m = manager.newSubManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray v = m.randomNormal(a.inputShape());
            double lambda = 0;
            for (int i = 0; i < iterations; i++) {
                NDArray w = a.normal(v);
                double norm = w.norm().getFloat();
                if (norm == 0) {
                    return 0;
                }
                double vNorm = v.norm().getFloat();
                lambda = norm / vNorm;
                v = w.div(norm);
            }
            return Math.sqrt(lambda);
        }
    }
}
