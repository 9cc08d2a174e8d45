package org.yax.core.noise;

/**
 * Noise level from the principal components of weak-texture patches: the selection of Liu, Tanaka and Okutomi
 * (2013, "Single-image noise level estimation for blind denoising") with the eigenvalue rule of Chen, Zhu and
 * Heng (2015, "An efficient statistical method for image noise level estimation").
 *
 * <p>Every P x P patch is a point in P^2 dimensions (P = 4, 5 or 7: {@link NoiseEstimator} takes the least of the
 * three). Image structure lives in a few directions; white noise adds
 * sigma^2 to the variance in every direction. The covariance's smallest eigenvalues are therefore noise; their
 * mean, over as many of them as keep it equal to their median, is sigma^2 (the smallest one alone is biased low
 * by the spread of sample eigenvalues). Textured patches also lift the small eigenvalues, so only weak-texture
 * patches count: those whose in-patch gradient energy is below Liu et al.'s threshold for noise of the current
 * estimate (the 99% quantile of their gamma approximation, which noise itself stays below with 97.6-97.7%
 * probability), and with {@link Selection#GRADIENT_AND_SMOOTHED} also the gradient energy of their 2 x 2 averages
 * below noise's measured 99% quantile; the estimate and the selection are iterated to a fixed point.
 *
 * <p>On clean images the selected patches are the smooth ones, so the estimate stays near the quantisation
 * noise instead of reading edges and texture as noise (scripts/noise-estimators.py prints the comparison).
 */
final class WeakTexturePca {
    /** The patch sizes this class knows the selection threshold of. */
    static final int[] PATCH_SIZES = {4, 5, 7};
    /**
     * Liu et al.'s threshold on the gradient energy of a P x P patch, in units of sigma^2, for P in
     * {@link #PATCH_SIZES}: the 99% quantile of their gamma approximation of noise's distribution,
     * scipy.stats.gamma.ppf(0.99, a=P*P/2, scale=2*T/(P*P)) with T = 4 P (P - 1), the trace of the 2 P (P - 1)
     * in-patch horizontal and vertical difference operators (each contributes 2). The approximation's tail is light:
     * noise stays below it with 97.6-97.7% probability (WeakTexturePcaTest); noise's own 99% quantile, tried on the
     * validation images, admitted more texture (docs/MODELS.md).
     */
    private static final double[] GRADIENT_ENERGY_QUANTILE = {95.99978072644552, 141.80513566790128,
        256.8667690576394};
    /**
     * The 99% quantile of the smoothed gradient energy ({@link #smoothedGradientEnergy}) of a pure-noise P x P
     * patch, in units of sigma^2, measured: smooth_quantile in scripts/noise-estimators.py (no closed form).
     */
    private static final double[] SMOOTHED_ENERGY_QUANTILE = {7.985550926116486, 13.625457082131351,
        27.227945450079908};

    /** Which patches count as weak. */
    enum Selection {
        /** Liu et al.: gradient energy below their threshold. */
        GRADIENT,
        /**
         * Also the gradient energy of the patch's 2 x 2 box averages below noise's 99% quantile of it: the averages
         * keep texture coarser than a pixel but a quarter of the noise, so that noise does not hide texture from
         * the selection (what lets texture into the selection of a noisy small plane).
         */
        GRADIENT_AND_SMOOTHED
    }
    /** Patches sampled at most: on larger planes a stride keeps the covariance cheap. */
    private static final int MAX_PATCHES = 1 << 14;
    /** Fewer patches than this many per dimension give too unstable a covariance (the caller uses another size). */
    static final int MIN_PATCHES_PER_DIMENSION = 4;
    private static final int MAX_ITERATIONS = 10;

    private final int patch;
    private final int dim;
    private final double gradientEnergyQuantile;
    private final double smoothedEnergyQuantile;
    private final Selection selection;

