package org.yax.cli.bench;

import java.util.Random;

/**
 * The benchmark's input: the modified Shepp-Logan phantom (Toft 1996) in [0, 1], point-sampled at any size,
 * plus Gaussian noise from a fixed seed, so every run and every tool sees the same pixels.
 */
public final class BenchImage {
    // Columns: intensity, semi-axes a b, centre x0 y0, rotation (degrees); phantom units in [-1, 1].
    private static final double[][] ELLIPSES = {
            {1.0, 0.6900, 0.9200, 0, 0, 0},
            {-0.8, 0.6624, 0.8740, 0, -0.0184, 0},
            {-0.2, 0.1100, 0.3100, 0.22, 0, -18},
            {-0.2, 0.1600, 0.4100, -0.22, 0, 18},
            {0.1, 0.2100, 0.2500, 0, 0.35, 0},
            {0.1, 0.0460, 0.0460, 0, 0.1, 0},
            {0.1, 0.0460, 0.0460, 0, -0.1, 0},
            {0.1, 0.0460, 0.0230, -0.08, -0.605, 0},
            {0.1, 0.0230, 0.0230, 0, -0.606, 0},
            {0.1, 0.0230, 0.0460, 0.06, -0.605, 0},
    };

    private BenchImage() {
    }

    /** The clean phantom, size x size, row-major. */
    public static float[] phantom(int size) {
        float[] out = new float[size * size];
        for (int row = 0; row < size; row++) {
            double y = 1 - (2.0 * row + 1) / size;
            for (int col = 0; col < size; col++) {
                double x = (2.0 * col + 1) / size - 1;
                double v = 0;
                for (double[] e : ELLIPSES) {
                    double angle = Math.toRadians(e[5]);
                    double dx = x - e[3];
                    double dy = y - e[4];
                    double u = dx * Math.cos(angle) + dy * Math.sin(angle);
                    double w = -dx * Math.sin(angle) + dy * Math.cos(angle);
                    if (u * u / (e[1] * e[1]) + w * w / (e[2] * e[2]) <= 1) {
                        v += e[0];
                    }
                }
                out[row * size + col] = (float) v;
            }
        }
        return out;
    }

    /** The phantom plus N(0, sigma^2) noise per pixel, deterministic for a seed. */
    public static float[] noisyPhantom(int size, double sigma, long seed) {
        float[] out = phantom(size);
        Random random = new Random(seed);
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (sigma * random.nextGaussian());
        }
        return out;
    }
}
