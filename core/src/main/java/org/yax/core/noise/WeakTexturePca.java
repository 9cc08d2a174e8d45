package org.yax.core.noise;

/**
 * Noise level from the principal components of weak-texture patches: the selection of Liu, Tanaka and Okutomi
 * (2013, "Single-image noise level estimation for blind denoising") with the eigenvalue rule of Chen, Zhu and
 * Heng (2015, "An efficient statistical method for image noise level estimation").
 *
 * <p>Every 7x7 patch is a point in 49 dimensions. Image structure lives in a few directions; white noise adds
 * sigma^2 to the variance in every direction. The covariance's smallest eigenvalues are therefore noise; their
 * mean, over as many of them as keep it equal to their median, is sigma^2 (the smallest one alone is biased low
 * by the spread of sample eigenvalues). Textured patches also lift the small eigenvalues, so only weak-texture
 * patches count: those whose in-patch gradient energy is below what noise of the current estimate reaches with
 * 99% probability (a gamma distribution); the estimate and the selection are iterated to a fixed point.
 *
 * <p>On clean images the selected patches are the smooth ones, so the estimate stays near the quantisation
 * noise instead of reading edges and texture as noise (scripts/noise-estimators.py prints the comparison).
 */
final class WeakTexturePca {
    static final int PATCH = 7;
    private static final int DIM = PATCH * PATCH;
    /**
     * The 99% quantile of the gradient energy of a pure-noise patch, in units of sigma^2:
     * scipy.stats.gamma.ppf(0.99, a=DIM/2, scale=2*T/DIM) with T = 168, the trace of the 84 in-patch horizontal and
     * vertical difference operators (each contributes 2).
     */
    private static final double GRADIENT_ENERGY_QUANTILE = 256.8667690576394;
    /** Patches sampled at most: on larger planes a stride keeps the covariance cheap. */
    private static final int MAX_PATCHES = 1 << 14;
    /** Fewer patches than this give too unstable a covariance (and the caller uses another estimate). */
    static final int MIN_PATCHES = 4 * DIM;
    private static final int MAX_ITERATIONS = 10;

    private WeakTexturePca() {
    }

    /**
     * sigma of white Gaussian noise in the plane's units, or NaN when fewer than {@link #MIN_PATCHES} patches free
     * of NaN pixels fit.
     */
    static double estimate(float[] plane, int width, int height) {
        int[] origins = patchOrigins(plane, width, height);
        if (origins.length < MIN_PATCHES) {
            return Double.NaN;
        }
        double[] energy = gradientEnergies(plane, width, origins);
        double offset = meanOf(plane, width, origins);
        boolean[] all = new boolean[origins.length];
        java.util.Arrays.fill(all, true);
        double variance = noiseVariance(plane, width, origins, all, offset);
        for (int it = 0; it < MAX_ITERATIONS && variance > 0; it++) {
            double threshold = variance * GRADIENT_ENERGY_QUANTILE;
            boolean[] weak = new boolean[origins.length];
            int count = 0;
            for (int i = 0; i < origins.length; i++) {
                weak[i] = energy[i] < threshold;
                count += weak[i] ? 1 : 0;
            }
            if (count < MIN_PATCHES) {
                break;
            }
            double next = noiseVariance(plane, width, origins, weak, offset);
            boolean converged = Math.abs(next - variance) <= 1e-4 * variance;
            variance = next;
            if (converged) {
                break;
            }
        }
        return Math.sqrt(variance);
    }

