package org.yax.core.op;

/**
 * {@link FourierSampling} of a real image on host arrays: the orthonormal 2-D DFT by {@link Fft} (rows, then
 * columns in blocks; each pass threaded over its lines by {@link HostPool}), the line mask and its exact data
 * proximal step (diagonal in the Fourier domain). The spectrum lives in two planes made once; calls are
 * serialised on the operator (the solvers call it from one thread).
 */
final class HostFourierSampling implements HostDataProximal {
    /** Columns gathered into contiguous buffers per block of the column pass (cache lines used in full). */
    private static final int BLOCK = 16;

    private final int h;
    private final int w;
    private final SamplingMask mask;
    private final Fft rows;
    private final Fft columns;
    /** the spectrum of the plane being transformed, split complex */
    private final float[] re;
    private final float[] im;
    /** acquired rows: 1 / sqrt(h w) (both transforms' scale), others 0 */
    private final float[] weight;
    /** per thread: [0] real parts, [1] imaginary parts of BLOCK lines */
    private final ThreadLocal<float[][][]> lines;

    HostFourierSampling(SamplingMask mask) {
        this.mask = mask;
        this.h = mask.height();
        this.w = mask.width();
        this.rows = new Fft(w);
        this.columns = new Fft(h);
        this.re = new float[h * w];
        this.im = new float[h * w];
        int longest = Math.max(h, w);
        this.weight = mask.rowWeights((float) (1 / Math.sqrt((double) h * w)));
        this.lines = ThreadLocal.withInitial(() -> new float[2][BLOCK][longest]);
    }

    @Override public int inputSize() { return h * w; }
    @Override public int outputSize() { return 2 * h * w; }
    @Override public float[] gramDiagonal() { return null; }
    @Override public double gramScalar() { return Double.NaN; }

    /** out = M F x, as (re, im) pairs: the engine's scale 1/sqrt(h w) on acquired rows, 0 elsewhere. */
    @Override
    public synchronized void apply(float[] x, float[] out) {
        forwardRows(x);
        columnBlocks((c0, width, bre, bim) -> {
            gather(c0, width, bre, bim);
            for (int c = 0; c < width; c++) {
                columns.transform(bre[c], bim[c], false);
            }
            for (int r = 0; r < h; r++) {
                float s = weight[r];
                for (int c = 0; c < width; c++) {
                    int k = 2 * (r * w + c0 + c);
                    out[k] = bre[c][r] * s;
                    out[k + 1] = bim[c][r] * s;
                }
            }
        });
    }

    /** out = Re(F^H M y): the engine multiplies by sqrt(h w) and its inverse transform divides by h w. */
    @Override
    public synchronized void applyAdjoint(float[] y, float[] out) {
        columnBlocks((c0, width, bre, bim) -> {
            for (int r = 0; r < h; r++) {
                float s = weight[r];
                for (int c = 0; c < width; c++) {
                    int k = 2 * (r * w + c0 + c);
                    bre[c][r] = y[k] * s;
                    bim[c][r] = y[k + 1] * s;
                }
            }
            for (int c = 0; c < width; c++) {
                columns.transform(bre[c], bim[c], true);
            }
            scatter(c0, width, bre, bim);
        });
        inverseRowsRealPart(null, out);
    }

