package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** outer * inner: x -> outer(inner(x)); its adjoint is inner^H * outer^H. */
final class Composition implements LinearOperator {
    private final LinearOperator outer;
    private final LinearOperator inner;

    Composition(LinearOperator outer, LinearOperator inner) {
        if (!outer.inputShape().equals(inner.outputShape())) {
            throw new IllegalArgumentException("cannot compose " + outer.describe() + " after " + inner.describe()
                    + ": shapes differ");
        }
        this.outer = outer;
        this.inner = inner;
    }

    LinearOperator outer() { return outer; }
    LinearOperator inner() { return inner; }
    @Override public Shape inputShape() { return inner.inputShape(); }
    @Override public Shape outputShape() { return outer.outputShape(); }

    @Override
    public NDArray apply(NDArray x) {
        try (NDArray mid = inner.apply(x)) {
            return outer.apply(mid);
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        try (NDArray mid = outer.applyAdjoint(y)) {
            return inner.applyAdjoint(mid);
        }
    }

    /** (BC)(BC)^H = B (C C^H) B^H = c B B^H when C C^H = c I. */
    @Override
    public NDArray gramDiagonal(NDManager manager) {
        double c = inner.gramScalar();
        if (Double.isNaN(c)) {
            return null;
        }
        NDArray outerGram = outer.gramDiagonal(manager);
        if (outerGram == null) {
            return null;
        }
        try (outerGram) {
            return outerGram.mul(c);
        }
    }

    @Override
    public double gramScalar() {
        return outer.gramScalar() * inner.gramScalar();
    }

    @Override public String describe() { return outer.describe() + " * " + inner.describe(); }
}
