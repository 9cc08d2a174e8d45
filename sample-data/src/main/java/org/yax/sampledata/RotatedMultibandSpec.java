package org.yax.sampledata;

import java.util.List;
import java.util.Random;

/**
 * The generated multiband GeoTIFF: float32 (so a negative nodata value is representable and the noise is not
 * quantised) scaled surface reflectance (reflectance x 10000), a UTM grid rotated counter-clockwise by
 * {@code rotationDegrees}, nodata in a corner wedge and in Landsat-7-SLC-off-like scan gaps.
 *
 * @param width            pixels per row
 * @param height           rows
 * @param pixelSizeM       ground size of a pixel side (metres)
 * @param rotationDegrees  counter-clockwise rotation of the pixel grid against north-up
 * @param originEasting    map x of the top left corner of the top left pixel
 * @param originNorthing   map y of that corner
 * @param epsg             EPSG code of the projected CRS
 * @param nodata           nodata value of every band
 * @param noiseSigma       standard deviation of the additive Gaussian noise (scaled reflectance units)
 */
public record RotatedMultibandSpec(int width, int height, double pixelSizeM, double rotationDegrees,
                                   double originEasting, double originNorthing, int epsg, double nodata,
                                   double noiseSigma) {

    public static final RotatedMultibandSpec DEFAULT = new RotatedMultibandSpec(300, 240, 10.0, 15.0,
            430000.0, 5330000.0, 32633, -9999.0, 100.0);

    public static final List<String> BAND_DESCRIPTIONS = List.of(
            "Blue (synthetic, reflectance x 10000)",
            "Green (synthetic, reflectance x 10000)",
            "Red (synthetic, reflectance x 10000)",
            "Near infrared (synthetic, reflectance x 10000)");

    public int bands() {
        return BAND_DESCRIPTIONS.size();
    }

    /** GDAL geotransform: x = g0 + col g1 + row g2, y = g3 + col g4 + row g5. */
    public double[] geoTransform() {
        double theta = Math.toRadians(rotationDegrees);
        double cos = pixelSizeM * Math.cos(theta);
        double sin = pixelSizeM * Math.sin(theta);
        return new double[] {originEasting, cos, sin, originNorthing, sin, -cos};
    }

    /** {@code clean} plus N(0, sigma^2) on valid pixels; nodata pixels stay exactly nodata. */
    public float[] addNoise(float[] clean, Random random) {
        float[] noisy = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            noisy[i] = clean[i] == (float) nodata ? clean[i] : (float) (clean[i] + noiseSigma * random.nextGaussian());
        }
        return noisy;
    }
}
