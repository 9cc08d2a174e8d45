package org.yax.core.op;

/**
 * The host form of a {@link DataProximal} operator: its closed-form data proximal step on host arrays.
 */
public interface HostDataProximal extends HostOperator {
    /** The data step of one solve: y is fixed, so what depends on it alone is computed once. */
    @FunctionalInterface
    interface Step {
        /**
         * out = v - argmin_x 1/2 ||A x - y||^2 + 1/(2 tau) ||x - v||^2 (what the data term takes off v).
         * @param tau > 0
         */
        void correction(float[] v, double tau, float[] out);
    }

    /** @param y the measurement (outputSize() values; read now and not kept) */
    Step proximal(float[] y);
}
