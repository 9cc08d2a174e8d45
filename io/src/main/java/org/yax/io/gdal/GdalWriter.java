package org.yax.io.gdal;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.ColorTable;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.Driver;
import org.gdal.gdal.GCP;
import org.gdal.gdal.MajorObject;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.AtomicFiles;
import org.yax.io.ImageFileException;

/**
 * Writes a derived raster as a tiled, DEFLATE-compressed GeoTIFF with the source's CRS, band layout,
 * data types, nodata, descriptions, colour interpretation, scale/offset and metadata.
 *
 * <p>Decisions: integer bands get values rounded half up and clamped to the type's range; float bands
 * keep values as they are. NaN becomes the band's nodata value. A NaN in an integer band without a
 * (representable) nodata value cannot come from reading (such a band never yields NaN), so it is a
 * solver bug and the write fails instead of inventing a value. A valid pixel whose rounded value
 * would equal nodata is moved one step towards its unrounded value so it does not turn into nodata.
 * GeoTIFF has one nodata value per file, so sources whose bands disagree on nodata are refused.
 * For a super-resolved result (scale s) the top-left corner stays put: every geotransform term except
 * the origin is divided by s, GCP pixel/line are multiplied by s, and the RPC and GEOLOCATION domains
 * (pixel-grid models this writer does not rescale) are dropped.
 */
final class GdalWriter {
    static final String PROVENANCE_ITEM = "YAX_PROVENANCE";
    private static final Set<String> PIXEL_GRID_DOMAINS = Set.of("RPC", "GEOLOCATION");
    private static final int STRIP_VALUES = 1 << 20;
    private static final String AUX_SUFFIX = ".aux.xml";

    private GdalWriter() { }

