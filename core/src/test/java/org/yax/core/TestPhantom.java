package org.yax.core;

import java.util.Random;

/** A deterministic piecewise-smooth test plane (ellipses on a ramp, values 0..~1000) with Gaussian noise. */
public final class TestPhantom {
    private TestPhantom() { }

    /** Noise-free phantom of the given size. */
    public static float[] clean(int height, int width) {
        double[][] ellipses = { // centre y, centre x, radius y, radius x (fractions of the size), value
            {0.5, 0.5, 0.42, 0.35, 400}, {0.35, 0.4, 0.12, 0.08, 300}, {0.6, 0.62, 0.1, 0.18, -250},
            {0.25, 0.7, 0.05, 0.05, 500}, {0.8, 0.3, 0.07, 0.2, 200}, {0.15, 0.2, 0.1, 0.1, 350}};
        float[] p = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 100.0 * x / width;
                for (double[] e : ellipses) {
                    double dy = (y - e[0] * height) / (e[2] * height);
                    double dx = (x - e[1] * width) / (e[3] * width);
                    if (dy * dy + dx * dx <= 1) {
                        v += e[4];
                    }
                }
                p[y * width + x] = (float) v;
            }
        }
        return p;
    }

    /** The phantom plus N(0, sigma^2) noise from a fixed seed. */
    public static float[] noisy(int height, int width, double sigma, long seed) {
        float[] p = clean(height, width);
        Random random = new Random(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (sigma * random.nextGaussian());
        }
        return p;
    }
}