    WeakTexturePca(int patch, Selection selection) {
        int k = java.util.Arrays.binarySearch(PATCH_SIZES, patch);
        if (k < 0) {
            throw new IllegalArgumentException("patch size must be one of " + java.util.Arrays.toString(PATCH_SIZES)
                    + ", got " + patch);
        }
        this.patch = patch;
        this.dim = patch * patch;
        this.gradientEnergyQuantile = GRADIENT_ENERGY_QUANTILE[k];
        this.smoothedEnergyQuantile = SMOOTHED_ENERGY_QUANTILE[k];
        this.selection = java.util.Objects.requireNonNull(selection, "selection");
    }

    /** Liu et al.'s threshold on {@link #gradientEnergy} at unit variance, for this patch size. */
    double gradientEnergyQuantile() {
        return gradientEnergyQuantile;
    }

    /** Noise's 99% quantile of {@link #smoothedGradientEnergy} at unit variance, for this patch size. */
    double smoothedEnergyQuantile() {
        return smoothedEnergyQuantile;
    }

    /**
     * sigma of white Gaussian noise in the plane's units from patch x patch patches, or NaN when fewer than
     * {@link #MIN_PATCHES_PER_DIMENSION} x patch^2 patches free of NaN pixels fit.
     */
    static double estimate(float[] plane, int width, int height, int patch, Selection selection) {
        return new WeakTexturePca(patch, selection).estimate(plane, width, height);
    }

