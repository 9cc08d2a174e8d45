package org.yax.core;

/**
 * What the reader of a file keeps so that a writer can write a derived file with nothing lost
 * (a DICOM attribute list, a raster's georeferencing and metadata domains). Opaque to the core.
 */
public interface SourceMetadata {
    /** The format family that can write this metadata back, e.g. "DICOM" or "GDAL". */
    String format();
}
