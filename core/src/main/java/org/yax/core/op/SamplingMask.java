package org.yax.core.op;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which phase-encode lines of a Cartesian (height, width) k-space are acquired. A line is a whole ROW of
 * k-space (one ky, every kx: the readout runs along the width); rows are in numpy.fft order (row 0 is
 * ky = 0, row i is ky = i for i <= (height - 1) / 2 and i - height after that, no fftshift).
 * The central (lowest |ky|) round(height * centerFraction) rows are always acquired.
 */
public final class SamplingMask {
    private final int height;
    private final int width;
    private final int acceleration;
    private final boolean[] rows;
    private final String kind;

    private SamplingMask(int height, int width, int acceleration, boolean[] rows, String kind) {
        this.height = height;
        this.width = width;
        this.acceleration = acceleration;
        this.rows = rows;
        this.kind = kind;
    }

    /**
     * Fully sampled centre plus lines drawn at random, without replacement, with probability weights
     * (1 - |ky| / (height / 2 + 1))^2 that decay away from the centre, so that exactly round(height /
     * acceleration) lines are acquired in all. Deterministic for a seed.
     */
    public static SamplingMask variableDensity(int height, int width, int acceleration, double centerFraction,
                                               long seed) {
        boolean[] rows = centre(height, width, acceleration, centerFraction);
        int target = (int) Math.round((double) height / acceleration);
        int have = count(rows);
        if (have > target) {
            throw new IllegalArgumentException("centerFraction " + centerFraction + " gives " + have
                    + " centre lines, more than the " + target + " lines of acceleration " + acceleration);
        }
        // weighted sampling without replacement (Efraimidis-Spirakis): keep the largest u^(1/weight)
        SplittableRandom random = new SplittableRandom(seed);
        double half = height / 2.0 + 1;
        double[] key = new double[height];
        Integer[] order = new Integer[height];
        for (int i = 0; i < height; i++) {
            double weight = Math.pow(1 - Math.abs(frequency(i, height)) / half, 2);
            double u = random.nextDouble();
            key[i] = rows[i] ? Double.NEGATIVE_INFINITY : Math.log(u) / weight;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
        for (int k = 0; k < target - have; k++) {
            rows[order[k]] = true;
        }
        return new SamplingMask(height, width, acceleration, rows, "variable-density (seed " + seed + ")");
    }

    /**
     * Fully sampled centre plus every acceleration-th line (the lines with ky divisible by acceleration), so
     * slightly more than height / acceleration lines in all; see {@link #effectiveAcceleration()}.
     */
    public static SamplingMask equispaced(int height, int width, int acceleration, double centerFraction) {
        boolean[] rows = centre(height, width, acceleration, centerFraction);
        for (int i = 0; i < height; i++) {
            if (Math.floorMod(frequency(i, height), acceleration) == 0) {
                rows[i] = true;
            }
        }
        return new SamplingMask(height, width, acceleration, rows, "equispaced");
    }

    /** A mask from explicit rows (true = acquired), in numpy.fft order. */
    public static SamplingMask ofRows(boolean[] rows, int width) {
        if (rows == null || rows.length < 1 || width < 1) {
            throw new IllegalArgumentException("rows must be non-empty and width >= 1, got width " + width);
        }
        if (count(rows) == 0) {
            throw new IllegalArgumentException("a sampling mask must acquire at least one line");
        }
        int nominal = (int) Math.round((double) rows.length / count(rows));
        return new SamplingMask(rows.length, width, nominal, rows.clone(), "explicit");
    }

    private static boolean[] centre(int height, int width, int acceleration, double centerFraction) {
        if (height < 2 || width < 1) {
            throw new IllegalArgumentException("k-space size must be at least 2 x 1, got " + height + " x " + width);
        }
        if (acceleration < 2 || acceleration > 8) {
            throw new IllegalArgumentException("acceleration must be between 2 and 8, got " + acceleration);
        }
        if (!(centerFraction >= 0 && centerFraction <= 1.0 / acceleration)) {
            throw new IllegalArgumentException("centerFraction must be between 0 and 1/acceleration = "
                    + (1.0 / acceleration) + ", got " + centerFraction);
        }
        boolean[] rows = new boolean[height];
        int n = (int) Math.round(height * centerFraction);
        // lowest |ky| first: 0, 1, -1, 2, -2, ...
        for (int k = 0; k < n; k++) {
            int f = (k + 1) / 2 * (k % 2 == 1 ? 1 : -1);
            rows[Math.floorMod(f, height)] = true;
        }
        return rows;
    }

    /** The ky of row i in numpy.fft order. */
    static int frequency(int i, int n) {
        return i <= (n - 1) / 2 ? i : i - n;
    }

    private static int count(boolean[] rows) {
        int c = 0;
        for (boolean r : rows) {
            c += r ? 1 : 0;
        }
        return c;
    }

    public int height() { return height; }
    public int width() { return width; }
    /** The acceleration asked for. */
    public int acceleration() { return acceleration; }
    public boolean isSampled(int row) { return rows[row]; }
    public int sampledLines() { return count(rows); }
    /** height / acquired lines. */
    public double effectiveAcceleration() { return (double) height / sampledLines(); }

    /** true where the row is acquired, numpy.fft order (a copy). */
    public boolean[] rows() { return rows.clone(); }

    /** 1 for acquired rows, 0 otherwise. */
    float[] rowWeights(float acquired) {
        float[] w = new float[height];
        for (int i = 0; i < height; i++) {
            w[i] = rows[i] ? acquired : 0;
        }
        return w;
    }

    public String describe() {
        return kind + " Cartesian mask " + height + "x" + width + ", " + sampledLines() + " of " + height
                + " lines (x" + String.format("%.2f", effectiveAcceleration()) + ")";
    }

    @Override public String toString() { return describe(); }
}
