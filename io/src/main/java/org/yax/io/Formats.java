package org.yax.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.gdal.GdalFormat;

/** The formats yax reads, in the order they are tried: DICOM first (GDAL must not claim DICOM files). */
public final class Formats {
    private static final List<ImageFormat> ALL = List.of(new DicomFormat(), new GdalFormat());

    private Formats() { }

    public static List<ImageFormat> all() {
        return ALL;
    }

    /** The format that can read {@code file}, judged by content. */
    public static Optional<ImageFormat> detect(Path file) {
        return ALL.stream().filter(f -> f.canRead(file)).findFirst();
    }
}
