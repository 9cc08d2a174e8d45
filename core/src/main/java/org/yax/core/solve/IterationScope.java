package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keeps an iterative solver's memory flat: every array made during a step lives in the step's manager,
 * and {@link #endStep} moves the arrays that carry over into a fresh manager and frees the rest.
 * (DJL gives an op's result to its first operand's manager, so iterates must live here, not in the
 * caller's manager.)
 */
final class IterationScope implements AutoCloseable {
    private final NDManager parent;
    private NDManager current;

    IterationScope(NDManager parent) {
        this.parent = parent;
        this.current = parent.newSubManager();
    }

    NDManager manager() {
        return current;
    }

    /** Adopts an array made elsewhere (e.g. a starting point) into the current step. */
    NDArray adopt(NDArray a) {
        a.attach(current);
        return a;
    }

    void endStep(NDArray... carried) {
        NDManager next = parent.newSubManager();
        for (NDArray a : carried) {
            a.attach(next);
        }
        current.close();
        current = next;
    }

    /** Hands an array to the caller's manager before the scope closes. */
    NDArray release(NDArray a) {
        a.attach(parent);
        return a;
    }

    @Override
    public void close() {
        current.close();
    }
}
