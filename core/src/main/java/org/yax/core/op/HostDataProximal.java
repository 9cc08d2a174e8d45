package org.yax.core.op;

/**
 * The host form of a {@link DataProximal} operator: its closed-form data proximal step on host arrays.
 */
public interface HostDataProximal extends HostOperator {
    /** The data step of one solve: y and tau are fixed, so what depends on them alone is computed once. */
    @FunctionalInterface
    interface Step {
        /** out = v - argmin_x 1/2 ||A x - y||^2 + 1/(2 tau) ||x - v||^2 (what the data term takes off v). */
        void correction(float[] v, float[] out);
    }

    /** @param y the measurement (outputSize() values; read now and not kept) @param tau > 0 */
    Step proximal(float[] y, double tau);
}