    static void write(Image result, Derivation derivation, Path target) throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(target, GdalRuntime.problem());
        }
        if (!(result.source() instanceof GdalSource source)) {
            throw new ImageFileException(target, "the result carries no GDAL source metadata (its source is "
                    + (result.source() == null ? "none" : result.source().format())
                    + "), so it cannot be written as a derived GeoTIFF");
        }
        int s = derivation.scale();
        checkShape(result, source, s, target);
        checkOneNoData(source, target);
        checkNaNs(result, source, target);
        Path[] temporary = new Path[1];
        try {
            AtomicFiles.write(target, temp -> {
                temporary[0] = temp;
                writeGeoTiff(result, source, derivation, temp);
            });
        } catch (IOException e) {
            deleteQuietly(sidecar(temporary[0]));
            throw new ImageFileException(target, "writing the GeoTIFF failed: " + e.getMessage(), e);
        }
        replaceSidecar(sidecar(temporary[0]), sidecar(target), target);
    }

    private static void checkShape(Image result, GdalSource source, int s, Path target) throws ImageFileException {
        int bands = source.bandCount();
        long w = (long) source.width() * s;
        long h = (long) source.height() * s;
        if (result.channels() != bands || result.depth() != 1 || result.width() != w || result.height() != h) {
            throw new ImageFileException(target, "result is " + result + " but the source " + source.file()
                    + " with scale " + s + " needs (channels=" + bands + ", depth=1, " + h + "x" + w + ")");
        }
    }

    private static void checkOneNoData(GdalSource source, Path target) throws ImageFileException {
        Set<Double> values = new LinkedHashSet<>();
        for (GdalBand b : source.bands()) {
            values.add(b.noData());
        }
        if (values.size() > 1) {
            throw new ImageFileException(target, "GeoTIFF stores one nodata value for all bands, but the bands of "
                    + source.file() + " have " + values + " (null = none)");
        }
    }

    private static void checkNaNs(Image result, GdalSource source, Path target) throws ImageFileException {
        for (int b = 0; b < source.bandCount(); b++) {
            GdalBand band = source.bands().get(b);
            GdalPixelType type = band.pixelType();
            if (type.isFloat() || (band.noData() != null && type.canHold(band.noData()))) {
                continue;
            }
            float[] px = result.pixels();
            int from = b * result.planeSize();
            for (int i = 0; i < result.planeSize(); i++) {
                if (Float.isNaN(px[from + i])) {
                    throw new ImageFileException(target, "band " + (b + 1) + " (" + band.dataTypeName()
                            + ", no usable nodata value) has NaN at x=" + (i % result.width()) + ", y="
                            + (i / result.width()) + ": reading never yields NaN there, so the solver produced it");
                }
            }
        }
    }

    private static void writeGeoTiff(Image result, GdalSource source, Derivation derivation, Path temp)
            throws IOException {
        GdalRuntime.pushQuiet();
        try {
            Driver driver = gdal.GetDriverByName("GTiff");
            if (driver == null) {
                throw new IOException("GDAL has no GTiff driver");
            }
            int bands = source.bandCount();
            int type = source.bands().get(0).dataType();
            for (GdalBand b : source.bands()) {
                if (b.dataType() != type || b.signedByte() != source.bands().get(0).signedByte()) {
                    throw new IOException("GeoTIFF needs one data type for all bands, the source has "
                            + source.bands().stream().map(GdalBand::dataTypeName).toList());
                }
            }
            Dataset ds = driver.Create(temp.toString(), result.width(), result.height(), bands, type,
                    creationOptions(source));
            if (ds == null) {
                throw new IOException("GDAL could not create it: " + GdalRuntime.lastError("no reason given"));
            }
            try {
                writeOpen(ds, result, source, derivation);
                gdal.ErrorReset();
                ds.FlushCache();
                failIfError("flushing");
                gdal.ErrorReset();
            } finally {
                ds.delete();
            }
            failIfError("closing");
        } finally {
            GdalRuntime.popQuiet();
        }
    }

    private static String[] creationOptions(GdalSource source) {
        GdalBand first = source.bands().get(0);
        List<String> options = new ArrayList<>(List.of("TILED=YES", "COMPRESS=DEFLATE",
                "PREDICTOR=" + (first.pixelType().isFloat() ? 3 : 2), "BIGTIFF=IF_SAFER"));
        if (first.signedByte()) {
            options.add("PIXELTYPE=SIGNEDBYTE");
        }
        List<GdalBand> b = source.bands();
        if (b.size() >= 3 && b.get(0).colorInterpretation() == gdalconst.GCI_RedBand
                && b.get(1).colorInterpretation() == gdalconst.GCI_GreenBand
                && b.get(2).colorInterpretation() == gdalconst.GCI_BlueBand) {
            options.add("PHOTOMETRIC=RGB");
        }
        if (b.size() >= 2 && b.get(b.size() - 1).colorInterpretation() == gdalconst.GCI_AlphaBand) {
            options.add("ALPHA=YES");
        }
        return options.toArray(String[]::new);
    }

    private static void writeOpen(Dataset ds, Image result, GdalSource source, Derivation derivation)
            throws IOException {
        int s = derivation.scale();
        if (!source.projectionWkt().isEmpty()) {
            check(ds.SetProjection(source.projectionWkt()), "setting the projection");
        }
        double[] gt = source.geoTransform();
        if (gt != null) {
            double[] scaled = {gt[0], gt[1] / s, gt[2] / s, gt[3], gt[4] / s, gt[5] / s};
            check(ds.SetGeoTransform(scaled), "setting the geotransform");
        }
        if (!source.gcps().isEmpty()) {
            GCP[] gcps = source.gcps().stream().map(g -> g.scaled(s))
                    .map(g -> new GCP(g.x(), g.y(), g.z(), g.pixel(), g.line(), g.info(), g.id()))
                    .toArray(GCP[]::new);
            check(ds.SetGCPs(gcps, source.gcpProjectionWkt()), "setting the ground control points");
        }
        copyDomains(ds, source.metadata(), s);
        check(ds.SetMetadataItem(PROVENANCE_ITEM, derivation.describe()), "setting " + PROVENANCE_ITEM);
        for (int b = 0; b < source.bandCount(); b++) {
            GdalBand info = source.bands().get(b);
            Band band = ds.GetRasterBand(b + 1);
            describeBand(band, info, s);
            writePixels(band, info, result, b);
        }
    }

    private static void describeBand(Band band, GdalBand info, int s) throws IOException {
        String what = " of band " + band.GetBand();
        if (!info.description().isEmpty()) {
            band.SetDescription(info.description());
        }
        if (band.GetColorInterpretation() != info.colorInterpretation()) {
            check(band.SetColorInterpretation(info.colorInterpretation()), "setting the colour interpretation" + what);
        }
        if (info.noData() != null) {
            check(band.SetNoDataValue(info.noData()), "setting the nodata value" + what);
        }
        if (info.scale() != null) {
            check(band.SetScale(info.scale()), "setting the scale" + what);
        }
        if (info.offset() != null) {
            check(band.SetOffset(info.offset()), "setting the offset" + what);
        }
        if (!info.unit().isEmpty()) {
            check(band.SetUnitType(info.unit()), "setting the unit" + what);
        }
        copyDomains(band, info.metadata(), s);
        if (info.colorTable() != null) {
            ColorTable table = new ColorTable(gdalconst.GPI_RGB);
            List<Integer> entries = info.colorTable();
            for (int i = 0; i < entries.size(); i++) {
                table.SetColorEntry(i, new Color(entries.get(i), true));
            }
            check(band.SetColorTable(table), "setting the colour table" + what);
        }
    }

    private static void copyDomains(MajorObject target, Map<String, List<String>> domains, int s) throws IOException {
        for (Map.Entry<String, List<String>> d : domains.entrySet()) {
            if (s != 1 && PIXEL_GRID_DOMAINS.contains(d.getKey())) {
                continue;
            }
            Vector<String> entries = new Vector<>(d.getValue());
            check(target.SetMetadata(entries, d.getKey()), "copying metadata domain '" + d.getKey() + "'");
        }
    }

    private static void writePixels(Band band, GdalBand info, Image result, int index) throws IOException {
        GdalPixelType type = info.pixelType();
        Double nd = info.noData();
        boolean hasNoData = nd != null && type.canHold(nd);
        int width = result.width();
        int height = result.height();
        int rowsPerStrip = Math.max(1, Math.min(height, STRIP_VALUES / width));
        double[] strip = new double[rowsPerStrip * width];
        float[] px = result.pixels();
        int planeStart = index * result.planeSize();
        for (int y0 = 0; y0 < height; y0 += rowsPerStrip) {
            int rows = Math.min(rowsPerStrip, height - y0);
            int base = planeStart + y0 * width;
            for (int i = 0; i < rows * width; i++) {
                float v = px[base + i];
                double stored;
                if (Float.isNaN(v)) {
                    // checkNaNs guaranteed a float type or a usable nodata value here
                    stored = hasNoData ? nd : Double.NaN;
                } else {
                    stored = type.toStored(v);
                    if (hasNoData && stored == nd) {
                        stored = awayFromNoData(type, nd, v);
                    }
                }
                strip[i] = type.encode(stored);
            }
            int err = band.WriteRaster(0, y0, width, rows, width, rows, gdalconst.GDT_Float64, strip);
            if (err != gdalconst.CE_None) {
                throw new IOException("writing band " + band.GetBand() + " rows " + y0 + ".." + (y0 + rows - 1)
                        + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
            }
        }
    }

    /** The nearest storable value to {@code value} that is not the nodata value. */
    private static double awayFromNoData(GdalPixelType type, double nd, float value) {
        double up;
        double down;
        if (type.isFloat()) {
            up = type.gdalType() == gdalconst.GDT_Float32 ? Math.nextUp((float) nd) : Math.nextUp(nd);
            down = type.gdalType() == gdalconst.GDT_Float32 ? Math.nextDown((float) nd) : Math.nextDown(nd);
        } else {
            up = nd + 1;
            down = nd - 1;
        }
        boolean preferUp = value >= nd;
        if (preferUp && up <= type.max() || down < type.min()) {
            return up;
        }
        return down;
    }

    private static void check(int err, String what) throws IOException {
        if (err != gdalconst.CE_None) {
            throw new IOException(what + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
    }

    private static void failIfError(String what) throws IOException {
        if (GdalRuntime.lastCallFailed()) {
            throw new IOException(what + " the GeoTIFF failed: " + GdalRuntime.lastError("no reason given"));
        }
    }

    private static Path sidecar(Path file) {
        return file == null ? null : file.resolveSibling(file.getFileName() + AUX_SUFFIX);
    }

    /**
     * GDAL keeps what TIFF tags cannot hold in a .aux.xml sidecar: it follows the file to its final
     * name, and a stale sidecar from an earlier file of that name is removed.
     */
    private static void replaceSidecar(Path written, Path wanted, Path target) throws ImageFileException {
        try {
            if (written != null && Files.exists(written)) {
                Files.move(written, wanted, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(wanted);
            }
        } catch (IOException e) {
            throw new ImageFileException(target, "updating GDAL's sidecar " + wanted + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the write already failed; that error is the one to report
        }
    }
}
