package org.yax.core.op;

import ai.djl.ndarray.types.Shape;

/**
 * A {@link LinearOperator} on host float arrays (row-major, the operator's shapes), for the CPU path of the
 * classical solvers: results go into arrays the caller owns (no allocation per call), work is split over lines
 * by {@link HostPool}, and every value is computed in the same order as the engine's operator computes it, so
 * the two agree to float rounding ({@code HostOperatorTest}). {@link #of} gives the host form of an operator,
 * or null when it has none (then the solver stays on the engine).
 */
public interface HostOperator {
    int inputSize();

    int outputSize();

    /** out = A x (out has outputSize() values; not x). */
    void apply(float[] x, float[] out);

    /** out = A^H y (out has inputSize() values; not y). */
    void applyAdjoint(float[] y, float[] out);

    /** A A^H as a diagonal (outputSize() values, not to be modified), or null when it is not diagonal. */
    float[] gramDiagonal();

    /** c when A A^H = c I, else NaN. */
    double gramScalar();

    /** Whether A = I (a solver may then fuse A z - y and A^H into the pass that needs them). */
    default boolean isIdentity() {
        return false;
    }

    /**
     * The host form of {@code a}: identity, mask, area and kernel (bicubic, Gaussian) downsampling, blur, Fourier
     * sampling of a real image ({@link HostDataProximal}) and compositions of them; else null.
     */
    static HostOperator of(LinearOperator a) {
        if (a instanceof Identity i) {
            return new HostOperators.Same(i.inputShape());
        }
        if (a instanceof Mask m) {
            return new HostOperators.Masking(m.inputShape(), m.observedValues());
        }
        if (a instanceof Downsample d) {
            return new HostOperators.BlockMean(d.inputShape(), d.factor());
        }
        if (a instanceof Blur b) {
            return b.hostForm();
        }
        if (a instanceof KernelDownsample k) {
            return k.hostForm();
        }
        if (a instanceof FourierSampling f && f.isRealImage()) {
            return new HostFourierSampling(f.mask());
        }
        if (a instanceof Composition c) {
            HostOperator outer = of(c.outer());
            HostOperator inner = of(c.inner());
            return outer == null || inner == null ? null : new HostOperators.Chain(outer, inner);
        }
        return null;
    }

    /** Number of values of a shape. */
    static int size(Shape s) {
        long n = s.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many values for a host array: " + s);
        }
        return (int) n;
    }
}
