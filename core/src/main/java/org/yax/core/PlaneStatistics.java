package org.yax.core;

import org.yax.core.noise.NoiseLevel;

/**
 * What the solve of a plane depends on besides its pixels: the noise sigma, the value range of its
 * observed pixels (which scales the regularisation floor and Tikhonov's weight) and their mean (where
 * missing pixels start). {@link Reconstruction} measures these on the plane it is given; a caller that
 * hands it one window of a larger plane (streaming a raster from disk) passes the whole plane's values
 * instead, so every window solves the plane's problem, as the in-memory tiles do.
 *
 * @param sigma noise standard deviation in the plane's units (>= 0)
 * @param min   smallest observed value
 * @param max   largest observed value
 * @param mean  mean of the observed values; NaN when the plane has no observed pixel
 */
public record PlaneStatistics(double sigma, double min, double max, double mean) {
    public PlaneStatistics {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
        }
        if (!Double.isNaN(mean) && !(min <= max)) {
            throw new IllegalArgumentException("min " + min + " must not exceed max " + max);
        }
    }

    /**
     * Measures a plane as {@link Reconstruction} does before solving it: the noise level's sigma (given, or
     * estimated from the plane), range and mean of the observed (non-NaN) pixels; {@link #empty()} when there is none.
     *
     * @throws IllegalArgumentException for an infinite pixel (only NaN may mark missing data), or when too much of
     *                                  the plane is missing to estimate sigma from
     */
    /** @throws IllegalArgumentException for an infinite pixel: only NaN may mark missing data */
    static void checkFinite(float[] plane) {
        for (int i = 0; i < plane.length; i++) {
            if (Float.isInfinite(plane[i])) {
                throw new IllegalArgumentException("pixel " + i + " is infinite: only NaN may mark missing data");
            }
        }
    }

    public static PlaneStatistics measure(float[] plane, int width, int height, NoiseLevel noise) {
        int observedCount = 0;
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < plane.length; i++) {
            float v = plane[i];
            if (Float.isInfinite(v)) {
                throw new IllegalArgumentException("pixel " + i + " is infinite: only NaN may mark missing data");
            }
            if (!Float.isNaN(v)) {
                observedCount++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (observedCount == 0) {
            return new PlaneStatistics(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new PlaneStatistics(noise.sigmaOf(plane, width, height), min, max, sum / observedCount);
    }

    /** Whether the plane has no observed pixel at all. */
    public boolean empty() {
        return Double.isNaN(mean);
    }
}
