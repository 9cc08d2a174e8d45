package org.yax.core.metric;

import java.util.Objects;
import org.yax.core.Image;

/**
 * Peak signal-to-noise ratio, {@code 10 log10(R^2 / MSE)}, as skimage's {@code peak_signal_noise_ratio}
 * with an explicit {@code data_range=R}.
 *
 * <p>A pixel that is NaN in the reference or in the test image is missing and is left out of the mean
 * squared error; identical images give {@code +Infinity}.
 */
public final class Psnr {
    private Psnr() {
    }

    /**
     * PSNR in dB between two equally sized arrays.
     *
     * @param dataRange distance between the smallest and largest possible value (e.g. 1.0, 255, 4095); must be > 0
     * @throws IllegalArgumentException if the lengths differ, dataRange is not a positive finite number, or no
     *                                  pixel is present (non-NaN) in both arrays
     */
    public static double psnr(float[] reference, float[] test, double dataRange) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(test, "test");
        requireDataRange(dataRange);
        if (reference.length != test.length) {
            throw new IllegalArgumentException("test has " + test.length + " values but reference has "
                    + reference.length);
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < reference.length; i++) {
            float r = reference[i];
            float t = test[i];
            if (Float.isNaN(r) || Float.isNaN(t)) {
                continue;
            }
            double d = (double) r - (double) t;
            sum += d * d;
            count++;
        }
        if (count == 0) {
            throw new IllegalArgumentException("reference and test have no pixel that is present (non-NaN) in both,"
                    + " out of " + reference.length);
        }
        return psnrFromMse(sum / count, dataRange);
    }

    /**
     * PSNR in dB over all planes of two images of the same shape: one mean squared error over every pixel
     * present in both (not a mean of per-plane PSNRs), as skimage computes it on the whole array.
     */
    public static double psnr(Image reference, Image test, double dataRange) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(test, "test");
        requireSameShape(reference, test);
        return psnr(reference.pixels(), test.pixels(), dataRange);
    }

    static double psnrFromMse(double mse, double dataRange) {
        if (mse == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    static void requireDataRange(double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException("dataRange must be a positive finite number, got " + dataRange);
        }
    }

    static void requireSameShape(Image reference, Image test) {
        if (reference.channels() != test.channels() || reference.depth() != test.depth()
                || reference.height() != test.height() || reference.width() != test.width()) {
            throw new IllegalArgumentException("test " + test + " does not have the shape of reference " + reference);
        }
    }
}
