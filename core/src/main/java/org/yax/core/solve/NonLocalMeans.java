package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.yax.core.Progress;
import org.yax.core.op.HostPool;

/**
 * Non-local means denoising (Buades, Coll &amp; Morel 2005) in the fast form of Darbon et al. 2008: for each
 * shift t within the search window, box sums of the squared differences between the image and its shifted copy
 * give every patch distance at that shift in O(1) per pixel. It computes what scikit-image's
 * {@code denoise_nl_means(image, patch_size, patch_distance, h, fast_mode=True, sigma=sigma)} computes
 * (0.19), including its particulars, so the two can be compared pixel for pixel:
 * <ul>
 *   <li>the patch distance of pixel p and p + t sums (x(q) - x(q + t))^2 - 2 sigma^2 over the
 *       (patchSize - 1)^2 pixels q in rows and columns (p - r, p + r] (r = patchSize / 2), clamped at 0, and is
 *       divided by h^2 patchSize^2 (scikit-image sums them by an integral image, yax by moving sums: the same
 *       terms, rounded differently);</li>
 *   <li>distances above 5 get weight 0, others exp(-distance), by Schraudolph's approximation of exp as in
 *       scikit-image (within about 4% of exp; a shared factor, so it barely moves the weighted mean);</li>
 *   <li>each pair (p, p + t) is weighted once for both pixels, the zero shift with weight 1;</li>
 *   <li>the image is padded by reflection without repeating the edge (numpy's {@code reflect}) by
 *       patchDistance + r + 1 pixels.</li>
 * </ul>
 * Work is O(pixels x (2 patchDistance + 1) x (patchDistance + 1)) whatever the patch size, on the host in
 * double precision, in bands of {@link #BAND_ROWS} output rows that go through all shifts while their arrays stay in
 * the core's cache (about 1 MB a band for a 512-pixel row); bands run on the host kernels' pool ({@link HostPool},
 * sized by --threads), and every pixel's sums are formed in the same order whatever the number of threads, so the
 * result does not depend on it. Every array a loop touches is indexed by the same column (shifted rows are copied
 * first), which is what Java 17's vectoriser needs; only Schraudolph's exp stays scalar. Progress is reported and
 * cancellation checked between rounds of bands.
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

    /** One plane: the padded input, and the bands of output rows it is denoised in. */
    private final class Run {
        private final int r = patchSize / 2;
        private final int d = patchDistance;
        private final int pad = r + d + 1;
        private final int height;
        private final int width;
        private final int rows;
        private final int cols;
        /** The input (float values are exact in float, and half the memory traffic of doubles), padded. */
        private final float[] padded;
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
            double hh = hPerSigma * sigma;
            this.h2s2 = 1.0 * hh * hh * patchSize * patchSize; // scikit-image's operand order (rounding)
            this.twiceVariance = sigma * sigma * 2;
            this.progress = progress;
        }

        /**
         * Bands of {@link #BAND_ROWS} output rows, as many at once as the pool has threads, progress reported and
         * cancellation checked between such rounds.
         */
        float[] result() {
            float[] out = new float[height * width];
            int bands = (height + BAND_ROWS - 1) / BAND_ROWS;
            int perRound = Math.max(1, HostPool.threads());
            for (int first = 0; first < bands; first += perRound) {
                progress.checkCancelled();
                int base = first;
                int count = Math.min(perRound, bands - first);
                HostPool.forLines(count, (from, to) -> {
                    for (int b = from; b < to; b++) {
                        new Band(base + b).denoiseInto(out);
                    }
                });
                progress.report((double) (first + count) / bands, "non-local means");
            }
            return out;
        }

        /**
         * Output rows [y0, y1) of the padded plane, all shifts. Its arrays (about 70 bytes per column and band row,
         * 1 MB for 512 columns) stay in the core's cache through the shifts, where whole-plane arrays went through
         * memory once per shift.
         */
        private final class Band {
            private final int y0;
            private final int y1;
            /** The first padded row of {@link #source}. */
            private final int firstRow;
            /** Padded rows [y0 - d - r, y1 + d + r) as doubles, one array per row. */
            private final double[][] source;
            /** For the current shift t: row y holds the padded row y + t_row from column t_col on. */
            private final double[][] shifted;
            private final double[][] ring;
            private final double[] columnSums;
            private final double[] boxSums;
            private final double[] strip;
            /** Per output row: the pair weights of (p, p + t), and of (p - t, p) with that weight times x(p - t). */
            private final double[][] ownWeight;
            private final double[][] partnerWeight;
            private final double[][] partnerValue;
            private final double[] unused;
            private final double[][] weightSum;
            private final double[][] valueSum;

            Band(int band) {
                y0 = pad + band * BAND_ROWS;
                y1 = Math.min(pad + height, y0 + BAND_ROWS);
                firstRow = y0 - d - r;
                int n = y1 - y0;
                source = new double[n + 2 * (d + r)][cols];
                for (int i = 0; i < source.length; i++) {
                    int at = (firstRow + i) * cols;
                    for (int x = 0; x < cols; x++) {
                        source[i][x] = padded[at + x];
                    }
                }
                shifted = new double[source.length][cols];
                ring = new double[2 * r][cols];
                columnSums = new double[cols];
                boxSums = new double[cols];
                strip = new double[cols];
                ownWeight = new double[n][cols];
                partnerWeight = new double[n][cols];
                partnerValue = new double[n][cols];
                unused = new double[cols];
                weightSum = new double[n][cols];
                valueSum = new double[n][cols];
            }

            void denoiseInto(float[] out) {
                // Shifts in scikit-image's order, so every pixel's sums are formed in its order
                for (int tr = -d; tr <= d; tr++) {
                    for (int tc = 0; tc <= d; tc++) {
                        weighPairs(tr, tc);
                        accumulate(tr, tc);
                    }
                }
                for (int y = y0; y < y1; y++) {
                    double[] w = weightSum[y - y0];
                    double[] v = valueSum[y - y0];
                    int o = (y - pad) * width - pad;
                    for (int x = pad; x < pad + width; x++) {
                        out[o + x] = (float) (v[x] / w[x]);
                    }
                }
            }

            /**
             * Weight of the pair (p, p + t) for every p whose pair touches an output pixel of the band: rows
             * [y0 - max(t_row, 0), y1 - min(t_row, 0)), columns [pad - t_col, pad + width). Its patch distance
             * sums the noise-corrected squared differences over rows and columns (p - r, p + r]: a moving sum of 2r
             * rows of differences, then a sum of 2r columns (scikit-image's integral image sums the same terms).
             * Every array a loop touches is indexed alike, so the JIT's vectoriser takes the loops; only the weight
             * itself (Schraudolph's exp) stays scalar.
             */
            private void weighPairs(int tr, int tc) {
                double alpha = tc == 0 ? 0.5 : 1; // with tc = 0 each pair is met at t and at -t
                int from = y0 - Math.max(tr, 0);
                int to = y1 - Math.min(tr, 0);
                for (int y = from - r + 1; y < to + r; y++) {
                    System.arraycopy(source[y + tr - firstRow], tc, shifted[y - firstRow], 0, cols - tc);
                }
                int xFrom = pad - tc;
                int xTo = pad + width;
                int dFrom = xFrom - r + 1; // the columns of differences the boxes of [xFrom, xTo) read
                int dTo = xTo + r;
                int span = 2 * r;
                double perH2s2 = 1 / h2s2;
                for (double[] row : ring) {
                    java.util.Arrays.fill(row, dFrom, dTo, 0.0);
                }
                java.util.Arrays.fill(columnSums, dFrom, dTo, 0.0);
                for (int y = from - r + 1; y < from + r; y++) {
                    slide(y, dFrom, dTo);
                }
                int m = xTo - xFrom;
                double[] box = boxSums;
                double[] next = strip;
                for (int y = from; y < to; y++) {
                    slide(y + r, dFrom, dTo);
                    System.arraycopy(columnSums, dFrom, box, 0, m);
                    for (int k = 1; k < span; k++) {
                        System.arraycopy(columnSums, dFrom + k, next, 0, m);
                        for (int j = 0; j < m; j++) {
                            box[j] += next[j];
                        }
                    }
                    for (int j = 0; j < m; j++) {
                        box[j] = Math.max(box[j], 0.0) * perH2s2;
                    }
                    double[] own = y >= y0 && y < y1 ? ownWeight[y - y0] : unused;
                    boolean partner = y + tr >= y0 && y + tr < y1;
                    double[] partnerW = partner ? partnerWeight[y + tr - y0] : unused;
                    double[] partnerV = partner ? partnerValue[y + tr - y0] : unused;
                    double[] values = source[y - firstRow];
                    for (int j = 0; j < m; j++) {
                        double distance = box[j];
                        double w = distance > DISTANCE_CUTOFF ? 0 : (float) (alpha * fastExp(-distance));
                        int x = xFrom + j;
                        own[x] = w;
                        partnerW[x + tc] = w;
                        partnerV[x + tc] = w * values[x];
                    }
                }
            }

            /**
             * Row y of (x(q) - x(q + t))^2 - 2 sigma^2 over columns [from, to) into the ring, in place of row y - 2r,
             * and the column sums moved down by that row.
             */
            private void slide(int y, int from, int to) {
                double[] in = source[y - firstRow];
                double[] moved = shifted[y - firstRow];
                double[] slot = ring[Math.floorMod(y, 2 * r)];
                double[] sums = columnSums;
                for (int x = from; x < to; x++) {
                    double t = in[x] - moved[x];
                    double distance = t * t;
                    distance -= twiceVariance;
                    sums[x] += distance - slot[x];
                    slot[x] = distance;
                }
            }

            /**
             * Adds shift t's contributions to the band's output pixels: as the first pixel of the pair (p, p + t)
             * and as the second of (p - t, p), in the order scikit-image's scatter loop adds them.
             */
            private void accumulate(int tr, int tc) {
                boolean partnerFirst = tr > 0 || tr == 0 && tc > 0; // p - t comes before p in row-major order
                // Cut-off pairs weigh 0: adding 0 and 0 * value leaves the sums as scikit-image's skipping does (values
                // are finite), and without the test (and with the order decided once per shift) the loops vectorise.
                int end = pad + width;
                for (int y = y0; y < y1; y++) {
                    double[] own = ownWeight[y - y0];
                    double[] partner = partnerWeight[y - y0];
                    double[] partnerTimesValue = partnerValue[y - y0];
                    double[] value = shifted[y - firstRow]; // x(p + t)
                    double[] ws = weightSum[y - y0];
                    double[] vs = valueSum[y - y0];
                    if (partnerFirst) {
                        for (int x = pad; x < end; x++) {
                            ws[x] = ws[x] + partner[x] + own[x];
                            vs[x] = vs[x] + partnerTimesValue[x] + own[x] * value[x];
                        }
                    } else {
                        for (int x = pad; x < end; x++) {
                            ws[x] = ws[x] + own[x] + partner[x];
                            vs[x] = vs[x] + own[x] * value[x] + partnerTimesValue[x];
                        }
                    }
                }
            }
        }
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
