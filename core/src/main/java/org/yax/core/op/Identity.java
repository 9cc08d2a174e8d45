package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A = I: the forward model of denoising. */
public final class Identity implements LinearOperator {
    private final Shape shape;

    public Identity(Shape shape) {
        this.shape = shape;
    }

    @Override public Shape inputShape() { return shape; }
    @Override public Shape outputShape() { return shape; }
    // duplicate() so callers may close what an operator returns, as with every other operator
    @Override public NDArray apply(NDArray x) { return x.duplicate(); }
    @Override public NDArray applyAdjoint(NDArray y) { return y.duplicate(); }
    @Override public NDArray gramDiagonal(NDManager manager) { return manager.ones(shape); }
    @Override public double gramScalar() { return 1; }
    @Override public String describe() { return "Identity " + shape; }
}
