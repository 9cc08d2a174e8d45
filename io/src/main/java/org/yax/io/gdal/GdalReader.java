package org.yax.io.gdal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.ColorTable;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.GCP;
import org.gdal.gdal.MajorObject;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Reads every band of a GDAL raster as float32 channels (z = 1) in the data's own stored units.
 * Each call opens its own read-only Dataset and deletes it before returning, so concurrent reads are
 * safe and no Band outlives its Dataset. Nothing is written next to the input.
 */
final class GdalReader {
    /** Domains that describe the file's encoding or its container, not the image: never carried over. */
    static final Set<String> SKIPPED_DOMAINS = Set.of("IMAGE_STRUCTURE", "SUBDATASETS", "DERIVED_SUBDATASETS");
    static final String STATISTICS_PREFIX = "STATISTICS_";
    /** Rows per ReadRaster call: bounded temporary buffers whatever the raster size. */
    private static final int STRIP_VALUES = 1 << 20;

    private GdalReader() { }

    static Image read(Path file) throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(file, GdalRuntime.problem());
        }
        if (!Files.exists(file)) {
            throw new ImageFileException(file, "no such file");
        }
        GdalRuntime.pushQuiet();
        try {
            Dataset ds = gdal.OpenEx(file.toString(),
                    gdalconst.OF_RASTER | gdalconst.OF_READONLY | gdalconst.OF_VERBOSE_ERROR);
            if (ds == null) {
                throw new ImageFileException(file, "GDAL cannot open it as a raster: "
                        + GdalRuntime.lastError("no GDAL raster driver recognises it"));
            }
            try {
                return readOpen(file, ds);
            } finally {
                ds.delete();
            }
        } finally {
            GdalRuntime.popQuiet();
        }
    }

    /** Width x height of the raster from its header, without reading pixels. */
    static long pixelsPerBand(Path file) throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(file, GdalRuntime.problem());
        }
        GdalRuntime.pushQuiet();
        try {
            Dataset ds = gdal.OpenEx(file.toString(), gdalconst.OF_RASTER | gdalconst.OF_READONLY);
            if (ds == null) {
                throw new ImageFileException(file, "GDAL cannot open it as a raster: "
                        + GdalRuntime.lastError("no GDAL raster driver recognises it"));
            }
            try {
                return (long) ds.getRasterXSize() * ds.getRasterYSize();
            } finally {
                ds.delete();
            }
        } finally {
            GdalRuntime.popQuiet();
        }
    }

    private static Image readOpen(Path file, Dataset ds) throws ImageFileException {
        int count = ds.GetRasterCount();
        if (count == 0) {
            throw new ImageFileException(file, noBandsReason(ds));
        }
        int width = ds.GetRasterXSize();
        int height = ds.GetRasterYSize();
        long total = (long) count * width * height;
        if (total > Integer.MAX_VALUE - 8) {
            throw new ImageFileException(file, count + " bands of " + width + "x" + height
                    + " pixels do not fit one in-memory image (more than 2^31 values)");
        }
        GdalSource source = describe(file, ds);
        float[] pixels = new float[(int) total];
        for (int b = 0; b < count; b++) {
            readBand(file, ds.GetRasterBand(b + 1), source.bands().get(b), b, pixels, width, height);
        }
        return new Image(pixels, count, 1, height, width, source);
    }

    private static String noBandsReason(Dataset ds) {
        Map<String, String> sub = GdalSource.items(entries(ds, "SUBDATASETS"));
        List<String> names = new ArrayList<>();
        sub.forEach((key, value) -> {
            if (key.endsWith("_NAME")) {
                names.add(value);
            }
        });
        if (names.isEmpty()) {
            return "GDAL opened it but it has no raster bands";
        }
        return "it holds " + names.size() + " subdatasets and no bands of its own; extract the one to process "
                + "first (gdal_translate NAME band.tif), NAME being one of: " + String.join(", ", names);
    }

    private static void readBand(Path file, Band band, GdalBand info, int index, float[] pixels,
                                 int width, int height) throws ImageFileException {
        if (GdalPixelType.isComplex(band.getDataType())) {
            throw new ImageFileException(file, "band " + (index + 1) + " has complex type " + info.dataTypeName()
                    + ", which yax does not reconstruct yet");
        }
        int rowsPerStrip = Math.max(1, Math.min(height, STRIP_VALUES / width));
        double[] strip = new double[rowsPerStrip * width];
        int planeStart = index * width * height;
        for (int y0 = 0; y0 < height; y0 += rowsPerStrip) {
            int rows = Math.min(rowsPerStrip, height - y0);
            readWindow(file, band, info, 0, y0, width, rows, pixels, planeStart + y0 * width, strip);
        }
    }

    /** Reads a window of one band into {@code out} from {@code offset}, row-major, nodata as NaN. */
    static void readWindow(Path file, Band band, GdalBand info, int x0, int y0, int w, int h, float[] out,
                           int offset) throws ImageFileException {
        readWindow(file, band, info, x0, y0, w, h, out, offset, new double[w * h]);
    }

    private static void readWindow(Path file, Band band, GdalBand info, int x0, int y0, int w, int h, float[] out,
                                   int offset, double[] buffer) throws ImageFileException {
        GdalPixelType type = info.pixelType();
        Double noData = info.noData();
        boolean maskNoData = noData != null && !Double.isNaN(noData);
        if (type.gdalType() == gdalconst.GDT_Float32) {
            readFloat32Window(file, band, x0, y0, w, h, out, offset, maskNoData ? noData : null);
            return;
        }
        // Read as float64 so nodata is compared in the type's own values before the float32 cast.
        int err = band.ReadRaster(x0, y0, w, h, w, h, gdalconst.GDT_Float64, buffer);
        if (err != gdalconst.CE_None) {
            throw new ImageFileException(file, "reading band " + band.GetBand() + " window x=" + x0 + ", y=" + y0
                    + ", " + w + "x" + h + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
        int n = w * h;
        for (int i = 0; i < n; i++) {
            double v = type.decode(buffer[i]);
            out[offset + i] = maskNoData && v == noData ? Float.NaN : (float) v;
        }
    }

    /** A float32 band read as it is stored (half the bytes of float64, no conversion), same nodata rule. */
    private static void readFloat32Window(Path file, Band band, int x0, int y0, int w, int h, float[] out, int offset,
                                          Double noData) throws ImageFileException {
        int n = w * h;
        float[] values = offset == 0 && out.length == n ? out : new float[n];
        int err = band.ReadRaster(x0, y0, w, h, w, h, gdalconst.GDT_Float32, values);
        if (err != gdalconst.CE_None) {
            throw new ImageFileException(file, "reading band " + band.GetBand() + " window x=" + x0 + ", y=" + y0
                    + ", " + w + "x" + h + " failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
        // a nodata value float32 cannot hold matches no pixel, as in the float64 comparison
        boolean mask = noData != null && (double) (float) (double) noData == noData;
        float nd = mask ? (float) (double) noData : 0f;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            out[offset + i] = mask && v == nd ? Float.NaN : v;
        }
    }

    /** Reads everything but pixels. Must be called while {@code ds} is open. */
    static GdalSource describe(Path file, Dataset ds) {
        List<GdalBand> bands = new ArrayList<>();
        for (int b = 1; b <= ds.GetRasterCount(); b++) {
            bands.add(describeBand(ds.GetRasterBand(b)));
        }
        double[] gt = ds.GetGeoTransform();
        // The 3.6 bindings fill the identity when a raster has no geotransform: treat that as "none".
        boolean identity = gt[0] == 0 && gt[1] == 1 && gt[2] == 0 && gt[3] == 0 && gt[4] == 0 && gt[5] == 1;
        List<GdalGcp> gcps = new ArrayList<>();
        if (ds.GetGCPCount() > 0) {
            for (Object o : ds.GetGCPs()) {
                GCP g = (GCP) o;
                gcps.add(new GdalGcp(nullToEmpty(g.getId()), nullToEmpty(g.getInfo()), g.getGCPPixel(),
                        g.getGCPLine(), g.getGCPX(), g.getGCPY(), g.getGCPZ()));
            }
        }
        return new GdalSource(file, ds.GetDriver().getShortName(), ds.GetRasterXSize(), ds.GetRasterYSize(),
                bands, identity ? null : gt, nullToEmpty(ds.GetProjectionRef()), domains(ds), gcps,
                gcps.isEmpty() ? "" : nullToEmpty(ds.GetGCPProjection()));
    }

    private static GdalBand describeBand(Band band) {
        int type = band.getDataType();
        boolean signedByte = type == gdalconst.GDT_Byte
                && "SIGNEDBYTE".equals(band.GetMetadataItem("PIXELTYPE", "IMAGE_STRUCTURE"));
        Double[] holder = new Double[1];
        band.GetNoDataValue(holder);
        Double noData = holder[0];
        holder[0] = null;
        band.GetScale(holder);
        Double scale = holder[0];
        holder[0] = null;
        band.GetOffset(holder);
        Double offset = holder[0];
        int ci = band.GetColorInterpretation();
        List<Integer> palette = null;
        ColorTable table = band.GetColorTable();
        if (table != null) {
            palette = new ArrayList<>();
            for (int i = 0; i < table.GetCount(); i++) {
                palette.add(table.GetColorEntry(i).getRGB());
            }
        }
        return new GdalBand(type, gdal.GetDataTypeName(type), signedByte, noData, ci,
                gdal.GetColorInterpretationName(ci), nullToEmpty(band.GetDescription()), scale, offset,
                nullToEmpty(band.GetUnitType()), domains(band), palette);
    }

    /** All metadata domains worth carrying over: IMAGE_STRUCTURE and STATISTICS_* items left out. */
    static Map<String, List<String>> domains(MajorObject object) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        names.add("");
        Vector<?> list = object.GetMetadataDomainList();
        if (list != null) {
            for (Object o : list) {
                String d = String.valueOf(o);
                if (!d.isEmpty() && !names.contains(d)) {
                    names.add(d);
                }
            }
        }
        for (String domain : names) {
            if (SKIPPED_DOMAINS.contains(domain)) {
                continue;
            }
            List<String> entries = new ArrayList<>();
            for (String e : entries(object, domain)) {
                if (domain.startsWith("xml:") || !e.startsWith(STATISTICS_PREFIX)) {
                    entries.add(e);
                }
            }
            if (!entries.isEmpty()) {
                result.put(domain, entries);
            }
        }
        return result;
    }

    private static List<String> entries(MajorObject object, String domain) {
        List<String> entries = new ArrayList<>();
        Vector<?> v = object.GetMetadata_List(domain);
        if (v != null) {
            for (Object o : v) {
                entries.add(String.valueOf(o));
            }
        }
        return entries;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
