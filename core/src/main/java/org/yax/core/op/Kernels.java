package org.yax.core.op;

/** Small filter-kernel builders shared by the blur and downsampling operators (double precision, then float). */
final class Kernels {
    private Kernels() { }

    /**
     * The sampled 1-D Gaussian of scipy.ndimage.gaussian_filter1d: radius int(4 sigma + 0.5), weights
     * exp(-x^2 / (2 sigma^2)) normalised to sum 1; sigma 0 gives the single tap [1].
     */
    static float[] gaussian1d(double sigma, String parameter) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException(parameter + " must be a finite number >= 0, got " + sigma);
        }
        int radius = (int) (4 * sigma + 0.5);
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            w[i + radius] = radius == 0 ? 1 : Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += w[i + radius];
        }
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) (w[i] / sum);
        }
        return out;
    }

    static float[][] outer(float[] a, float[] b) {
        float[][] k = new float[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                k[i][j] = a[i] * b[j];
            }
        }
        return k;
    }

    /** k / sum(k) as float; entries must be finite and the sum positive. */
    static float[][] normalised(double[][] k, String what) {
        double sum = 0;
        for (double[] row : k) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " entries must be finite, found " + v);
                }
                sum += v;
            }
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(what + " must have a positive sum, got " + sum);
        }
        float[][] out = new float[k.length][k[0].length];
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k[i].length; j++) {
                out[i][j] = (float) (k[i][j] / sum);
            }
        }
        return out;
    }
}