    private double estimate(float[] plane, int width, int height) {
        int minPatches = MIN_PATCHES_PER_DIMENSION * dim;
        int[] origins = patchOrigins(plane, width, height);
        if (origins.length < minPatches) {
            return Double.NaN;
        }
        double[] weakness = weakness(plane, width, origins);
        // by weakness, so that each selection below a threshold is a prefix and moves by a few patches
        Integer[] order = new Integer[origins.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> weakness[i]));
        int[] byWeakness = new int[origins.length];
        double[] sortedWeakness = new double[origins.length];
        for (int i = 0; i < order.length; i++) {
            byWeakness[i] = origins[order[i]];
            sortedWeakness[i] = weakness[order[i]];
        }
        Moments moments = new Moments(plane, width, meanOf(plane, width, origins));
        moments.cover(byWeakness, byWeakness.length);
        double variance = moments.noiseVariance();
        for (int it = 0; it < MAX_ITERATIONS && variance > 0; it++) {
            int count = countBelow(sortedWeakness, variance);
            if (count < minPatches) {
                break;
            }
            moments.cover(byWeakness, count);
            double next = moments.noiseVariance();
            boolean converged = Math.abs(next - variance) <= 1e-4 * variance;
            variance = next;
            if (converged) {
                break;
            }
        }
        return Math.sqrt(variance);
    }

    /** How many of the ascending values lie strictly below the threshold. */
    private static int countBelow(double[] ascending, double threshold) {
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Top-left corners (y * width + x) of patches without NaN pixels, on a grid thinned to MAX_PATCHES. */
    private int[] patchOrigins(float[] plane, int width, int height) {
        if (width < patch || height < patch) {
            return new int[0];
        }
        int ny = height - patch + 1;
        int nx = width - patch + 1;
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
                int b = (y + patch) * (width + 1) + x;
                if (nan[b + patch] - nan[b] - nan[a + patch] + nan[a] == 0) {
                    out[n++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Per patch: the least noise variance at which it counts as weak (both thresholds scale with the variance, so
     * a selection is the patches whose weakness is below the variance).
     */
    private double[] weakness(float[] plane, int width, int[] origins) {
        double[] out = new double[origins.length];
        double[] averages = new double[(patch - 1) * (patch - 1)];
        for (int i = 0; i < origins.length; i++) {
            double w = gradientEnergy(plane, width, origins[i]) / gradientEnergyQuantile;
            if (selection == Selection.GRADIENT_AND_SMOOTHED) {
                w = Math.max(w, smoothedGradientEnergy(plane, width, origins[i], averages) / smoothedEnergyQuantile);
            }
            out[i] = w;
        }
        return out;
    }

    /**
     * The gradient energy of the (P - 1) x (P - 1) averages of the 2 x 2 neighbourhoods inside the patch at o
     * (averages: scratch of that size).
     */
    double smoothedGradientEnergy(float[] plane, int width, int o, double[] averages) {
        int m = patch - 1;
        for (int dy = 0; dy < m; dy++) {
            int row = o + dy * width;
            for (int dx = 0; dx < m; dx++) {
                averages[dy * m + dx] = ((double) plane[row + dx] + plane[row + dx + 1] + plane[row + width + dx]
                        + plane[row + width + dx + 1]) / 4;
            }
        }
        double e = 0;
        for (int dy = 0; dy < m; dy++) {
            for (int dx = 0; dx < m; dx++) {
                double v = averages[dy * m + dx];
                if (dx + 1 < m) {
                    double d = averages[dy * m + dx + 1] - v;
                    e += d * d;
                }
                if (dy + 1 < m) {
                    double d = averages[(dy + 1) * m + dx] - v;
                    e += d * d;
                }
            }
        }
        return e;
    }

    /** The sum of squared horizontal and vertical differences of neighbours inside the patch at o. */
    double gradientEnergy(float[] plane, int width, int o) {
        double e = 0;
        for (int dy = 0; dy < patch; dy++) {
            int row = o + dy * width;
            for (int dx = 0; dx < patch; dx++) {
                double v = plane[row + dx];
                if (dx + 1 < patch) {
                    double d = plane[row + dx + 1] - v;
                    e += d * d;
                }
                if (dy + 1 < patch) {
                    double d = plane[row + width + dx] - v;
                    e += d * d;
                }
            }
        }
        return e;
    }

    private static double meanOf(float[] plane, int width, int[] origins) {
        double s = 0;
        for (int o : origins) {
            s += plane[o];
        }
        return s / origins.length;
    }

    /**
     * The sums of the patch values and of their products over the first {@code count} patches of an order, kept as
     * the count changes: moving from one count to the next adds or takes away only the patches in between (or sums
     * the new prefix afresh where that is fewer), so the iterations of the selection cost about one pass in all.
     */
    final class Moments {
        private final float[] plane;
        private final int width;
        /** A shift of every value that keeps the sums of products free of cancellation. */
        private final double offset;
        private final double[] sum = new double[dim];
        private final double[] products = new double[dim * dim];
        private final double[] v = new double[dim];
        private int count;

        Moments(float[] plane, int width, double offset) {
            this.plane = plane;
            this.width = width;
            this.offset = offset;
        }

        /** Makes the sums those of origins[0, count). */
        void cover(int[] origins, int target) {
            if (target < this.count && this.count - target > target) {
                java.util.Arrays.fill(sum, 0);
                java.util.Arrays.fill(products, 0);
                this.count = 0;
            }
            for (int i = this.count; i < target; i++) {
                add(origins[i], 1);
            }
            for (int i = target; i < this.count; i++) {
                add(origins[i], -1);
            }
            this.count = target;
        }

        private void add(int o, double sign) {
            for (int dy = 0; dy < patch; dy++) {
                for (int dx = 0; dx < patch; dx++) {
                    v[dy * patch + dx] = plane[o + dy * width + dx] - offset;
                }
            }
            for (int a = 0; a < dim; a++) {
                double va = sign * v[a];
                sum[a] += va;
                int row = a * dim;
                for (int b = a; b < dim; b++) {
                    products[row + b] += va * v[b];
                }
            }
        }

        /** Chen et al.'s rule on the covariance of the covered patches. */
        double noiseVariance() {
            int n = count;
            double[][] cov = new double[dim][dim];
            for (int a = 0; a < dim; a++) {
                for (int b = a; b < dim; b++) {
                    double c = (products[a * dim + b] - sum[a] * sum[b] / n) / (n - 1);
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
