package org.yax.core.noise;

import java.util.Objects;

/**
 * Estimate of the standard deviation of additive white Gaussian noise from the data alone: what
 * {@code --sigma auto} uses. The principal components of weak-texture patches ({@link WeakTexturePca}), which do
 * not read edges, texture or the detail of a low-resolution image as noise (the wavelet estimate does: 1-2% of
 * the range on clean 8-bit photographs; scripts/noise-estimators.py prints both on the held-out, validation and
 * training images). The estimate is the least of those from 4x4, 5x5 and 7x7 patches, each with the weak patches
 * selected by their gradient energy (Liu et al.) and by that and the gradient energy of their 2 x 2 averages (which
 * noise does not hide texture from): each is nearly unbiased on noise, but texture lifts them differently (small
 * patches fit between edges, large ones separate structure from noise better, the second selection keeps texture out
 * of a noisy plane's selection), so the least reads the least texture; chosen on the validation images
 * (docs/MODELS.md). A seventh estimate joins them: the same weak-texture selection on 2 x 2 Haar blocks
 * ({@link WeakTextureHaar}), whose diagonal detail is blind to ramps (on the validation images it lowers the largest
 * clean reading from 1.07 to 0.84% of the range, VisibleWomanEyeSlice's grain, and moves one plane's worst noisy
 * error, 9.6 to 9.2%). Patch sizes too large for the plane (fewer than 4 patches per dimension free of NaN pixels)
 * are skipped; planes without enough whole patches for any (under about 11 x 11 pixels, or with scattered missing
 * pixels, as inpainting inputs have) are read by the blocks alone.
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
        double least = Double.NaN;
        for (WeakTexturePca.Selection selection : WeakTexturePca.Selection.values()) {
            for (int patch : WeakTexturePca.PATCH_SIZES) {
                double pca = WeakTexturePca.estimate(plane, width, height, patch, selection);
                least = Double.isNaN(least) || pca < least ? pca : least;
            }
        }
        double blocks = WeakTextureHaar.estimate(plane, width, height);
        return Double.isNaN(least) ? blocks : Math.min(least, blocks);
    }
}
