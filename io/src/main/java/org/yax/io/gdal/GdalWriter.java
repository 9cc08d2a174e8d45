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
 * Writes a derived raster as a tiled, compressed GeoTIFF (or a Cloud Optimized GeoTIFF) with the source's
 * CRS, band layout, data types, nodata, descriptions, colour interpretation, scale/offset and metadata;
 * encoding per {@link GdalWriteOptions} ({@link GdalWriteOptions#DEFAULT}: tiled DEFLATE GeoTIFF, source types).
 *
 * <p>Decisions: integer bands get values rounded half up and clamped to the type's range; float bands
 * (and every band under {@link GdalWriteOptions.DataType#FLOAT32}) keep values as they are. NaN (a pixel
 * the solver left missing: masked input, never filled unless the task is inpainting) becomes the band's
 * nodata value. A NaN in an integer band without a (representable) nodata value cannot come from reading
 * (such a band never yields NaN), so it is a solver bug and the write fails instead of inventing a value.
 * A valid pixel whose rounded value would equal nodata is moved one step towards its unrounded value so it
 * does not turn into nodata. GeoTIFF has one nodata value per file, so sources whose bands disagree on
 * nodata are refused. For an inpainting result each band records how many source nodata pixels it filled
 * in the band metadata item {@value #FILLED_ITEM} (the nodata value stays declared for provenance; the
 * filled pixels themselves hold values). For a super-resolved result (scale s) the top-left corner stays
 * put: every geotransform term except the origin is divided by s, GCP pixel/line are multiplied by s, and
 * the RPC and GEOLOCATION domains (pixel-grid models this writer does not rescale) are dropped.
 * A COG is written as a GeoTIFF next to the target first and then copied by GDAL's COG driver.
 */
final class GdalWriter {
    static final String PROVENANCE_ITEM = "YAX_PROVENANCE";
    static final String FILLED_ITEM = "YAX_FILLED_PIXELS";
    static final String INPAINT_TASK = "inpaint";
    private static final Set<String> PIXEL_GRID_DOMAINS = Set.of("RPC", "GEOLOCATION");
    private static final int STRIP_VALUES = 1 << 20;
    private static final String AUX_SUFFIX = ".aux.xml";

    private GdalWriter() { }

    /** Writes the pixels of an open derived dataset (see {@link #writeAtomically}). */
    @FunctionalInterface
    interface PixelSink {
        /** @return per band, how many source nodata pixels were filled (null when not counted) */
        long[] writePixels(Dataset ds, Plan plan) throws IOException;
    }

    /**
     * What a derived file looks like, decided once from the source: per band output type and nodata.
     */
    record Plan(GdalSource source, Derivation derivation, GdalWriteOptions options, int width, int height,
                int gdalType, List<GdalPixelType> types, List<Double> noData) {
        boolean hasNoData(int band) {
            Double nd = noData.get(band);
            return nd != null && types.get(band).canHold(nd);
        }

        boolean inpainting() {
            return INPAINT_TASK.equals(derivation.task());
        }
    }

    /** Receives one chunk of the output: origin (x0, y0) and size w x h, in output pixels. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(int x0, int y0, int w, int h) throws IOException;
    }

    /**
     * Visits the output raster in chunks of whole blocks (block-size rows, as many block-size columns as fit
     * {@code maxValues}), row of blocks by row of blocks. Writing every band of a chunk before the next
     * means each compressed block is complete when GDAL flushes it, so it is compressed and written once
     * (strips of a few rows left partial blocks that a small block cache flushed, re-read and recompressed).
     */
    static void forEachChunk(Plan plan, int maxValues, ChunkConsumer consumer) throws IOException {
        int width = plan.width();
        int height = plan.height();
        int rows = chunkRows(plan);
        int columns = chunkColumns(plan, maxValues);
        for (int y0 = 0; y0 < height; y0 += rows) {
            int h = Math.min(rows, height - y0);
            for (int x0 = 0; x0 < width; x0 += columns) {
                consumer.accept(x0, y0, Math.min(columns, width - x0), h);
            }
        }
    }

    /** Values in the largest chunk {@link #forEachChunk} hands out (more than maxValues for huge blocks). */
    static int chunkCapacity(Plan plan, int maxValues) {
        return chunkRows(plan) * chunkColumns(plan, maxValues);
    }

    private static int chunkRows(Plan plan) {
        return Math.min(plan.height(), plan.options().blockSize());
    }

    private static int chunkColumns(Plan plan, int maxValues) {
        int block = plan.options().blockSize();
        return Math.min(plan.width(), Math.max(block, maxValues / chunkRows(plan) / block * block));
    }

    static void write(Image result, Derivation derivation, Path target) throws ImageFileException {
        write(result, derivation, target, GdalWriteOptions.DEFAULT);
    }

    static void write(Image result, Derivation derivation, Path target, GdalWriteOptions options)
            throws ImageFileException {
        GdalSource source = gdalSource(result, target);
        Plan plan = plan(source, derivation, options, target);
        checkShape(result, plan, target);
        checkNaNs(result, plan, target);
        writeAtomically(target, plan, (ds, p) -> {
            long[] filled = p.inpainting() ? new long[source.bandCount()] : null;
            writeBands(ds, p, result);
            if (filled != null) {
                countFilled(source, result, filled);
            }
            return filled;
        });
    }

    static GdalSource gdalSource(Image result, Path target) throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(target, GdalRuntime.problem());
        }
        if (!(result.source() instanceof GdalSource source)) {
            throw new ImageFileException(target, "the result carries no GDAL source metadata (its source is "
                    + (result.source() == null ? "none" : result.source().format())
                    + "), so it cannot be written as a derived GeoTIFF");
        }
        return source;
    }

    /** Checks the source can be written as one GeoTIFF and decides the output types and nodata. */
    static Plan plan(GdalSource source, Derivation derivation, GdalWriteOptions options, Path target)
            throws ImageFileException {
        checkOneNoData(source, target);
        GdalBand first = source.bands().get(0);
        for (GdalBand b : source.bands()) {
            if (b.dataType() != first.dataType() || b.signedByte() != first.signedByte()) {
                throw new ImageFileException(target, "GeoTIFF needs one data type for all bands, the source has "
                        + source.bands().stream().map(GdalBand::dataTypeName).toList());
            }
        }
        boolean toFloat = options.dataType() == GdalWriteOptions.DataType.FLOAT32;
        GdalPixelType float32 = new GdalPixelType(gdalconst.GDT_Float32, false);
        List<GdalPixelType> types = new ArrayList<>();
        List<Double> noData = new ArrayList<>();
        for (GdalBand b : source.bands()) {
            types.add(toFloat ? float32 : b.pixelType());
            Double nd = b.noData();
            if (toFloat && nd != null && !float32.canHold(nd)) {
                nd = Double.NaN; // e.g. UInt32's 4294967295 has no exact float32: NaN is float32's own nodata
            }
            noData.add(nd);
        }
        long s = derivation.scale();
        long w = source.width() * s;
        long h = source.height() * s;
        if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new ImageFileException(target, "a result of " + w + "x" + h + " pixels is larger than GDAL allows");
        }
        return new Plan(source, derivation, options, (int) w, (int) h,
                toFloat ? gdalconst.GDT_Float32 : first.dataType(), types, noData);
    }

    private static void checkShape(Image result, Plan plan, Path target) throws ImageFileException {
        GdalSource source = plan.source();
        int bands = source.bandCount();
        if (result.channels() != bands || result.depth() != 1 || result.width() != plan.width()
                || result.height() != plan.height()) {
            throw new ImageFileException(target, "result is " + result + " but the source " + source.file()
                    + " with scale " + plan.derivation().scale() + " needs (channels=" + bands + ", depth=1, "
                    + plan.height() + "x" + plan.width() + ")");
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

    private static void checkNaNs(Image result, Plan plan, Path target) throws ImageFileException {
        for (int b = 0; b < plan.source().bandCount(); b++) {
            int at = firstForbiddenNaN(plan, b, result.pixels(), b * result.planeSize(), result.planeSize());
            if (at >= 0) {
                throw nanError(plan, b, at % result.width(), at / result.width(), target);
            }
        }
    }

    /** Index (from {@code offset}) of the first NaN the band cannot store, or -1. */
    static int firstForbiddenNaN(Plan plan, int band, float[] values, int offset, int count) {
        if (plan.types().get(band).isFloat() || plan.hasNoData(band)) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (Float.isNaN(values[offset + i])) {
                return i;
            }
        }
        return -1;
    }

    static ImageFileException nanError(Plan plan, int band, long x, long y, Path target) {
        return new ImageFileException(target, "band " + (band + 1) + " (" + plan.source().bands().get(band)
                .dataTypeName() + ", no usable nodata value) has NaN at x=" + x + ", y=" + y
                + ": reading never yields NaN there, so the solver produced it");
    }

    /**
     * Creates the derived file at a temporary name next to {@code target} with all georeferencing and
     * metadata, lets {@code sink} write the pixels, closes it (converting to COG if asked) and moves it
     * into place atomically, together with any .aux.xml sidecar GDAL needed.
     */
    static void writeAtomically(Path target, Plan plan, PixelSink sink) throws ImageFileException {
        Path[] temporary = new Path[1];
        try {
            AtomicFiles.write(target, temp -> {
                temporary[0] = temp;
                writeFile(plan, temp, sink);
            });
        } catch (IOException e) {
            deleteQuietly(sidecar(temporary[0]));
            throw new ImageFileException(target, "writing the GeoTIFF failed: " + e.getMessage(), e);
        }
        replaceSidecar(sidecar(temporary[0]), sidecar(target), target);
    }

    private static void writeFile(Plan plan, Path temp, PixelSink sink) throws IOException {
        boolean cog = plan.options().layout() == GdalWriteOptions.Layout.COG;
        Path geoTiff = cog ? temp.resolveSibling(temp.getFileName() + ".cog-source.tif") : temp;
        GdalRuntime.pushQuiet();
        try {
            writeGeoTiff(plan, geoTiff, sink);
            if (cog) {
                copyToCog(geoTiff, temp, plan.options());
            }
        } finally {
            GdalRuntime.popQuiet();
            if (cog) {
                deleteQuietly(geoTiff);
                deleteQuietly(sidecar(geoTiff));
            }
        }
    }

    private static void writeGeoTiff(Plan plan, Path file, PixelSink sink) throws IOException {
        Driver driver = gdal.GetDriverByName("GTiff");
        if (driver == null) {
            throw new IOException("GDAL has no GTiff driver");
        }
        Dataset ds = driver.Create(file.toString(), plan.width(), plan.height(), plan.source().bandCount(),
                plan.gdalType(), creationOptions(plan));
        if (ds == null) {
            throw new IOException("GDAL could not create it: " + GdalRuntime.lastError("no reason given"));
        }
        try {
            describe(ds, plan);
            long[] filled = sink.writePixels(ds, plan);
            if (filled != null) {
                for (int b = 0; b < filled.length; b++) {
                    check(ds.GetRasterBand(b + 1).SetMetadataItem(FILLED_ITEM, Long.toString(filled[b])),
                            "setting " + FILLED_ITEM);
                }
            }
            gdal.ErrorReset();
            ds.FlushCache();
            failIfError("flushing");
            gdal.ErrorReset();
        } finally {
            ds.delete();
        }
        failIfError("closing");
    }

    private static void copyToCog(Path geoTiff, Path target, GdalWriteOptions options) throws IOException {
        Driver cog = gdal.GetDriverByName("COG");
        if (cog == null) {
            throw new IOException("GDAL has no COG driver");
        }
        Dataset src = gdal.Open(geoTiff.toString(), gdalconst.GA_ReadOnly);
        if (src == null) {
            throw new IOException("reopening the intermediate GeoTIFF failed: " + GdalRuntime.lastError("no reason"));
        }
        try {
            gdal.ErrorReset();
            Dataset out = cog.CreateCopy(target.toString(), src, 0, options.cogOptions().toArray(String[]::new));
            if (out == null) {
                throw new IOException("the COG driver failed: " + GdalRuntime.lastError("no reason given"));
            }
            out.delete();
            failIfError("writing");
        } finally {
            src.delete();
        }
    }

    private static String[] creationOptions(Plan plan) {
        List<GdalBand> b = plan.source().bands();
        GdalPixelType type = plan.types().get(0);
        List<String> options = plan.options().geoTiffOptions(type.isFloat());
        if (type.signedByte()) {
            options.add("PIXELTYPE=SIGNEDBYTE");
        }
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

    private static void describe(Dataset ds, Plan plan) throws IOException {
        GdalSource source = plan.source();
        Derivation derivation = plan.derivation();
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
            describeBand(ds.GetRasterBand(b + 1), source.bands().get(b), plan.noData().get(b),
                    plan.types().get(b), s);
        }
    }

    private static void describeBand(Band band, GdalBand info, Double noData, GdalPixelType type, int s)
            throws IOException {
        String what = " of band " + band.GetBand();
        if (!info.description().isEmpty()) {
            band.SetDescription(info.description());
        }
        if (band.GetColorInterpretation() != info.colorInterpretation()) {
            check(band.SetColorInterpretation(info.colorInterpretation()), "setting the colour interpretation" + what);
        }
        if (noData != null) {
            check(band.SetNoDataValue(noData), "setting the nodata value" + what);
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
        if (info.colorTable() != null && !type.isFloat()) { // GeoTIFF palettes are for Byte/UInt16 only
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

    /** Writes every band in chunks of whole blocks (see {@link #forEachChunk}). */
    private static void writeBands(Dataset ds, Plan plan, Image result) throws IOException {
        int width = result.width();
        float[] chunk = new float[chunkCapacity(plan, STRIP_VALUES)];
        double[] buffer = new double[chunk.length];
        forEachChunk(plan, STRIP_VALUES, (x0, y0, w, h) -> {
            for (int b = 0; b < plan.source().bandCount(); b++) {
                int planeStart = b * result.planeSize();
                for (int r = 0; r < h; r++) {
                    System.arraycopy(result.pixels(), planeStart + (y0 + r) * width + x0, chunk, r * w, w);
                }
                writeWindow(ds.GetRasterBand(b + 1), plan, b, chunk, 0, x0, y0, w, h, buffer);
            }
        });
    }

    /**
     * Converts {@code w*h} result values starting at {@code offset} (row-major, NaN = missing) to the band's
     * stored type and writes them at (x0, y0). {@code buffer} holds at least w*h values.
     * The caller checked (with {@link #firstForbiddenNaN}) that every NaN has somewhere to go.
     */
    static void writeWindow(Band band, Plan plan, int index, float[] values, int offset, int x0, int y0, int w,
                            int h, double[] buffer) throws IOException {
        GdalPixelType type = plan.types().get(index);
        boolean hasNoData = plan.hasNoData(index);
        double nd = hasNoData ? plan.noData().get(index) : Double.NaN;
        int n = w * h;
        // float32 bands take every stored value exactly as a float: half the bytes through JNI, no conversion
        boolean asFloat = type.gdalType() == gdalconst.GDT_Float32;
        float[] floats = asFloat ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            float v = values[offset + i];
            double stored;
            if (Float.isNaN(v)) {
                stored = hasNoData ? nd : Double.NaN;
            } else {
                stored = type.toStored(v);
                if (hasNoData && stored == nd) {
                    stored = awayFromNoData(type, nd, v);
                }
            }
            if (asFloat) {
                floats[i] = (float) stored;
            } else {
                buffer[i] = type.encode(stored);
            }
        }
        int err = asFloat ? band.WriteRaster(x0, y0, w, h, w, h, gdalconst.GDT_Float32, floats)
                : band.WriteRaster(x0, y0, w, h, w, h, gdalconst.GDT_Float64, buffer);
        if (err != gdalconst.CE_None) {
            throw new IOException("writing band " + band.GetBand() + " window x=" + x0 + ", y=" + y0 + ", " + w + "x"
                    + h + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
    }

    /**
     * Counts, per band, the source's nodata pixels that hold a value in the (same-size) inpainted result,
     * reading the source file strip by strip.
     */
    private static void countFilled(GdalSource source, Image result, long[] filled) throws IOException {
        if (result.width() != source.width() || result.height() != source.height()) {
            return; // no pixel-to-pixel correspondence
        }
        Dataset in = gdal.Open(source.file().toString(), gdalconst.GA_ReadOnly);
        if (in == null) {
            throw new IOException("reopening the source " + source.file() + " to count filled pixels failed: "
                    + GdalRuntime.lastError("no reason given"));
        }
        try {
            int width = source.width();
            int rowsPerStrip = Math.max(1, Math.min(source.height(), STRIP_VALUES / width));
            float[] strip = new float[rowsPerStrip * width];
            for (int b = 0; b < source.bandCount(); b++) {
                for (int y0 = 0; y0 < source.height(); y0 += rowsPerStrip) {
                    int rows = Math.min(rowsPerStrip, source.height() - y0);
                    GdalReader.readWindow(source.file(), in.GetRasterBand(b + 1), source.bands().get(b), 0, y0, width,
                            rows, strip, 0);
                    int base = b * result.planeSize() + y0 * width;
                    for (int i = 0; i < rows * width; i++) {
                        if (Float.isNaN(strip[i]) && !Float.isNaN(result.pixels()[base + i])) {
                            filled[b]++;
                        }
                    }
                }
            }
        } catch (ImageFileException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            in.delete();
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

    static void check(int err, String what) throws IOException {
        if (err != gdalconst.CE_None) {
            throw new IOException(what + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
    }

    static void failIfError(String what) throws IOException {
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

    static void deleteQuietly(Path file) {
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
