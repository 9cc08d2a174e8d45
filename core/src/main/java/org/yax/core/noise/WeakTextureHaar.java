package org.yax.core.noise;

import java.util.Arrays;

/**
 * A noise estimate from 2 x 2 blocks: one of the estimates {@link NoiseEstimator} takes the least of, and its only
 * one for planes with too few whole patches for {@link WeakTexturePca}: tiny planes, and planes with scattered
 * missing pixels (an inpainting input with half its pixels NaN has no 4 x 4 patch free of them, but one 2 x 2 block
 * in 16 is). Each 2 x 2 block of known pixels a b / c d gives three orthonormal Haar details: the
 * diagonal one HH = (a - b - c + d) / 2, blind to ramps, and the gradients LH = (a + b - c - d) / 2 and
 * HL = (a - b + c - d) / 2. Under white Gaussian noise the three are independent N(0, sigma^2), so choosing blocks by
 * their gradient does not bias HH: the estimate is median(|HH|) / 0.6745 over the blocks whose LH^2 + HL^2 is below
 * noise's median (chi-square with 2 degrees of freedom: 2 ln 2 sigma^2), iterated from all blocks until it settles,
 * Liu et al.'s weak-texture selection on 2 x 2 blocks. Texture and edges, which lift the diagonal detail of a
 * clean plane, mostly come with a gradient and are left out. Chosen on the validation images with half their pixels
 * missing (docs/MODELS.md, "Noise estimate", "Planes with missing pixels").
 */
final class WeakTextureHaar {
    /** scipy.stats.norm.ppf(0.75): the median of |N(0, 1)|. */
    static final double NORMAL_MAD = 0.6744897501960817;
    /** LH^2 + HL^2 below this many sigma^2 keeps a block: half the blocks of pure noise. */
    static final double GRADIENT_THRESHOLD = 2 * Math.log(2);
    /** The selection stops shrinking before it keeps fewer blocks than this. */
    static final int MIN_BLOCKS = 16;
    private static final int MAX_ITERATIONS = 30;
    /** On larger planes a stride thins the block grid to about this many blocks (as WeakTexturePca thins patches). */
    static final int MAX_BLOCKS = 1 << 20;

    private WeakTextureHaar() {
    }

    /**
     * Estimated noise standard deviation of one plane (checked by the caller), in the plane's own units.
     *
     * @return the estimate; 0 for a constant plane
     * @throws IllegalArgumentException if NaN pixels leave no 2 x 2 block of known pixels
     */
    static double estimate(float[] plane, int width, int height) {
        long all = (long) Math.max(0, width - 1) * Math.max(0, height - 1);
        int stride = (int) Math.max(1, Math.ceil(Math.sqrt((double) all / MAX_BLOCKS)));
        int blocks = ((Math.max(0, width - 1) + stride - 1) / stride)
                * ((Math.max(0, height - 1) + stride - 1) / stride);
        double[] diagonal = new double[blocks];
        double[] gradient = new double[blocks];
        int n = 0;
        for (int y = 0; y + 1 < height; y += stride) {
            for (int x = 0; x + 1 < width; x += stride) {
                double a = plane[y * width + x];
                double b = plane[y * width + x + 1];
                double c = plane[(y + 1) * width + x];
                double d = plane[(y + 1) * width + x + 1];
                double hh = (a - b - c + d) / 2;
                if (Double.isNaN(hh)) {
                    continue;
                }
                double lh = (a + b - c - d) / 2;
                double hl = (a - b + c - d) / 2;
                diagonal[n] = Math.abs(hh);
                gradient[n++] = lh * lh + hl * hl;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("plane of width=" + width + ", height=" + height
                    + " has no 2x2 block free of NaN pixels, so the noise cannot be estimated");
        }
        double sigma = NoiseLevel.median(Arrays.copyOf(diagonal, n)) / NORMAL_MAD;
        double[] kept = new double[n];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double threshold = GRADIENT_THRESHOLD * sigma * sigma;
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (gradient[i] <= threshold) {
                    kept[k++] = diagonal[i];
                }
            }
            if (k < MIN_BLOCKS) {
                break;
            }
            double next = NoiseLevel.median(Arrays.copyOf(kept, k)) / NORMAL_MAD;
            if (next == sigma) {
                break;
            }
            sigma = next;
        }
        return sigma;
    }
}
