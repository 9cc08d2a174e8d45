package org.yax.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * Host-side float32 pixels with axes (channel, z, y, x), row-major, plus an opaque handle on the
 * source file's metadata so a writer can produce a valid derived file.
 *
 * <p>Values are in the image's own units (HU for CT, digital numbers for a raster band). A NaN pixel
 * means "missing" (a raster's nodata, or a pixel outside a mask).
 */
public final class Image {
    private final float[] pixels;
    private final int channels;
    private final int depth;
    private final int height;
    private final int width;
    private final SourceMetadata source;

    public Image(float[] pixels, int channels, int depth, int height, int width, SourceMetadata source) {
        if (channels < 1 || depth < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got (channels=" + channels
                    + ", depth=" + depth + ", height=" + height + ", width=" + width + ")");
        }
        long n = (long) channels * depth * height * width;
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != n) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, shape (" + channels
                    + ", " + depth + ", " + height + ", " + width + ") needs " + n);
        }
        this.pixels = pixels;
        this.channels = channels;
        this.depth = depth;
        this.height = height;
        this.width = width;
        this.source = source;
    }

    /** A new image of the given plane size that keeps this image's channel/z layout and source. */
    public Image withPixels(float[] newPixels, int newHeight, int newWidth) {
        return new Image(newPixels, channels, depth, newHeight, newWidth, source);
    }

    public int channels() { return channels; }
    public int depth() { return depth; }
    public int height() { return height; }
    public int width() { return width; }
    public int planeSize() { return height * width; }
    public int planeCount() { return channels * depth; }

    /** The live backing array, (channel, z, y, x) row-major. */
    public float[] pixels() { return pixels; }

    /** The source's metadata, or null for an image that has no file behind it. */
    public SourceMetadata source() { return source; }

    public float get(int c, int z, int y, int x) {
        return pixels[((c * depth + z) * height + y) * width + x];
    }

    /** A copy of plane (c, z), row-major y, x. */
    public float[] plane(int c, int z) {
        int from = (c * depth + z) * planeSize();
        return Arrays.copyOfRange(pixels, from, from + planeSize());
    }

    public void setPlane(int c, int z, float[] plane) {
        if (plane.length != planeSize()) {
            throw new IllegalArgumentException("plane has " + plane.length + " values, expected " + planeSize());
        }
        System.arraycopy(plane, 0, pixels, (c * depth + z) * planeSize(), planeSize());
    }

    @Override
    public String toString() {
        return "Image(channels=" + channels + ", depth=" + depth + ", " + height + "x" + width + ")";
    }
}
