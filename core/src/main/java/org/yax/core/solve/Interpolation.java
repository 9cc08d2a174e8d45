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
}
