package org.yax.plugins;

import ij.ImagePlus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.SourceMetadata;
import org.yax.core.Version;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomSource;
import org.yax.io.gdal.GdalFormat;
import org.yax.io.gdal.GdalSource;

/**
 * Opens DICOM files and GDAL rasters as ImagePlus (source metadata, calibration and header text attached)
 * and saves an ImagePlus that came from one as a derived DICOM / GeoTIFF with the original metadata.
 */
public final class ImageFiles {
    private static final DicomFormat DICOM = new DicomFormat();
    private static final GdalFormat GDAL = new GdalFormat();

    private ImageFiles() { }

    public static ImagePlus openDicom(Path file) throws ImageFileException {
        requireFile(file);
        return open(DICOM, file);
    }

    public static ImagePlus openRaster(Path file) throws ImageFileException {
        requireFile(file);
        if (DICOM.canRead(file)) {
            throw new ImageFileException(file, "is a DICOM file: use Plugins>yax>Open DICOM...");
        }
        return open(GDAL, file);
    }

    private static ImagePlus open(ImageFormat format, Path file) throws ImageFileException {
        Image image = format.read(file);
        ImagePlus imp = ImageConversion.toImagePlus(image, file.getFileName().toString(),
                SourceCalibration.of(image.source()));
        SourceProperties.attach(imp, image.source(), null, HeaderInfo.of(image.source()));
        return imp;
    }

    /** Writes a derived DICOM instance: same study, new series and instance UIDs, provenance recorded. */
    public static void saveDicom(ImagePlus imp, Path target) throws ImageFileException {
        save(imp, target, DICOM, DicomSource.class, "Open DICOM...");
    }

    /** Writes a GeoTIFF with the source raster's georeferencing and metadata. */
    public static void saveGeoTiff(ImagePlus imp, Path target) throws ImageFileException {
        save(imp, target, GDAL, GdalSource.class, "Open georeferenced raster...");
    }

    private static void save(ImagePlus imp, Path target, ImageFormat format,
                             Class<? extends SourceMetadata> sourceType, String openCommand)
            throws ImageFileException {
        SourceMetadata source = SourceProperties.source(imp);
        if (!sourceType.isInstance(source)) {
            throw new ImageFileException(target, "image '" + imp.getTitle() + "' has no " + format.name()
                    + " source to derive from: open the original with Plugins>yax>" + openCommand);
        }
        Path sourceFile = sourceType == DicomSource.class ? ((DicomSource) source).file() : ((GdalSource) source).file();
        if (isSameFile(target, sourceFile)) {
            throw new ImageFileException(target, "would overwrite the source file; choose another name");
        }
        Image image;
        try {
            image = ImageConversion.toImage(imp, source);
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(target, e.getMessage(), e);
        }
        Derivation derivation = SourceProperties.derivation(imp);
        if (derivation == null) {
            derivation = editedInImageJ(imp, source);
        }
        format.write(image, derivation, target);
    }

    /** For an image changed (or not) in ImageJ itself: scale inferred from the size, no yax parameters. */
    private static Derivation editedInImageJ(ImagePlus imp, SourceMetadata source) {
        int sourceWidth = source instanceof DicomSource d ? d.layout().columns() : ((GdalSource) source).width();
        int scale = imp.getWidth() % sourceWidth == 0 ? Math.max(1, imp.getWidth() / sourceWidth) : 1;
        return new Derivation("imagej", "none", scale, Map.of(), Version.get());
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return b != null && Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireFile(Path file) throws ImageFileException {
        if (!Files.exists(file)) {
            throw new ImageFileException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "not a regular file");
        }
    }
}
