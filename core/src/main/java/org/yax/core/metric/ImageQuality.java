package org.yax.core.metric;

import org.yax.core.Image;

/** PSNR and SSIM of an image against ground truth, with the data range taken from the ground truth. */
public final class ImageQuality {
    private ImageQuality() { }

    /**
     * {PSNR, SSIM} of {@code test} against {@code reference} (PSNR over all pixels, SSIM averaged over
     * planes); null when the two images do not share a grid (nothing to compare pixel by pixel).
     */
    public static double[] measure(Image reference, Image test) {
        if (reference.channels() != test.channels() || reference.depth() != test.depth()
                || reference.height() != test.height() || reference.width() != test.width()) {
            return null;
        }
        double range = dataRange(reference.pixels());
        if (!(range > 0)) {
            return null;
        }
        double psnr = Psnr.psnr(reference.pixels(), test.pixels(), range);
        double ssim = 0;
        for (int c = 0; c < reference.channels(); c++) {
            for (int z = 0; z < reference.depth(); z++) {
                float[] ref = reference.plane(c, z);
                float[] tst = test.plane(c, z);
                fillMissing(ref, tst);
                ssim += Ssim.ssim(ref, tst, reference.width(), reference.height(), range);
            }
        }
        return new double[] {psnr, ssim / reference.planeCount()};
    }

    /**
     * SSIM's window needs every pixel: where either image is missing (nodata), both get the same value,
     * the reference's mean, so missing pixels neither help nor hurt.
     */
    private static void fillMissing(float[] ref, float[] test) {
        double sum = 0;
        int n = 0;
        for (float v : ref) {
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        float fill = n == 0 ? 0f : (float) (sum / n);
        for (int i = 0; i < ref.length; i++) {
            if (Float.isNaN(ref[i]) || Float.isNaN(test[i])) {
                ref[i] = fill;
                test[i] = fill;
            }
        }
    }

    /** max - min of the non-missing values. */
    public static double dataRange(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (!Float.isNaN(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        return max - min;
    }
}
