package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Super-resolution forward model on a (height, width) plane: each low-resolution pixel is the mean of
 * the factor x factor block of high-resolution pixels it covers (a detector that integrates over its
 * area; no boundary handling is needed because blocks tile the plane exactly). The adjoint spreads each
 * value evenly back over its block.
 */
public final class Downsample implements LinearOperator {
    private final int factor;
    private final Shape highRes;
    private final Shape lowRes;

    /** @param highRes (height, width) of x; both must be multiples of factor */
    public Downsample(Shape highRes, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be >= 1, got " + factor);
        }
        if (highRes.dimension() != 2 || highRes.get(0) % factor != 0 || highRes.get(1) % factor != 0) {
            throw new IllegalArgumentException("high-resolution shape " + highRes + " must be 2-D and a multiple of "
                    + "the scale factor " + factor);
        }
        this.factor = factor;
        this.highRes = highRes;
        this.lowRes = new Shape(highRes.get(0) / factor, highRes.get(1) / factor);
    }

    /** The operator that maps a (height*factor, width*factor) plane onto {@code lowRes}. */
    public static Downsample toLowRes(Shape lowRes, int factor) {
        return new Downsample(new Shape(lowRes.get(0) * factor, lowRes.get(1) * factor), factor);
    }

    public int factor() { return factor; }
    @Override public Shape inputShape() { return highRes; }
    @Override public Shape outputShape() { return lowRes; }

    @Override
    public NDArray apply(NDArray x) {
        // one axis at a time: the PyTorch engine reduces over a single axis per call
        try (NDArray blocks = x.reshape(lowRes.get(0), factor, lowRes.get(1), factor);
             NDArray columns = blocks.mean(new int[] {3})) {
            return columns.mean(new int[] {1});
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        try (NDArray rows = y.repeat(0, factor); NDArray spread = rows.repeat(1, factor)) {
            return spread.div((float) factor * factor);
        }
    }

    // each output pixel averages its own factor^2 inputs: A A^H = I / factor^2
    @Override public NDArray gramDiagonal(NDManager manager) { return manager.full(lowRes, (float) gramScalar()); }
    @Override public double gramScalar() { return 1.0 / (factor * factor); }
    // a low-resolution pixel sees only its own block
    @Override public String describe() { return "Downsample(" + factor + ") " + highRes + " -> " + lowRes; }
}
