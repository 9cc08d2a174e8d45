package org.yax.core.noise;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The noise standard deviation a reconstruction assumes: a given value in the image's own units, or "auto",
 * estimated from the data (per plane, per stack or per raster: see {@link Estimate}). Every front end parses,
 * checks and prints it here, so "auto", the number format and the error messages are the same everywhere.
 */
public final class NoiseLevel {
    /** Estimate sigma from the data. */
    public static final NoiseLevel AUTO = new NoiseLevel(Double.NaN);

    /** How an auto sigma was estimated, as provenance records it. */
    public enum Estimate {
        /** {@link NoiseEstimator} on each plane (image files, per-slice series). */
        PER_PLANE("per plane"),
        /** The median of the slices' estimates (a series solved as one volume). */
        PER_STACK("median of per-slice estimates"),
        /** The median over windows sampled across a band (a raster streamed from disk). */
        PER_RASTER("median of sampled windows");

        private final String description;

        Estimate(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final double value;

    private NoiseLevel(double value) {
        this.value = value;
    }

    /** A given sigma: a finite number >= 0 in the image's units. */
    public static NoiseLevel given(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0 (or auto), got " + sigma);
        }
        return new NoiseLevel(sigma);
    }

    /**
     * "auto" (any case), blank or null: {@link #AUTO}; otherwise a number (a decimal comma is accepted, as
     * dialogs in some locales write it) that must be finite and >= 0.
     */
    public static NoiseLevel parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        double v;
        try {
            v = Double.parseDouble(t.replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sigma must be 'auto' or a number >= 0, got '" + text + "'");
        }
        return given(v);
    }

    public boolean isAuto() {
        return Double.isNaN(value);
    }

    /** The given sigma. */
    public double value() {
        if (isAuto()) {
            throw new IllegalStateException("sigma is auto: estimate it from the data");
        }
        return value;
    }

    /**
     * The given sigma, or {@link NoiseEstimator}'s estimate from a (height, width) plane (NaN = missing).
     *
     * @throws IllegalArgumentException when too much of the plane is missing to estimate from
     */
    public double sigmaOf(float[] plane, int width, int height) {
        return isAuto() ? NoiseEstimator.estimateGaussianSigma(plane, width, height) : value;
    }

    /** The median of per-slice (or per-window) estimates: robust to a few slices of pure air or of bone. */
    public static double median(double[] estimates) {
        if (estimates.length == 0) {
            throw new IllegalArgumentException("no estimates to take the median of");
        }
        double[] sorted = estimates.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A sigma as reports and provenance print it: 4 significant digits, locale-independent. */
    public static String format(double sigma) {
        return String.format(Locale.ROOT, "%.4g", sigma);
    }

    /** "auto" or the given value, {@link #format formatted}. */
    @Override
    public String toString() {
        return isAuto() ? "auto" : format(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseLevel n && Double.compare(n.value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