    /** Top-left corners (y * width + x) of patches without NaN pixels, on a grid thinned to MAX_PATCHES. */
    private static int[] patchOrigins(float[] plane, int width, int height) {
        if (width < PATCH || height < PATCH) {
            return new int[0];
        }
        int ny = height - PATCH + 1;
        int nx = width - PATCH + 1;
        int stride = (int) Math.ceil(Math.sqrt((double) nx * ny / MAX_PATCHES));
        // summed-area table of NaN counts, so each patch is checked in O(1)
        int[] nan = new int[(height + 1) * (width + 1)];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                nan[(y + 1) * (width + 1) + x + 1] = (Float.isNaN(plane[y * width + x]) ? 1 : 0)
                        + nan[y * (width + 1) + x + 1] + nan[(y + 1) * (width + 1) + x] - nan[y * (width + 1) + x];
            }
        }
        int[] out = new int[((ny + stride - 1) / stride) * ((nx + stride - 1) / stride)];
        int n = 0;
        for (int y = 0; y < ny; y += stride) {
            for (int x = 0; x < nx; x += stride) {
                int a = y * (width + 1) + x;
                int b = (y + PATCH) * (width + 1) + x;
                if (nan[b + PATCH] - nan[b] - nan[a + PATCH] + nan[a] == 0) {
                    out[n++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Per patch: the sum of squared horizontal and vertical differences of neighbours inside it. */
    private static double[] gradientEnergies(float[] plane, int width, int[] origins) {
        double[] out = new double[origins.length];
        for (int i = 0; i < origins.length; i++) {
            int o = origins[i];
            double e = 0;
            for (int dy = 0; dy < PATCH; dy++) {
                int row = o + dy * width;
                for (int dx = 0; dx < PATCH; dx++) {
                    double v = plane[row + dx];
                    if (dx + 1 < PATCH) {
                        double d = plane[row + dx + 1] - v;
                        e += d * d;
                    }
                    if (dy + 1 < PATCH) {
                        double d = plane[row + width + dx] - v;
                        e += d * d;
                    }
                }
            }
            out[i] = e;
        }
        return out;
    }

    private static double meanOf(float[] plane, int width, int[] origins) {
        double s = 0;
        for (int o : origins) {
            s += plane[o];
        }
        return s / origins.length;
    }

    /** Chen et al.'s rule on the covariance of the chosen patches. */
    private static double noiseVariance(float[] plane, int width, int[] origins, boolean[] chosen, double offset) {
        double[] sum = new double[DIM];
        double[] products = new double[DIM * DIM];
        double[] v = new double[DIM];
        long n = 0;
        for (int i = 0; i < origins.length; i++) {
            if (!chosen[i]) {
                continue;
            }
            int o = origins[i];
            for (int dy = 0; dy < PATCH; dy++) {
                for (int dx = 0; dx < PATCH; dx++) {
                    // offset: a shift that keeps the sums of products free of cancellation
                    v[dy * PATCH + dx] = plane[o + dy * width + dx] - offset;
                }
            }
            for (int a = 0; a < DIM; a++) {
                double va = v[a];
                sum[a] += va;
                int row = a * DIM;
                for (int b = a; b < DIM; b++) {
                    products[row + b] += va * v[b];
                }
            }
            n++;
        }
        double[][] cov = new double[DIM][DIM];
        for (int a = 0; a < DIM; a++) {
            for (int b = a; b < DIM; b++) {
                double c = (products[a * DIM + b] - sum[a] * sum[b] / n) / (n - 1);
                cov[a][b] = c;
                cov[b][a] = c;
            }
        }
        double[] eigen = SymmetricEigenvalues.of(cov);
        java.util.Arrays.sort(eigen);
        for (int i = 0; i < eigen.length; i++) {
            eigen[i] = Math.max(eigen[i], 0);
        }
        return trailingMean(eigen);
    }

    /**
     * Chen et al.: the mean of the k smallest eigenvalues (ascending), for the largest k at which as many of them
     * lie above the mean as below it.
     */
    static double trailingMean(double[] ascending) {
        for (int k = ascending.length; k > 0; k--) {
            double mean = 0;
            for (int i = 0; i < k; i++) {
                mean += ascending[i];
            }
            mean /= k;
            int above = 0;
            int below = 0;
            for (int i = 0; i < k; i++) {
                above += ascending[i] > mean ? 1 : 0;
                below += ascending[i] < mean ? 1 : 0;
            }
            if (above == below) {
                return mean;
            }
        }
        return ascending[0];
    }
}