    /**
     * (F^H S F + I / tau) x = A^H y + v / tau with S = diag((M(ky) + M(-ky)) / 2), as the engine solves it; the
     * transform of A^H y is taken once, so a step is one forward and one inverse transform of v.
     */
    @Override
    public Step proximal(float[] y) {
        double[] sampled = new double[h];
        for (int i = 0; i < h; i++) {
            sampled[i] = 0.5 * ((mask.isSampled(i) ? 1 : 0) + (mask.isSampled((h - i) % h) ? 1 : 0));
        }
        float[] inverse = new float[h];
        float[] aty = new float[h * w];
        applyAdjoint(y, aty);
        float[] atyRe = new float[h * w];
        float[] atyIm = new float[h * w];
        synchronized (this) {
            forwardRows(aty);
            columnBlocks((c0, width, bre, bim) -> {
                gather(c0, width, bre, bim);
                for (int c = 0; c < width; c++) {
                    columns.transform(bre[c], bim[c], false);
                }
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < width; c++) {
                        atyRe[r * w + c0 + c] = bre[c][r];
                        atyIm[r * w + c0 + c] = bim[c][r];
                    }
                }
            });
        }
        return (v, tau, out) -> {
            float inverseTau = (float) (1 / tau);
            synchronized (this) {
                for (int i = 0; i < h; i++) {
                    inverse[i] = (float) (1 / (sampled[i] + 1 / tau) / ((double) h * w));
                }
                forwardRows(v);
                columnBlocks((c0, width, bre, bim) -> {
                    gather(c0, width, bre, bim);
                    for (int c = 0; c < width; c++) {
                        columns.transform(bre[c], bim[c], false);
                    }
                    for (int r = 0; r < h; r++) {
                        float f = inverse[r];
                        for (int c = 0; c < width; c++) {
                            int k = r * w + c0 + c;
                            bre[c][r] = (atyRe[k] + bre[c][r] * inverseTau) * f;
                            bim[c][r] = (atyIm[k] + bim[c][r] * inverseTau) * f;
                        }
                    }
                    for (int c = 0; c < width; c++) {
                        columns.transform(bre[c], bim[c], true);
                    }
                    scatter(c0, width, bre, bim);
                });
                inverseRowsRealPart(v, out);
            }
        };
    }

    /** re + i im = the row transforms of the real plane x. */
    private void forwardRows(float[] x) {
        HostPool.forLines(h, (from, to) -> {
            float[][][] b = lines.get();
            float[] lr = b[0][0];
            float[] li = b[1][0];
            for (int r = from; r < to; r++) {
                System.arraycopy(x, r * w, lr, 0, w);
                java.util.Arrays.fill(li, 0, w, 0f);
                rows.transform(lr, li, false);
                System.arraycopy(lr, 0, re, r * w, w);
                System.arraycopy(li, 0, im, r * w, w);
            }
        });
    }

    /** out = Re of the inverse row transforms of re + i im; with {@code v}: out = v - that. */
    private void inverseRowsRealPart(float[] v, float[] out) {
        HostPool.forLines(h, (from, to) -> {
            float[][][] b = lines.get();
            float[] lr = b[0][0];
            float[] li = b[1][0];
            for (int r = from; r < to; r++) {
                System.arraycopy(re, r * w, lr, 0, w);
                System.arraycopy(im, r * w, li, 0, w);
                rows.transform(lr, li, true);
                if (v == null) {
                    System.arraycopy(lr, 0, out, r * w, w);
                } else {
                    for (int c = 0, k = r * w; c < w; c++, k++) {
                        out[k] = v[k] - lr[c];
                    }
                }
            }
        });
    }

    /** A column block's work: columns [c0, c0 + width) in per-thread buffers (column c in bre[c], bim[c]). */
    @FunctionalInterface
    private interface ColumnBlock {
        void run(int c0, int width, float[][] bre, float[][] bim);
    }

    private void columnBlocks(ColumnBlock body) {
        int blocks = (w + BLOCK - 1) / BLOCK;
        HostPool.forLines(blocks, (from, to) -> {
            float[][][] b = lines.get();
            float[][] bre = b[0];
            float[][] bim = b[1];
            for (int k = from; k < to; k++) {
                int c0 = k * BLOCK;
                body.run(c0, Math.min(BLOCK, w - c0), bre, bim);
            }
        });
    }

    private void gather(int c0, int width, float[][] bre, float[][] bim) {
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < width; c++) {
                bre[c][r] = re[r * w + c0 + c];
                bim[c][r] = im[r * w + c0 + c];
            }
        }
    }

    private void scatter(int c0, int width, float[][] bre, float[][] bim) {
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < width; c++) {
                re[r * w + c0 + c] = bre[c][r];
                im[r * w + c0 + c] = bim[c][r];
            }
        }
    }
}
