package org.yax.core.op;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** The host forms of the operators ({@link HostOperator#of}). */
final class HostOperators {
    private HostOperators() { }

    /** Lines of a shape: all axes but the last, and the last axis's length. */
    static int lines(Shape s) {
        return (int) (s.size() / s.get(s.dimension() - 1));
    }

    static int width(Shape s) {
        return (int) s.get(s.dimension() - 1);
    }

    /** A = I. */
    static final class Same implements HostOperator {
        private final int n;
        private final int lines;
        private final int width;
        private final float[] ones;

        Same(Shape shape) {
            this.n = HostOperator.size(shape);
            this.lines = lines(shape);
            this.width = width(shape);
            this.ones = new float[n];
            Arrays.fill(ones, 1f);
        }

        @Override public int inputSize() { return n; }
        @Override public int outputSize() { return n; }

        @Override
        public void apply(float[] x, float[] out) {
            HostPool.forLines(lines, (from, to) -> System.arraycopy(x, from * width, out, from * width,
                    (to - from) * width));
        }

        @Override public void applyAdjoint(float[] y, float[] out) { apply(y, out); }
        @Override public float[] gramDiagonal() { return ones; }
        @Override public double gramScalar() { return 1; }
        @Override public boolean isIdentity() { return true; }
    }

    /** A = diag(observed), observed 0 or 1. */
    static final class Masking implements HostOperator {
        private final int n;
        private final int lines;
        private final int width;
        private final float[] observed;

        Masking(Shape shape, float[] observed) {
            this.n = HostOperator.size(shape);
            this.lines = lines(shape);
            this.width = width(shape);
            this.observed = observed;
        }

        @Override public int inputSize() { return n; }
        @Override public int outputSize() { return n; }

        @Override
        public void apply(float[] x, float[] out) {
            HostPool.forLines(lines, (from, to) -> {
                for (int i = from * width, end = to * width; i < end; i++) {
                    out[i] = x[i] * observed[i];
                }
            });
        }

        @Override public void applyAdjoint(float[] y, float[] out) { apply(y, out); }
        @Override public float[] gramDiagonal() { return observed; }
        @Override public double gramScalar() { return Double.NaN; }
    }

    /** {@link Downsample}: block means (columns first, then rows, as the engine reduces) and their adjoint. */
    static final class BlockMean implements HostOperator {
        private final int h;
        private final int w;
        private final int f;
        private final int lowH;
        private final int lowW;
        private final float[] gram;

        BlockMean(Shape highRes, int factor) {
            this.h = (int) highRes.get(0);
            this.w = (int) highRes.get(1);
            this.f = factor;
            this.lowH = h / f;
            this.lowW = w / f;
            this.gram = new float[lowH * lowW];
            Arrays.fill(gram, (float) (1.0 / (f * f)));
        }

        @Override public int inputSize() { return h * w; }
        @Override public int outputSize() { return lowH * lowW; }

        @Override
        public void apply(float[] x, float[] out) {
            float ff = f;
            HostPool.forLines(lowH, (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int c = 0; c < lowW; c++) {
                        float rows = 0f;
                        for (int a = 0; a < f; a++) {
                            int base = (r * f + a) * w + c * f;
                            float cols = 0f;
                            for (int b = 0; b < f; b++) {
                                cols += x[base + b];
                            }
                            rows += cols / ff;
                        }
                        out[r * lowW + c] = rows / ff;
                    }
                }
            });
        }

        @Override
        public void applyAdjoint(float[] y, float[] out) {
            float ff = (float) f * f;
            HostPool.forLines(h, (from, to) -> {
                for (int row = from; row < to; row++) {
                    int src = (row / f) * lowW;
                    int base = row * w;
                    for (int col = 0; col < w; col++) {
                        out[base + col] = y[src + col / f] / ff;
                    }
                }
            });
        }

        @Override public float[] gramDiagonal() { return gram; }
        @Override public double gramScalar() { return 1.0 / (f * f); }
    }

    /**
     * Strided correlation of a plane with symmetric extension ({@link ReflectConvolution}, as {@link Blur} (stride
     * 1) and {@link KernelDownsample} (stride = factor) use it): out[i][j] = sum_a sum_b taps[a][b]
     * x[refl(i * stride - padTop + a)][refl(j * stride - padLeft + b)]. The adjoint gathers, for each input pixel,
     * every (output, tap) pair whose reflected source it is (lists made once), so it needs no scatter and no race.
     */
    static final class ReflectCorrelation implements HostOperator {
        private final int h;
        private final int w;
        private final int outH;
        private final int outW;
        private final int kh;
        private final int kw;
        private final float[] taps;
        /** source row of output row i and tap row a: rowSource[i * kh + a] (and columns alike) */
        private final int[] rowSource;
        private final int[] colSource;
        /** per input row p: pairs (output row, tap row), in CSR form */
        private final int[] rowStart;
        private final int[] rowPairs;
        private final int[] colStart;
        private final int[] colPairs;

        /** Stride 1, output the size of the input. */
        ReflectCorrelation(int h, int w, float[] taps, int kh, int kw, int padTop, int padLeft) {
            this(h, w, h, w, taps, kh, kw, padTop, padLeft, 1);
        }

        ReflectCorrelation(int h, int w, int outH, int outW, float[] taps, int kh, int kw, int padTop, int padLeft,
                           int stride) {
            this.h = h;
            this.w = w;
            this.outH = outH;
            this.outW = outW;
            this.kh = kh;
            this.kw = kw;
            this.taps = taps.clone();
            this.rowSource = sources(outH, h, kh, padTop, stride);
            this.colSource = sources(outW, w, kw, padLeft, stride);
            this.rowStart = new int[h + 1];
            this.rowPairs = inverse(rowSource, h, rowStart);
            this.colStart = new int[w + 1];
            this.colPairs = inverse(colSource, w, colStart);
        }

        private static int[] sources(int nOut, int n, int k, int pad, int stride) {
            int[] s = new int[nOut * k];
            for (int i = 0; i < nOut; i++) {
                for (int a = 0; a < k; a++) {
                    s[i * k + a] = reflect(i * stride - pad + a, n);
                }
            }
            return s;
        }

        /** x[-1] = x[0], x[n] = x[n-1], period 2n. */
        static int reflect(int m, int n) {
            int period = 2 * n;
            int k = ((m % period) + period) % period;
            return k < n ? k : period - 1 - k;
        }

        /** For each source index p the pairs (i, a) with sources[i * k + a] = p, as flat i * k + a, grouped by p. */
        private static int[] inverse(int[] sources, int n, int[] start) {
            for (int s : sources) {
                start[s + 1]++;
            }
            for (int p = 0; p < n; p++) {
                start[p + 1] += start[p];
            }
            int[] fill = Arrays.copyOf(start, n);
            int[] pairs = new int[sources.length];
            for (int j = 0; j < sources.length; j++) {
                pairs[fill[sources[j]]++] = j;
            }
            return pairs;
        }

        @Override public int inputSize() { return h * w; }
        @Override public int outputSize() { return outH * outW; }

        @Override
        public void apply(float[] x, float[] out) {
            HostPool.forLines(outH, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < outW; j++) {
                        float s = 0f;
                        for (int a = 0; a < kh; a++) {
                            int src = rowSource[i * kh + a] * w;
                            int t = a * kw;
                            for (int b = 0; b < kw; b++) {
                                s += taps[t + b] * x[src + colSource[j * kw + b]];
                            }
                        }
                        out[i * outW + j] = s;
                    }
                }
            });
        }

        @Override
        public void applyAdjoint(float[] y, float[] out) {
            HostPool.forLines(h, (from, to) -> {
                for (int p = from; p < to; p++) {
                    for (int q = 0; q < w; q++) {
                        float s = 0f;
                        for (int u = rowStart[p]; u < rowStart[p + 1]; u++) {
                            int ia = rowPairs[u];
                            int yRow = (ia / kh) * outW;
                            int t = (ia % kh) * kw;
                            for (int v = colStart[q]; v < colStart[q + 1]; v++) {
                                int jb = colPairs[v];
                                s += taps[t + jb % kw] * y[yRow + jb / kw];
                            }
                        }
                        out[p * w + q] = s;
                    }
                }
            });
        }

        @Override public float[] gramDiagonal() { return null; }
        @Override public double gramScalar() { return Double.NaN; }
    }

    /** outer after inner, through one intermediate array (made once). */
    static final class Chain implements HostOperator {
        private final HostOperator outer;
        private final HostOperator inner;
        private final float[] mid;
        private final float[] gram;

        Chain(HostOperator outer, HostOperator inner) {
            this.outer = outer;
            this.inner = inner;
            this.mid = new float[inner.outputSize()];
            double c = inner.gramScalar();
            float[] og = Double.isNaN(c) ? null : outer.gramDiagonal();
            if (og == null) {
                this.gram = null;
            } else {
                this.gram = new float[og.length];
                for (int i = 0; i < og.length; i++) {
                    gram[i] = og[i] * (float) c;
                }
            }
        }

        @Override public int inputSize() { return inner.inputSize(); }
        @Override public int outputSize() { return outer.outputSize(); }

        @Override
        public synchronized void apply(float[] x, float[] out) {
            inner.apply(x, mid);
            outer.apply(mid, out);
        }

        @Override
        public synchronized void applyAdjoint(float[] y, float[] out) {
            outer.applyAdjoint(y, mid);
            inner.applyAdjoint(mid, out);
        }

        @Override public float[] gramDiagonal() { return gram; }
        @Override public double gramScalar() { return outer.gramScalar() * inner.gramScalar(); }
    }
}
