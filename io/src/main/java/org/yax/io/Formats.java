package org.yax.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.gdal.GdalFormat;
import org.yax.io.gdal.GdalWriteOptions;

/** The formats yax reads, in the order they are tried: DICOM first (GDAL must not claim DICOM files). */
public final class Formats {
    private static final List<ImageFormat> ALL = with(GdalWriteOptions.DEFAULT);

    private Formats() { }

    /** The formats with GDAL's default write options. */
    public static List<ImageFormat> all() {
        return ALL;
    }

    /** The formats, with rasters written according to {@code rasterOptions}. */
    public static List<ImageFormat> with(GdalWriteOptions rasterOptions) {
        return List.of(new DicomFormat(), new GdalFormat(rasterOptions));
    }

    /** The format that can read {@code file}, judged by content. */
    public static Optional<ImageFormat> detect(Path file) {
        return detect(file, ALL);
    }

    /** The first of {@code formats} that can read {@code file}, judged by content. */
    public static Optional<ImageFormat> detect(Path file, List<ImageFormat> formats) {
        return formats.stream().filter(f -> f.canRead(file)).findFirst();
    }
}
