package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Keeps the observed pixels and zeroes the missing ones: the forward model of inpainting, and of any
 * measurement with nodata/NaN pixels. Self-adjoint.
 */
public final class Mask implements LinearOperator {
    private final NDArray observed;

    /** @param observed 1 where a pixel was measured, 0 where it is missing; same shape as the image */
    public Mask(NDArray observed) {
        this.observed = observed;
    }

    @Override public Shape inputShape() { return observed.getShape(); }
    @Override public Shape outputShape() { return observed.getShape(); }
    @Override public NDArray apply(NDArray x) { return x.mul(observed); }
    @Override public NDArray applyAdjoint(NDArray y) { return y.mul(observed); }
    // observed is 0/1, so A A^H = diag(observed)
    @Override public NDArray gramDiagonal(NDManager manager) { return observed.duplicate(); }
    @Override public String describe() { return "Mask " + observed.getShape(); }

    /** The mask as host values (1 observed, 0 missing), for {@link HostOperator#of}. */
    float[] observedValues() { return observed.toFloatArray(); }
}
