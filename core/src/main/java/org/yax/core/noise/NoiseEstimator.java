package org.yax.core.noise;

import java.util.Objects;

/**
 * Estimate of the standard deviation of additive white Gaussian noise from the data alone: what
 * {@code --sigma auto} uses. The principal components of weak-texture patches ({@link WeakTexturePca}), which do
 * not read edges, texture or the detail of a low-resolution image as noise (the wavelet estimate does: 1-2% of
 * the range on clean 8-bit photographs; scripts/noise-estimators.py prints both on the held-out, validation and
 * training images). Planes too small for patch statistics (fewer than 196 7x7 patches free of NaN pixels, e.g.
 * under about 20 x 20 pixels) fall back to the wavelet estimate ({@link WaveletNoise}).
 *
 * <p>NaN (missing) pixels are excluded. Real acquisition noise is found as such: an MR magnitude slice with noise
 * in its air background reads that noise.
 */
public final class NoiseEstimator {
    private NoiseEstimator() {
    }

    /**
     * Estimated noise standard deviation of one plane, in the plane's own units.
     *
     * @return the estimate; 0 for a constant plane
     * @throws IllegalArgumentException if width or height is not positive, width * height differs from the
     *                                  plane's length, or NaN pixels leave nothing to estimate from
     */
    public static double estimateGaussianSigma(float[] plane, int width, int height) {
        Objects.requireNonNull(plane, "plane");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be positive, got width=" + width
                    + ", height=" + height);
        }
        long n = (long) width * height;
        if (plane.length != n) {
            throw new IllegalArgumentException("plane has " + plane.length + " values, width*height = " + width
                    + "*" + height + " = " + n);
        }
        double pca = WeakTexturePca.estimate(plane, width, height);
        return Double.isNaN(pca) ? WaveletNoise.estimate(plane, width, height) : pca;
    }
}
