package org.yax.batch.html;

import java.util.List;
import org.yax.core.Image;
import org.yax.core.SourceMetadata;
import org.yax.io.gdal.GdalBand;
import org.yax.io.gdal.GdalSource;

/**
 * A 2-D view of pixel values to show: {@code channels} planes of {@code height x width} values, channel c starting
 * at {@code offset + c * channelStride} in {@code values} (no copy of an image's pixels). A colour plane shows its
 * first three channels as red, green and blue; any other shows its first channel as grey.
 *
 * @param aspect the physical height of a pixel over its width (a reformatted plane: slice spacing / pixel spacing)
 * @param colour whether the channels are colour ({@link #isColour})
 */
record Plane(float[] values, int offset, int channelStride, int channels, int height, int width, double aspect,
             boolean colour) {
    /** Slice {@code z} of {@code image}, all its channels. */
    static Plane of(Image image, int z) {
        return new Plane(image.pixels(), z * image.planeSize(), image.depth() * image.planeSize(), image.channels(),
                image.height(), image.width(), 1, isColour(image.source(), image.channels()));
    }

    /**
     * Whether pixels of {@code channels} channels read from {@code source} are colour: a raster whose first three
     * bands GDAL interprets as red, green and blue (an RGB or RGBA PNG; not a multispectral raster, whose bands are
     * not in that order), otherwise three channels (a colour DICOM image, RGB after decoding).
     */
    static boolean isColour(SourceMetadata source, int channels) {
        if (source instanceof GdalSource raster) {
            List<GdalBand> b = raster.bands();
            return b.size() >= 3 && "Red".equalsIgnoreCase(b.get(0).colorInterpretationName())
                    && "Green".equalsIgnoreCase(b.get(1).colorInterpretationName())
                    && "Blue".equalsIgnoreCase(b.get(2).colorInterpretationName());
        }
        return channels == 3;
    }

    /** How many channels are shown: three for colour, else one. */
    int shown() {
        return colour() ? 3 : 1;
    }

    float get(int c, int y, int x) {
        return values[offset + c * channelStride + y * width + x];
    }
}
