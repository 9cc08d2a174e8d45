package org.yax.core;

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

    /** Whether the plane has no observed pixel at all. */
    public boolean empty() {
        return Double.isNaN(mean);
    }
}
