package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.yax.core.Progress;
import org.yax.core.op.HostPool;

/**
 * Non-local means denoising (Buades, Coll &amp; Morel 2005) in the fast form of Darbon et al. 2008: for each
 * shift t within the search window, one integral image of the squared differences between the image and
 * its shifted copy gives every patch distance at that shift in O(1). It computes what scikit-image's
 * {@code denoise_nl_means(image, patch_size, patch_distance, h, fast_mode=True, sigma=sigma)} computes
 * (0.19), including its particulars, so the two can be compared pixel for pixel:
 * <ul>
 *   <li>the patch distance of pixel p and p + t sums (x(q) - x(q + t))^2 - 2 sigma^2 over the
 *       (patchSize - 1)^2 pixels q in rows and columns (p - r, p + r] (r = patchSize / 2), clamped at 0, and is
 *       divided by h^2 patchSize^2;</li>
 *   <li>distances above 5 get weight 0, others exp(-distance), by Schraudolph's approximation of exp as in
 *       scikit-image (within about 4% of exp; a shared factor, so it barely moves the weighted mean);</li>
 *   <li>each pair (p, p + t) is weighted once for both pixels, the zero shift with weight 1;</li>
 *   <li>the image is padded by reflection without repeating the edge (numpy's {@code reflect}) by
 *       patchDistance + r + 1 pixels.</li>
 * </ul>
 * Work is O(pixels x (2 patchDistance + 1) x (patchDistance + 1)) whatever the patch size, on the host in
 * double precision. Each shift's distance and accumulation passes are split into row bands on the host
 * kernels' pool ({@link HostPool}, sized by --threads); every pixel's sums are formed in the same order whatever
 * the number of threads, so the result does not depend on it. Memory: three double and two float arrays over
 * the padded plane (32 bytes a pixel).
 * Progress is reported and cancellation checked once per shift.
 *
 * <p>A pixel's result depends only on input pixels within {@link #reach()} of it.
 */
public final class NonLocalMeans implements Denoiser {
    /** Patch side recommended by scikit-image for the fast mode. */
    public static final int DEFAULT_PATCH_SIZE = 5;
    /** Search radius recommended by scikit-image for the fast mode. */
    public static final int DEFAULT_PATCH_DISTANCE = 6;
    /** Cut-off h per unit of sigma recommended by scikit-image for the fast mode when sigma is given. */
    public static final double DEFAULT_H_PER_SIGMA = 0.8;

    /** Distances (already divided by h^2 patchSize^2) above this get weight 0, as in scikit-image. */
    private static final double DISTANCE_CUTOFF = 5.0;
    /** Rows per parallel band: enough work per task to amortise the fork-join overhead. */
    private static final int BAND_ROWS = 32;

    private final int patchSize;
    private final int patchDistance;
    private final double hPerSigma;

    /** With scikit-image's recommended fast-mode parameters: 5 x 5 patches, search radius 6, h = 0.8 sigma. */
    public NonLocalMeans() {
        this(DEFAULT_PATCH_SIZE, DEFAULT_PATCH_DISTANCE, DEFAULT_H_PER_SIGMA);
    }

    /**
     * @param patchSize     patch side in pixels; an even value is raised by one, as scikit-image does
     * @param patchDistance search radius in pixels (>= 1)
     * @param hPerSigma     cut-off distance h per unit of the noise sigma (> 0)
     */
    public NonLocalMeans(int patchSize, int patchDistance, double hPerSigma) {
        if (patchSize < 1 || patchDistance < 1) {
            throw new IllegalArgumentException("patch size and patch distance must be >= 1, got " + patchSize
                    + " and " + patchDistance);
        }
        if (!(hPerSigma > 0) || Double.isInfinite(hPerSigma)) {
            throw new IllegalArgumentException("h per sigma must be a finite number > 0, got " + hPerSigma);
        }
        this.patchSize = patchSize % 2 == 0 ? patchSize + 1 : patchSize;
        this.patchDistance = patchDistance;
        this.hPerSigma = hPerSigma;
    }

    public int patchSize() { return patchSize; }
    public int patchDistance() { return patchDistance; }
    public double hPerSigma() { return hPerSigma; }

    /** Input pixels on each side that a result pixel depends on: the search radius plus the patch radius. */
    public int reach() {
        return patchDistance + patchSize / 2;
    }

