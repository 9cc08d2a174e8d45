package org.yax.core.solve;

/**
 * Upsampling baselines for super-resolution, on host planes: cubic convolution (Keys, a = -0.5, as
 * MATLAB's and most tools' "bicubic") with the output pixel centres placed so that the field of view
 * stays put, edge pixels replicated.
 */
public final class Interpolation {
    private Interpolation() { }

    /** (h, w) -> (h * factor, w * factor) by bicubic interpolation. */
    public static float[] bicubic(float[] plane, int height, int width, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be >= 1, got " + factor);
        }
        float[] rows = new float[height * width * factor];
        for (int y = 0; y < height; y++) {
            upsampleLine(plane, y * width, 1, width, factor, rows, y * width * factor, 1);
        }
        int outW = width * factor;
        float[] out = new float[height * factor * outW];
        for (int x = 0; x < outW; x++) {
            upsampleLine(rows, x, outW, height, factor, out, x, outW);
        }
        return out;
    }

    private static void upsampleLine(float[] src, int start, int stride, int n, int factor, float[] dst, int dstStart,
                                     int dstStride) {
        for (int i = 0; i < n * factor; i++) {
            // centre of output pixel i in input pixel coordinates
            double pos = (i + 0.5) / factor - 0.5;
            int base = (int) Math.floor(pos);
            double t = pos - base;
            double sum = 0;
            for (int k = -1; k <= 2; k++) {
                int j = Math.min(n - 1, Math.max(0, base + k));
                sum += src[start + j * stride] * keys(k - t);
            }
            dst[dstStart + i * dstStride] = (float) sum;
        }
    }

    /** Keys' cubic convolution kernel with a = -0.5. */
    static double keys(double x) {
        double a = -0.5;
        double s = Math.abs(x);
        if (s <= 1) {
            return (a + 2) * s * s * s - (a + 3) * s * s + 1;
        }
        if (s < 2) {
            return a * s * s * s - 5 * a * s * s + 8 * a * s - 4 * a;
        }
        return 0;
    }

    /**
     * Missing pixels get the mean of observed pixels in the smallest box (radius 2, 6, 18, ...) that holds
     * any (normalised convolution); observed pixels keep their value. Summed-area tables keep it O(n) per level.
     */
    public static float[] fillMissing(float[] y, boolean[] observed, int h, int w) {
        float[] out = y.clone();
        boolean[] done = observed.clone();
        int remaining = 0;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < out.length; i++) {
            if (!done[i]) {
                remaining++;
            } else {
                sum += y[i];
                count++;
            }
        }
        if (count == 0) {
            java.util.Arrays.fill(out, 0.5f);
            return out;
        }
        double[] values = new double[(h + 1) * (w + 1)];
        int[] counts = new int[(h + 1) * (w + 1)];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int i = r * w + c;
                int k = (r + 1) * (w + 1) + c + 1;
                values[k] = values[k - 1] + values[k - w - 1] - values[k - w - 2] + (observed[i] ? y[i] : 0);
                counts[k] = counts[k - 1] + counts[k - w - 1] - counts[k - w - 2] + (observed[i] ? 1 : 0);
            }
        }
        for (int radius = 2; remaining > 0 && radius < 2 * Math.max(h, w); radius *= 3) {
            for (int r = 0; r < h; r++) {
                int r0 = Math.max(0, r - radius);
                int r1 = Math.min(h, r + radius + 1);
                for (int c = 0; c < w; c++) {
                    int i = r * w + c;
                    if (done[i]) {
                        continue;
                    }
                    int c0 = Math.max(0, c - radius);
                    int c1 = Math.min(w, c + radius + 1);
                    int n = counts[r1 * (w + 1) + c1] - counts[r0 * (w + 1) + c1] - counts[r1 * (w + 1) + c0]
                            + counts[r0 * (w + 1) + c0];
                    if (n > 0) {
                        double v = values[r1 * (w + 1) + c1] - values[r0 * (w + 1) + c1]
                                - values[r1 * (w + 1) + c0] + values[r0 * (w + 1) + c0];
                        out[i] = (float) (v / n);
                        done[i] = true;
                        remaining--;
                    }
                }
            }
        }
        return out;
    }
}
