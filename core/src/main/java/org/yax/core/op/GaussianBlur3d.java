package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * 3-D Gaussian blur of a (depth, height, width) volume: separable, one sampled 1-D Gaussian per axis (radius
 * int(4 sigma + 0.5), normalised, as scipy.ndimage.gaussian_filter), so the blur also mixes neighbouring
 * slices. Sigmas are in voxels per axis (anisotropic voxels need different sigmas). Boundary: symmetric
 * ("reflect") extension along every axis (period 2 * size, so thin stacks with few slices are fine); the adjoint is exact (see {@link ReflectConvolution}).
 */
public final class GaussianBlur3d implements LinearOperator {
    private final Shape volume;
    private final double[] sigmas;
    /** per axis (depth, height, width): the 1-D convolution, or null when sigma rounds to one tap */
    private final ReflectConvolution[] axes = new ReflectConvolution[3];

    /** Isotropic: the same sigma (voxels, >= 0) along depth, height and width. */
    public GaussianBlur3d(Shape volume, double sigmaVoxels) {
        this(volume, sigmaVoxels, sigmaVoxels, sigmaVoxels);
    }

    public GaussianBlur3d(Shape volume, double sigmaDepth, double sigmaHeight, double sigmaWidth) {
        if (volume == null || volume.dimension() != 3 || volume.size() < 1) {
            throw new IllegalArgumentException("volume shape must be 3-D (depth, height, width), got " + volume);
        }
        this.volume = volume;
        this.sigmas = new double[] {sigmaDepth, sigmaHeight, sigmaWidth};
        String[] names = {"sigmaDepth", "sigmaHeight", "sigmaWidth"};
        for (int a = 0; a < 3; a++) {
            float[] g = Kernels.gaussian1d(sigmas[a], names[a]);
            int r = g.length / 2;
            // the Gaussian is symmetric, so correlation and convolution agree
            if (r > 0) {
                axes[a] = a == 2
                        ? new ReflectConvolution(g, 1, g.length, new int[] {0, 0}, new int[] {r, r}, 1)
                        : new ReflectConvolution(g, g.length, 1, new int[] {r, r}, new int[] {0, 0}, 1);
            }
        }
    }

    @Override public Shape inputShape() { return volume; }
    @Override public Shape outputShape() { return volume; }

    @Override
    public NDArray apply(NDArray x) {
        NDArray v = x.duplicate();
        for (int a = 0; a < 3; a++) {
            v = along(a, v, false);
        }
        return v;
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        NDArray v = y.duplicate();
        for (int a = 2; a >= 0; a--) {
            v = along(a, v, true);
        }
        return v;
    }

    /**
     * Filters v along one axis, viewing the volume as a batch of 2-D planes so that axis is a spatial one:
     * depth as (1, 1, d, h*w), height as (d, 1, h, w), width as (1, 1, d*h, w). Closes v.
     */
    private NDArray along(int axis, NDArray v, boolean adjoint) {
        if (axes[axis] == null) {
            return v;
        }
        long d = volume.get(0);
        long h = volume.get(1);
        long w = volume.get(2);
        Shape view = axis == 0 ? new Shape(1, 1, d, h * w) : axis == 1 ? new Shape(d, 1, h, w) : new Shape(1, 1, d * h, w);
        try (NDArray in = v.reshape(view);
             NDArray out = adjoint ? axes[axis].adjoint(in, view.get(2), view.get(3)) : axes[axis].forward(in)) {
            return out.reshape(volume);
        } finally {
            v.close();
        }
    }

    @Override
    public String describe() {
        return "Gaussian blur 3-D (sigma " + sigmas[0] + ", " + sigmas[1] + ", " + sigmas[2] + " voxels) " + volume;
    }
}