    /**
     * Non-local means with noise {@code sigma} as a {@link Solver} for A = I (missing pixels may be masked out of
     * it): denoises the (height, width) starting point, i.e. the measurement with missing pixels filled, on the
     * host; the estimate is in y's manager.
     */
    public Solver solver(double sigma) {
        return (a, y, x0, progress) -> {
            Shape shape = a.inputShape();
            if (shape.dimension() != 2 || !shape.equals(a.outputShape())) {
                throw new IllegalArgumentException("non-local means is a denoiser: A must map a plane onto itself, not "
                        + a.describe());
            }
            float[] x = denoise(x0.toFloatArray(), (int) shape.get(0), (int) shape.get(1), sigma, progress);
            return new SolverResult(y.getManager().create(x, shape), 0, Double.NaN, true);
        };
    }

    /** Denoises each (height, width) plane over an array's last two axes; the result is in its manager. */
    @Override
    public NDArray denoise(NDArray noisy, double sigma) {
        Shape shape = noisy.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("non-local means needs at least 2 axes, got shape " + shape);
        }
        int h = (int) shape.get(shape.dimension() - 2);
        int w = (int) shape.get(shape.dimension() - 1);
        float[] pixels = noisy.toFloatArray();
        float[] out = new float[pixels.length];
        float[] plane = new float[h * w];
        for (int offset = 0; offset < pixels.length; offset += plane.length) {
            System.arraycopy(pixels, offset, plane, 0, plane.length);
            System.arraycopy(denoise(plane, h, w, sigma, Progress.NONE), 0, out, offset, plane.length);
        }
        return noisy.getManager().create(out, shape);
    }

    /**
     * Denoises one row-major (height, width) plane of finite values.
     *
     * @param sigma noise standard deviation in the plane's units; 0 returns a copy (there is nothing to remove)
     */
    public float[] denoise(float[] plane, int height, int width, double sigma, Progress progress) {
        if (height < 1 || width < 1 || plane.length != height * width) {
            throw new IllegalArgumentException("plane of " + plane.length + " values is not " + height + "x" + width);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
        }
        if (sigma == 0) {
            return plane.clone();
        }
        for (int i = 0; i < plane.length; i++) {
            if (!Float.isFinite(plane[i])) {
                throw new IllegalArgumentException("pixel " + i + " is " + plane[i] + ": non-local means needs finite values");
            }
        }
        return new Run(plane, height, width, sigma, progress).result();
    }

    /** The working arrays of one plane, all (rows, cols) over the padded plane, row-major. */
    private final class Run {
        private final int r = patchSize / 2;
        private final int d = patchDistance;
        private final int pad = r + d + 1;
        private final int height;
        private final int width;
        private final int rows;
        private final int cols;
        /**
         * The input (float values) and the pair weights (Schraudolph's exp keeps 20 mantissa bits, times 1 or 0.5)
         * are exact in float: stored so, they halve those arrays' memory traffic and change no result.
         */
        private final float[] padded;
        private final double[] integral;
        private final float[] pairWeight;
        private final double[] weightSum;
        private final double[] valueSum;
        private final double twiceVariance;
        private final double h2s2;
        private final Progress progress;

        Run(float[] plane, int height, int width, double sigma, Progress progress) {
            this.height = height;
            this.width = width;
            this.rows = height + 2 * pad;
            this.cols = width + 2 * pad;
            this.padded = new float[rows * cols];
            for (int y = 0; y < rows; y++) {
                int sy = reflect(y - pad, height);
                for (int x = 0; x < cols; x++) {
                    padded[y * cols + x] = plane[sy * width + reflect(x - pad, width)];
                }
            }
            this.integral = new double[rows * cols];
            this.pairWeight = new float[rows * cols];
            this.weightSum = new double[rows * cols];
            this.valueSum = new double[rows * cols];
            double hh = hPerSigma * sigma;
            this.h2s2 = 1.0 * hh * hh * patchSize * patchSize; // scikit-image's operand order (rounding)
            this.twiceVariance = sigma * sigma * 2;
            this.progress = progress;
        }

        float[] result() {
            int shifts = (2 * d + 1) * (d + 1);
            int done = 0;
            // Shifts in scikit-image's order: the integral image reuses zero rows left by earlier shifts.
            for (int tr = -d; tr <= d; tr++) {
                for (int tc = 0; tc <= d; tc++) {
                    progress.checkCancelled();
                    integrate(tr, tc);
                    final int shiftRow = tr;
                    final int shiftCol = tc;
                    inBands(pad - Math.max(tr, 0), pad + height - Math.min(tr, 0),
                            (from, to) -> weighPairs(shiftRow, shiftCol, from, to));
                    inBands(pad, pad + height, (from, to) -> accumulate(shiftRow, shiftCol, from, to));
                    progress.report((double) ++done / shifts, "non-local means");
                }
            }
            float[] out = new float[height * width];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = (y + pad) * cols + x + pad;
                    out[y * width + x] = (float) (valueSum[p] / weightSum[p]);
                }
            }
            return out;
        }

        /** integral(y, x) = sum over rows (start..y] and columns [1..x] of the noise-corrected squared difference. */
        private void integrate(int tr, int tc) {
            int rowStart = Math.max(1, -tr);
            int rowEnd = Math.min(rows, rows - tr);
            int shift = tr * cols + tc;
            for (int y = rowStart; y < rowEnd; y++) {
                int row = y * cols;
                for (int x = 1; x < cols - tc; x++) {
                    int p = row + x;
                    double t = (double) padded[p] - padded[p + shift];
                    double distance = t * t;
                    distance -= twiceVariance;
                    integral[p] = distance + integral[p - cols] + integral[p - 1] - integral[p - cols - 1];
                }
            }
        }

        /** Weight of the pair (p, p + t) for every p whose pair touches an output pixel, in rows [from, to). */
        private void weighPairs(int tr, int tc, int from, int to) {
            double alpha = tc == 0 ? 0.5 : 1; // with tc = 0 each pair is met at t and at -t
            int diagonal = r * cols + r;
            int antiDiagonal = r * cols - r;
            for (int y = from; y < to; y++) {
                for (int x = pad - tc; x < pad + width; x++) {
                    int p = y * cols + x;
                    double box = integral[p + diagonal] + integral[p - diagonal] - integral[p - antiDiagonal]
                            - integral[p + antiDiagonal];
                    double distance = Math.max(box, 0.0) / h2s2;
                    pairWeight[p] = distance > DISTANCE_CUTOFF ? 0f : (float) (alpha * fastExp(-distance));
                }
            }
        }

        /**
         * Adds shift t's contributions to the output pixels of rows [from, to): as the first pixel of the pair
         * (p, p + t) and as the second of (p - t, p), in the order scikit-image's scatter loop adds them.
         */
        private void accumulate(int tr, int tc, int from, int to) {
            int shift = tr * cols + tc;
            boolean partnerFirst = tr > 0 || tr == 0 && tc > 0; // p - t comes before p in row-major order
            // Cut-off pairs weigh 0: adding 0 and 0 * value leaves the sums as scikit-image's skipping does (values
            // are finite), and without the test (and with the order decided once per shift) the loops vectorise.
            for (int y = from; y < to; y++) {
                int start = y * cols + pad;
                int end = start + width;
                if (partnerFirst) {
                    for (int p = start; p < end; p++) {
                        double partner = pairWeight[p - shift];
                        double own = pairWeight[p];
                        weightSum[p] = weightSum[p] + partner + own;
                        valueSum[p] = valueSum[p] + partner * (double) padded[p - shift]
                                + own * (double) padded[p + shift];
                    }
                } else {
                    for (int p = start; p < end; p++) {
                        double partner = pairWeight[p - shift];
                        double own = pairWeight[p];
                        weightSum[p] = weightSum[p] + own + partner;
                        valueSum[p] = valueSum[p] + own * (double) padded[p + shift]
                                + partner * (double) padded[p - shift];
                    }
                }
            }
        }

        /** Runs rows [from, to) in bands of {@link #BAND_ROWS} on the host kernels' pool ({@link HostPool}). */
        private void inBands(int from, int to, RowRange work) {
            int bands = (to - from + BAND_ROWS - 1) / BAND_ROWS;
            HostPool.forLines(bands, (first, last) -> {
                for (int b = first; b < last; b++) {
                    work.run(from + b * BAND_ROWS, Math.min(to, from + (b + 1) * BAND_ROWS));
                }
            });
        }
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /** numpy's 'reflect' index (edge not repeated) for any offset, also beyond one period. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /**
     * Schraudolph's exp approximation exactly as scikit-image's fast_exp.h: the exponent bits from a scaled
     * integer, minimum-RMS-error constant.
     */
    static double fastExp(double y) {
        final double expA = 1512775.3951951856938; // 2^20 / ln 2
        final int expBc = 1072632447;             // 1023 * 2^20 - 60801
        return Double.longBitsToDouble((long) ((int) (expA * y) + expBc) << 32);
    }
}
