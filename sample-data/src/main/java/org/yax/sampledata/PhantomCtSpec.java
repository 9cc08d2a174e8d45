package org.yax.sampledata;

import java.util.Random;

/**
 * Geometry, sampling and noise of the generated Shepp-Logan CT series. The phantom's [-1, 1] range spans the
 * in-plane field of view; z uses the same millimetres per phantom unit so the head is not stretched.
 *
 * @param columns          pixels per row
 * @param rows             rows per slice
 * @param slices           number of axial slices (one DICOM file each)
 * @param pixelSpacingMm   in-plane pixel spacing (row and column)
 * @param sliceSpacingMm   distance between slice centres, also the slice thickness
 * @param supersampling    sub-samples per pixel side when rendering (partial volume)
 * @param noiseSigmaHu     standard deviation of the additive Gaussian noise of the acquired series
 * @param minHu            lowest HU the stored range can hold (clamp)
 * @param maxHu            highest HU the stored range can hold (clamp)
 */
public record PhantomCtSpec(int columns, int rows, int slices, double pixelSpacingMm, double sliceSpacingMm,
                            int supersampling, double noiseSigmaHu, int minHu, int maxHu) {

    /** Signed 16-bit stored values with RescaleIntercept -1024, slope 1. */
    public static final int RESCALE_INTERCEPT = -1024;

    public static final PhantomCtSpec DEFAULT = new PhantomCtSpec(256, 256, 20, 0.9, 3.0, 2, 40.0,
            Short.MIN_VALUE + RESCALE_INTERCEPT, Short.MAX_VALUE + RESCALE_INTERCEPT);

    public double mmPerPhantomUnit() {
        return pixelSpacingMm * columns / 2.0;
    }

    /** Patient z (mm) of slice {@code index}; slices are centred on z = 0 and ascend with the index. */
    public double sliceZMm(int index) {
        return (index - (slices - 1) / 2.0) * sliceSpacingMm;
    }

    /** Patient x and y (mm) of the centre of the first (top left) pixel: the field of view is centred on 0. */
    public double firstPixelXMm() {
        return -(columns - 1) / 2.0 * pixelSpacingMm;
    }

    public double firstPixelYMm() {
        return -(rows - 1) / 2.0 * pixelSpacingMm;
    }

    /** Noise-free HU of slice {@code index}: the ground truth. */
    public int[] groundTruthHu(int index) {
        return SheppLoganPhantom.slice(columns, rows, 2.0 / columns, sliceZMm(index) / mmPerPhantomUnit(),
                supersampling);
    }

    /** {@code clean} plus N(0, sigma^2) rounded to whole HU and clamped to the stored range. */
    public int[] addNoise(int[] clean, Random random) {
        int[] noisy = new int[clean.length];
        for (int i = 0; i < clean.length; i++) {
            long hu = Math.round(clean[i] + noiseSigmaHu * random.nextGaussian());
            noisy[i] = (int) Math.max(minHu, Math.min(maxHu, hu));
        }
        return noisy;
    }
}
