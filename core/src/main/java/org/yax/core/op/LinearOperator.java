package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A linear map A from arrays of {@link #inputShape()} to arrays of {@link #outputShape()}, with its
 * adjoint A^H. Shapes are checked at the boundary; operators compose like matrices.
 *
 * <p>Memory: results belong to the NDManager of the input array (DJL's rule for the first operand),
 * so callers control lifetimes by choosing where the input lives.
 */
public interface LinearOperator {
    Shape inputShape();

    Shape outputShape();

    /** y = A x, without checking the shape (see {@link #forward}). */
    NDArray apply(NDArray x);

    /** x = A^H y, without checking the shape (see {@link #adjoint}). */
    NDArray applyAdjoint(NDArray y);

    /** A x, with x's shape checked against {@link #inputShape()}. */
    default NDArray forward(NDArray x) {
        requireShape("input", inputShape(), x);
        return apply(x);
    }

    /** A^H y, with y's shape checked against {@link #outputShape()}. */
    default NDArray adjoint(NDArray y) {
        requireShape("adjoint input", outputShape(), y);
        return applyAdjoint(y);
    }

    /** A^H A x. */
    default NDArray normal(NDArray x) {
        requireShape("input", inputShape(), x);
        try (NDArray ax = apply(x)) {
            return applyAdjoint(ax);
        }
    }

    /**
     * A A^H when it is a diagonal matrix, as an array of {@link #outputShape()} made in {@code manager};
     * null otherwise. Solvers use it for the exact proximal step of 1/2 ||A x - y||^2.
     */
    default NDArray gramDiagonal(NDManager manager) {
        return null;
    }

    /** c when A A^H = c I, else NaN. */
    default double gramScalar() {
        return Double.NaN;
    }

    /** A^H as an operator in its own right. */
    default LinearOperator adjointOperator() {
        return new Adjoint(this);
    }

    /** This operator applied after {@code first}: (this * first) x = this(first(x)). */
    default LinearOperator after(LinearOperator first) {
        return new Composition(this, first);
    }

    /** Describes the operator and its shapes, e.g. "Downsample(2) (512, 512) -> (256, 256)". */
    default String describe() {
        return getClass().getSimpleName() + " " + inputShape() + " -> " + outputShape();
    }

    /** Operators work on float32 arrays of their stated shape: anything else is a caller's mistake. */
    static void requireShape(String what, Shape expected, NDArray actual) {
        if (actual.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(what + " data type " + actual.getDataType() + " is not float32");
        }
        if (!expected.equals(actual.getShape())) {
            throw new IllegalArgumentException(what + " shape " + actual.getShape() + " does not match the operator's "
                    + expected);
        }
    }
}
