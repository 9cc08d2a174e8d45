package org.yax.batch.html;

import org.yax.core.Image;

/**
 * A 2-D view of pixel values to show: {@code channels} planes of {@code height x width} values, channel c starting
 * at {@code offset + c * channelStride} in {@code values} (no copy of an image's pixels). Three channels show as
 * colour (RGB), and four (RGB and alpha, left out); any other count shows its first channel as grey (a multispectral
 * raster's bands are not red, green and blue in that order).
 *
 * @param aspect the physical height of a pixel over its width (a reformatted plane: slice spacing / pixel spacing)
 */
record Plane(float[] values, int offset, int channelStride, int channels, int height, int width, double aspect) {
    /** Slice {@code z} of {@code image}, all its channels. */
    static Plane of(Image image, int z) {
        return new Plane(image.pixels(), z * image.planeSize(), image.depth() * image.planeSize(), image.channels(),
                image.height(), image.width(), 1);
    }

    /** Whether this plane shows in colour. */
    boolean colour() {
        return channels == 3 || channels == 4;
    }

    /** How many channels are shown: three for colour, else one. */
    int shown() {
        return colour() ? 3 : 1;
    }

    float get(int c, int y, int x) {
        return values[offset + c * channelStride + y * width + x];
    }
}
