package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The adjoint A^H of an operator, as an operator whose own adjoint is A again. */
final class Adjoint implements LinearOperator {
    private final LinearOperator of;

    Adjoint(LinearOperator of) {
        this.of = of;
    }

    @Override public Shape inputShape() { return of.outputShape(); }
    @Override public Shape outputShape() { return of.inputShape(); }
    @Override public NDArray apply(NDArray x) { return of.applyAdjoint(x); }
    @Override public NDArray applyAdjoint(NDArray y) { return of.apply(y); }
    @Override public LinearOperator adjointOperator() { return of; }
    // a local map's transpose reaches exactly as far
    @Override public String describe() { return "Adjoint(" + of.describe() + ")"; }
}
