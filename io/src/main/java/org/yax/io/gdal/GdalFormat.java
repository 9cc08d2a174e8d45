package org.yax.io.gdal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.gdal.gdal.Driver;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;

/**
 * Raster files GDAL can read (GeoTIFF, PNG, JPEG, ...), written back as GeoTIFF or COG ({@link GdalWriteOptions}).
 *
 * <p>Reading gives every band as one channel (z = 1) holding the raw stored values (digital numbers)
 * as float32, with each band's nodata pixels as NaN; band scale/offset are recorded in
 * {@link GdalSource}, not applied, and written back unchanged. Writing: see {@link GdalWriter}.
 * Every read and write opens its own GDAL dataset, so one instance may be used from many threads.
 * DICOM files are left to the DICOM format even if GDAL could open them.
 */
public final class GdalFormat implements ImageFormat {
    public static final String NAME = "GDAL";
    private static final byte[] DICOM_MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);
    private static final int DICOM_PREAMBLE = 128;

    private final GdalWriteOptions writeOptions;

    /** Writes with {@link GdalWriteOptions#DEFAULT}: tiled DEFLATE GeoTIFF in the source's data types. */
    public GdalFormat() {
        this(GdalWriteOptions.DEFAULT);
    }

    /** Writes with the given encoding (COG, codec, block size, BigTIFF, data-type policy). */
    public GdalFormat(GdalWriteOptions writeOptions) {
        this.writeOptions = java.util.Objects.requireNonNull(writeOptions, "writeOptions");
        // GDAL itself is initialised lazily, on first use
    }

    public GdalWriteOptions writeOptions() {
        return writeOptions;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canRead(Path file) {
        if (!Files.isRegularFile(file) || hasDicomPreamble(file) || !GdalRuntime.available()) {
            return false;
        }
        GdalRuntime.pushQuiet();
        try {
            Driver driver = gdal.IdentifyDriverEx(file.toString(), gdalconst.OF_RASTER);
            return driver != null && !"DICOM".equalsIgnoreCase(driver.getShortName());
        } finally {
            GdalRuntime.popQuiet();
        }
    }

    @Override
    public Image read(Path file) throws ImageFileException {
        return GdalReader.read(file);
    }

    /** Width x height of the raster, from its header (no pixels are read): to decide whether to stream it. */
    public long pixelsPerBand(Path file) throws ImageFileException {
        return GdalReader.pixelsPerBand(file);
    }

    /** Keeps a .tif/.tiff name; any other extension becomes .tif (the output is always GeoTIFF). */
    @Override
    public String outputFileName(String inputFileName) {
        String lower = inputFileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tif") || lower.endsWith(".tiff")) {
            return inputFileName;
        }
        int dot = inputFileName.lastIndexOf('.');
        return (dot > 0 ? inputFileName.substring(0, dot) : inputFileName) + ".tif";
    }

    @Override
    public void write(Image result, Derivation derivation, Path target) throws ImageFileException {
        GdalWriter.write(result, derivation, target, writeOptions);
    }

    private static boolean hasDicomPreamble(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(DICOM_PREAMBLE + DICOM_MAGIC.length);
            return head.length == DICOM_PREAMBLE + DICOM_MAGIC.length
                    && Arrays.equals(head, DICOM_PREAMBLE, head.length, DICOM_MAGIC, 0, DICOM_MAGIC.length);
        } catch (IOException e) {
            return false;
        }
    }
}
