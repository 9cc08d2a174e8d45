package org.yax.io.gdal;

/**
 * A ground control point: raster position (pixel, line: GDAL's corner-based coordinates, so (0, 0)
 * is the top-left corner of the top-left pixel) tied to a georeferenced position (x, y, z).
 */
public record GdalGcp(String id, String info, double pixel, double line, double x, double y, double z) {
    /** The same point on a grid {@code scale} times finer whose top-left corner stays put. */
    GdalGcp scaled(int scale) {
        return new GdalGcp(id, info, pixel * scale, line * scale, x, y, z);
    }
}
