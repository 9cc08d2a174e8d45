package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.batch.ResumeManifest;

/** The reconstruct command end to end on real files, checked with dcmdump, pydicom and GDAL's Python bindings. */
class ReconstructCommandTest {
    @TempDir
    Path tmp;

    /** Exit code and everything the command printed to stderr. */
    record Outcome(int exit, String err) { }

    static Outcome yax(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Yax.run(args);
            return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private Path archiveWithBadFiles() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.createDirectories(in.resolve("dicom"));
        Files.createDirectories(in.resolve("raster"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("dicom/CT_small.dcm"));
        Files.copy(SampleData.archive("raster/L7_ETMs.tif"), in.resolve("raster/L7_ETMs.tif"));
        byte[] ct = Files.readAllBytes(SampleData.archive("dicom/CT_small.dcm"));
        Files.write(in.resolve("dicom/truncated.dcm"), java.util.Arrays.copyOf(ct, ct.length / 2));
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Files.write(in.resolve("raster/random.tif"), noise);
        Files.writeString(in.resolve("notes.txt"), "not an image\n");
        return in;
    }

    private static Map<Path, String> checksums(Path dir) throws IOException {
        Map<Path, String> sums = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                sums.put(dir.relativize(p), ResumeManifest.sha256(p));
            }
        }
        return sums;
    }

    @Test
    void denoisesABatchReportsBadFilesAndLeavesInputsUntouched() throws Exception {
        Path in = archiveWithBadFiles();
        Map<Path, String> before = checksums(in);
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("report.json");

        Outcome o = yax("reconstruct", in.toString(), "-o", out.toString(), "--task", "denoise",
                "--report", report.toString());

        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err());
        assertEquals(before, checksums(in), "inputs must be byte-identical after the run");
        assertTrue(Files.isRegularFile(out.resolve("dicom/CT_small.dcm")), o.err());
        assertTrue(Files.isRegularFile(out.resolve("raster/L7_ETMs.tif")), o.err());
        assertFalse(Files.exists(out.resolve("dicom/truncated.dcm")));
        assertTrue(o.err().contains("truncated.dcm: "), o.err());
        assertTrue(o.err().contains("random.tif: not a DICOM file or a raster GDAL can read"), o.err());
        assertTrue(o.err().contains("2 done, 2 failed, 1 skipped"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack traces: " + o.err());

        JsonObject doc = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertEquals(2, doc.getAsJsonObject("summary").get("done").getAsInt());
        JsonArray items = doc.getAsJsonArray("items");
        assertEquals(5, items.size());
        for (var e : items) {
            JsonObject item = e.getAsJsonObject();
            String status = item.get("status").getAsString();
            if (!status.equals("done")) {
                assertFalse(item.get("reason").getAsString().isBlank(), item.toString());
            } else {
                assertTrue(item.get("secondsTotal").getAsDouble() > 0, item.toString());
                assertNotNull(item.get("sigma"), item.toString());
            }
        }

        // The derived DICOM: dcmdump parses it; pydicom sees a new series in the same study.
        Path dcm = out.resolve("dicom/CT_small.dcm");
        SampleData.Run dump = SampleData.run("dcmdump", dcm.toString());
        assertEquals(0, dump.exitCode(), dump.out());
        SampleData.Run py = SampleData.python(String.join("\n",
                "import sys, pydicom, numpy as np",
                "a = pydicom.dcmread(sys.argv[1]); b = pydicom.dcmread(sys.argv[2])",
                "print(a.StudyInstanceUID == b.StudyInstanceUID, a.SeriesInstanceUID != b.SeriesInstanceUID,",
                "      a.SOPInstanceUID != b.SOPInstanceUID, 'DERIVED' in list(b.ImageType))",
                "va = a.pixel_array * float(a.RescaleSlope) + float(a.RescaleIntercept)",
                "vb = b.pixel_array * float(b.RescaleSlope) + float(b.RescaleIntercept)",
                "print(float(np.abs(va - vb).mean()), float(va.std()), float(vb.std()))"),
                SampleData.archive("dicom/CT_small.dcm").toString(), dcm.toString());
        assertEquals(0, py.exitCode(), py.out());
        String[] lines = py.out().strip().split("\n");
        assertEquals("True True True True", lines[0], py.out());
        String[] stats = lines[1].split(" ");
        double meanChange = Double.parseDouble(stats[0]);
        assertTrue(meanChange > 0.5 && meanChange < 100, "denoising should change CT values moderately: " + py.out());

        // The derived GeoTIFF: same size, CRS, geotransform, band count as the source.
        SampleData.Run geo = SampleData.python(String.join("\n",
                "import sys",
                "from osgeo import gdal, osr",
                "a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])",
                "sa = osr.SpatialReference(wkt=a.GetProjection()); sb = osr.SpatialReference(wkt=b.GetProjection())",
                "print(a.RasterXSize == b.RasterXSize, a.RasterYSize == b.RasterYSize, a.RasterCount == b.RasterCount,",
                "      a.GetGeoTransform() == b.GetGeoTransform(), bool(sa.IsSame(sb)))"),
                SampleData.archive("raster/L7_ETMs.tif").toString(), out.resolve("raster/L7_ETMs.tif").toString());
        assertEquals("True True True True True", geo.out().strip(), geo.out());
    }

    @Test
    void superResolvesARasterWithAnExactlyScaledGeotransform() throws Exception {
        Path out = tmp.resolve("sr");
        Outcome o = yax("reconstruct", SampleData.archive("raster/L7_ETMs.tif").toString(), "-o", out.toString(),
                "--task", "sr", "--scale", "2", "--method", "tv");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        SampleData.Run geo = SampleData.python(String.join("\n",
                "import sys",
                "from osgeo import gdal",
                "a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])",
                "ga = a.GetGeoTransform(); gb = b.GetGeoTransform()",
                "print(b.RasterXSize == 2 * a.RasterXSize, b.RasterYSize == 2 * a.RasterYSize,",
                "      gb == (ga[0], ga[1] / 2, ga[2] / 2, ga[3], ga[4] / 2, ga[5] / 2))"),
                SampleData.archive("raster/L7_ETMs.tif").toString(), out.resolve("L7_ETMs.tif").toString());
        assertEquals("True True True", geo.out().strip(), geo.out());
    }

    @Test
    void writesCloudOptimizedFloat32RastersOnRequest() throws Exception {
        Path out = tmp.resolve("cog");
        Outcome o = yax("reconstruct", SampleData.archive("raster/L7_ETMs.tif").toString(), "-o", out.toString(),
                "--layout", "cog", "--compress", "zstd", "--float32");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        SampleData.Run info = SampleData.python(String.join("\n",
                "import sys",
                "from osgeo import gdal",
                "d = gdal.Open(sys.argv[1])",
                "s = d.GetMetadata('IMAGE_STRUCTURE')",
                "print(s.get('LAYOUT'), s.get('COMPRESSION'), gdal.GetDataTypeName(d.GetRasterBand(1).DataType))"),
                out.resolve("L7_ETMs.tif").toString());
        assertEquals("COG ZSTD Float32", info.out().strip(), info.out());
        Outcome bad = yax("reconstruct", SampleData.archive("raster/L7_ETMs.tif").toString(), "-o", out.toString(),
                "--layout", "png");
        assertEquals(Yax.EXIT_USAGE, bad.exit());
        assertTrue(bad.err().contains("--layout must be geotiff or cog"), bad.err());
    }

    @Test
    void aRasterAboveTheStreamingThresholdGoesWindowByWindowWithTheSameResult() throws Exception {
        Path landsat = SampleData.archive("raster/L7_ETMs.tif");
        Path whole = tmp.resolve("whole");
        Path streamed = tmp.resolve("streamed");
        Path report = tmp.resolve("s.json");
        assertEquals(Yax.EXIT_OK, yax("reconstruct", landsat.toString(), "-o", whole.toString(), "--sigma", "3",
                "--float32").exit());
        Outcome o = yax("reconstruct", landsat.toString(), "-o", streamed.toString(), "--sigma", "3", "--float32",
                "--stream-above", "0.01", "--report", report.toString());
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(Files.readString(report).contains("streamed window by window"), Files.readString(report));
        SampleData.Run cmp = SampleData.python(String.join("\n",
                "import sys, numpy as np",
                "from osgeo import gdal",
                "a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])",
                "print(a.GetGeoTransform() == b.GetGeoTransform(), a.GetProjection() == b.GetProjection(),",
                "      float(np.abs(a.ReadAsArray() - b.ReadAsArray()).max()))"),
                whole.resolve("L7_ETMs.tif").toString(), streamed.resolve("L7_ETMs.tif").toString());
        String[] cells = cmp.out().strip().split(" ");
        assertEquals("True True", cells[0] + " " + cells[1], cmp.out());
        assertTrue(Double.parseDouble(cells[2]) < 1e-3, "streamed differs from whole by " + cells[2]);
    }

    @Test
    void nonLocalMeansStreamedWindowByWindowGivesTheWholeRastersValues() throws Exception {
        Path landsat = SampleData.archive("raster/L7_ETMs.tif");
        Path whole = tmp.resolve("whole");
        Path streamed = tmp.resolve("streamed");
        Path report = tmp.resolve("nlm.json");
        Outcome w = yax("reconstruct", landsat.toString(), "-o", whole.toString(), "--method", "nlm", "--sigma", "3",
                "--float32", "--report", report.toString());
        assertEquals(Yax.EXIT_OK, w.exit(), w.err());
        JsonObject item = JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("items")
                .get(0).getAsJsonObject();
        assertEquals("nlm", item.get("method").getAsString(), item.toString());
        Outcome s = yax("reconstruct", landsat.toString(), "-o", streamed.toString(), "--method", "nlm", "--sigma",
                "3", "--float32", "--stream-above", "0.01");
        assertEquals(Yax.EXIT_OK, s.exit(), s.err());
        SampleData.Run cmp = SampleData.python(String.join("\n",
                "import sys, numpy as np",
                "from osgeo import gdal",
                "a = gdal.Open(sys.argv[1]).ReadAsArray(); b = gdal.Open(sys.argv[2]).ReadAsArray()",
                "c = gdal.Open(sys.argv[3]).ReadAsArray().astype(np.float32)",
                "print(float(np.abs(a - b).max()), float(np.abs(a - c).mean()))"),
                whole.resolve("L7_ETMs.tif").toString(), streamed.resolve("L7_ETMs.tif").toString(), landsat.toString());
        String[] cells = cmp.out().strip().split(" ");
        // windows carry the method's exact reach as halo: only float rounding of the blend may differ
        assertTrue(Double.parseDouble(cells[0]) < 1e-3, "streamed differs from whole by " + cells[0]);
        assertTrue(Double.parseDouble(cells[1]) > 0.5, "non-local means should change the bands: " + cmp.out());
    }

    @Test
    void deblursWithAPsfStreamedOrWholeAndEvalScoresTheBlurredBaseline() throws Exception {
        Path out = tmp.resolve("deblur");
        Outcome o = yax("reconstruct", SampleData.archive("dicom/CT_small.dcm").toString(), "-o", out.toString(),
                "--task", "deblur", "--psf", "gaussian:1.5", "--method", "tikhonov");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        SampleData.Run dicom = SampleData.python(String.join("\n",
                "import sys, pydicom",
                "d = pydicom.dcmread(sys.argv[1]); print(d.Rows, 'deblur' in d.DerivationDescription,",
                "      'psf=gaussian:1.5' in d.DerivationDescription)"), out.resolve("CT_small.dcm").toString());
        assertEquals("128 True True", dicom.out().strip(), dicom.out());

        // window by window: the halo covers the PSF's reach, so the seams do not show
        Path landsat = SampleData.archive("raster/L7_ETMs.tif");
        Path whole = tmp.resolve("whole");
        Path streamed = tmp.resolve("streamed");
        for (Path to : List.of(whole, streamed)) {
            Outcome r = yax("reconstruct", landsat.toString(), "-o", to.toString(), "--task", "deblur", "--psf",
                    "motion:7:30", "--sigma", "2", "--method", "tikhonov", "--float32", "--stream-above",
                    to == whole ? "64" : "0.01");
            assertEquals(Yax.EXIT_OK, r.exit(), r.err());
        }
        SampleData.Run cmp = SampleData.python(String.join("\n",
                "import sys, numpy as np",
                "from osgeo import gdal",
                "a = gdal.Open(sys.argv[1]).ReadAsArray(); b = gdal.Open(sys.argv[2]).ReadAsArray()",
                "print(float(np.abs(a - b).max() / (a.max() - a.min())))"),
                whole.resolve("L7_ETMs.tif").toString(), streamed.resolve("L7_ETMs.tif").toString());
        assertTrue(Double.parseDouble(cmp.out().strip()) < 1e-3, "streamed differs from whole by " + cmp.out());

        Outcome noPsf = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--task", "deblur");
        assertEquals(Yax.EXIT_USAGE, noPsf.exit());
        assertTrue(noPsf.err().contains("--task deblur needs --psf"), noPsf.err());
        Outcome psfElsewhere = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--psf", "box:3");
        assertEquals(Yax.EXIT_USAGE, psfElsewhere.exit());
        assertTrue(psfElsewhere.err().contains("--psf applies to --task deblur only"), psfElsewhere.err());
        Outcome badPsf = yax("eval", "x.png", "--task", "deblur", "--psf", "box:4");
        assertEquals(Yax.EXIT_USAGE, badPsf.exit());
        assertTrue(badPsf.err().contains("psf 'box:4'"), badPsf.err());

        PrintStream old = System.out;
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
        Outcome eval;
        try {
            eval = yax("eval", SampleData.archive("mri/BrainProtonDensitySlice.png").toString(), "--task", "deblur",
                    "--psf", "gaussian:1.5", "--methods", "blurred,tikhonov");
        } finally {
            System.setOut(old);
        }
        assertEquals(Yax.EXIT_OK, eval.exit(), eval.err());
        String rows = table.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(blurred|tikhonov)\\s+([0-9.]+)").matcher(rows);
        Map<String, Double> psnr = new HashMap<>();
        while (m.find()) {
            psnr.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertTrue(psnr.get("tikhonov") > psnr.get("blurred") + 2, rows);
    }

    @Test
    void superResolutionAboveTheStreamingThresholdIsStreamedWithTheSameResult() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("dem.tif");
        SampleData.Run made = SampleData.python(String.join("\n",
                "import sys, numpy as np",
                "from osgeo import gdal, osr",
                "ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 150, 120, 1, gdal.GDT_Int16)",
                "ds.SetGeoTransform([400000.0, 30.0, 4.0, 5000000.0, 3.0, -30.0])",
                "s = osr.SpatialReference(); s.ImportFromEPSG(32631); ds.SetProjection(s.ExportToWkt())",
                "y, x = np.mgrid[0:120, 0:150]",
                "a = (500 + 2 * x + 200 * np.sin(x / 9.0) * np.cos(y / 7.0)",
                "     + np.random.default_rng(5).normal(0, 8, (120, 150))).astype(np.int16)",
                "a[40:50, 60:90] = -32768",
                "b = ds.GetRasterBand(1); b.WriteArray(a); b.SetNoDataValue(-32768); ds = None"), in.toString());
        assertEquals(0, made.exitCode(), made.out());
        Path whole = tmp.resolve("whole");
        Path streamed = tmp.resolve("streamed");
        Path report = tmp.resolve("sr.json");
        String[] common = {"reconstruct", in.toString(), "--task", "sr", "--scale", "2", "--method", "tikhonov",
            "--sigma", "8"};
        Outcome w = yax(concat(common, "-o", whole.toString()));
        assertEquals(Yax.EXIT_OK, w.exit(), w.err());
        Outcome o = yax(concat(common, "-o", streamed.toString(), "--stream-above", "0.05", "--report",
                report.toString()));
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(Files.readString(report).contains("streamed window by window"), Files.readString(report));
        SampleData.Run cmp = SampleData.python(String.join("\n",
                "import sys, numpy as np",
                "from osgeo import gdal",
                "s = gdal.Open(sys.argv[1]); a = gdal.Open(sys.argv[2]); b = gdal.Open(sys.argv[3])",
                "g = s.GetGeoTransform(); want = (g[0], g[1] / 2, g[2] / 2, g[3], g[4] / 2, g[5] / 2)",
                "x = a.ReadAsArray().astype(float); y = b.ReadAsArray().astype(float)",
                "print(b.RasterXSize, b.RasterYSize, b.GetGeoTransform() == want, a.GetGeoTransform() == want,",
                "      int((y == -32768).sum()), float(np.abs(x - y).max()), b.GetMetadataItem('YAX_PROVENANCE'))"),
                in.toString(), whole.resolve("dem.tif").toString(), streamed.resolve("dem.tif").toString());
        String[] cells = cmp.out().strip().split(" ", 7);
        assertEquals("300 240 True True " + (10 * 30 * 4), String.join(" ", List.of(cells).subList(0, 5)), cmp.out());
        assertTrue(Double.parseDouble(cells[5]) <= 1, "streamed Int16 differs from whole by " + cells[5]);
        assertTrue(cells[6].contains("sr method=tikhonov scale=2"), cells[6]);
    }

    @Test
    void streamingWithSigmaAutoEstimatesOnceForTheWholeBand() throws Exception {
        Path landsat = SampleData.archive("raster/L7_ETMs.tif");
        Path whole = tmp.resolve("whole");
        Path streamed = tmp.resolve("streamed");
        assertEquals(Yax.EXIT_OK, yax("reconstruct", landsat.toString(), "-o", whole.toString(), "--float32",
                "--method", "tikhonov").exit());
        Outcome o = yax("reconstruct", landsat.toString(), "-o", streamed.toString(), "--float32", "--method",
                "tikhonov", "--stream-above", "0.01");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        SampleData.Run cmp = SampleData.python(String.join("\n",
                "import sys, re, numpy as np",
                "from osgeo import gdal",
                "a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])",
                "sig = lambda d: [float(v) for v in re.search(r'sigma_estimated=([^ ]+)',",
                "                 d.GetMetadataItem('YAX_PROVENANCE')).group(1).split(',')]",
                "sa, sb = sig(a), sig(b)",
                "print(len(sa), len(sb), max(abs(x - y) / x for x, y in zip(sa, sb)),",
                "      float(np.abs(a.ReadAsArray() - b.ReadAsArray()).max()),",
                "      'sigma_estimate=median of sampled windows' in b.GetMetadataItem('YAX_PROVENANCE'))"),
                whole.resolve("L7_ETMs.tif").toString(), streamed.resolve("L7_ETMs.tif").toString());
        String[] cells = cmp.out().strip().split(" ");
        assertEquals("6 6", cells[0] + " " + cells[1], cmp.out());
        // Landsat's 349 x 352 bands fit one 512 sample window: the estimate is the whole-band one
        assertTrue(Double.parseDouble(cells[2]) < 1e-3, "sigma estimates differ: " + cmp.out());
        assertTrue(Double.parseDouble(cells[3]) < 1e-2, "streamed differs from whole: " + cmp.out());
        assertEquals("True", cells[4], cmp.out());
    }

    @Test
    void badRastersFailOneByOneAndTheBatchGoesOn() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        SampleData.Run made = SampleData.python(String.join("\n",
                "import sys, os, numpy as np",
                "from osgeo import gdal",
                "gdal.UseExceptions()",
                "d = sys.argv[1]; gt = gdal.GetDriverByName('GTiff')",
                "ds = gt.Create(os.path.join(d, 'good.tif'), 40, 30, 1, gdal.GDT_Byte)",
                "ds.GetRasterBand(1).WriteArray(np.random.default_rng(1).integers(0, 255, (30, 40)).astype(np.uint8))",
                "ds = None",
                "ds = gt.Create(os.path.join(d, 'complex.tif'), 8, 8, 1, gdal.GDT_CFloat32); ds = None",
                "nc = gdal.GetDriverByName('netCDF').CreateMultiDimensional(os.path.join(d, 'two_vars.nc'))",
                "rg = nc.GetRootGroup(); y = rg.CreateDimension('y', None, None, 4); x = rg.CreateDimension('x', None, None, 3)",
                "[rg.CreateMDArray(v, [y, x], gdal.ExtendedDataType.Create(gdal.GDT_Float32)) for v in ('a', 'b')]",
                "nc = None",
                "open(os.path.join(d, 'points.geojson'), 'w').write('{\"type\": \"FeatureCollection\", \"features\": []}')"),
                in.toString());
        assertEquals(0, made.exitCode(), made.out());
        Path report = tmp.resolve("bad.csv");
        Outcome o = yax("reconstruct", in.toString(), "-o", tmp.resolve("out").toString(), "--sigma", "3",
                "--report", report.toString());
        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err());
        String csv = Files.readString(report);
        assertTrue(csv.contains("good.tif") && o.err().contains("1 done, 2 failed, 1 skipped"), o.err() + csv);
        assertTrue(csv.contains("complex type CFloat32"), csv);
        assertTrue(csv.contains("2 subdatasets and no bands of its own"), csv);
        assertTrue(Files.isRegularFile(tmp.resolve("out/good.tif")));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void resumeSkipsWhatIsDoneAndRedoesWhatChanged() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Files.copy(SampleData.archive("dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        Path out = tmp.resolve("out");
        assertEquals(Yax.EXIT_OK, yax("reconstruct", in.toString(), "-o", out.toString()).exit());
        Outcome again = yax("reconstruct", in.toString(), "-o", out.toString(), "--resume");
        assertEquals(Yax.EXIT_OK, again.exit(), again.err());
        assertTrue(again.err().contains("0 done, 0 failed, 2 skipped"), again.err());
        Outcome changed = yax("reconstruct", in.toString(), "-o", out.toString(), "--resume", "--sigma", "5");
        assertTrue(changed.err().contains("2 done, 0 failed, 0 skipped"), changed.err());
    }

    @Test
    void groundTruthGivesPsnrBeforeAndAfter() throws Exception {
        Path root = SampleData.root();
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("r.csv");
        // the whole archive, so relative paths line up with the ground-truth tree
        Outcome o = yax("reconstruct", root.resolve("archive").toString(), "-o", out.toString(),
                "--reference", root.resolve("ground-truth").toString(), "--report", report.toString());
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        List<String> rows = Files.readAllLines(report);
        assertTrue(rows.get(0).startsWith("input,output,format,status,reason"), rows.get(0));
        List<String> header = List.of(rows.get(0).split(","));
        int before = header.indexOf("psnr_before");
        int after = header.indexOf("psnr_after");
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            if (row.startsWith("#") || !(row.contains("/phantom-ct,") || row.contains("rotated-multiband"))) {
                continue;
            }
            String[] cells = row.split(",", -1);
            assertFalse(cells[before].isEmpty(), "no PSNR for " + row);
            double gain = Double.parseDouble(cells[after]) - Double.parseDouble(cells[before]);
            assertTrue(gain > 3, "TV denoising should gain > 3 dB on the generated data: " + row);
            checked++;
        }
        // the CT slices are one series row (a volume), measured over all its slices
        assertEquals(2, checked, "expected the raster and the CT series");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhy() {
        Outcome task = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--task", "nonsense");
        assertEquals(Yax.EXIT_USAGE, task.exit());
        assertTrue(task.err().contains("unknown task 'nonsense'"), task.err());
        Outcome scale = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--task", "sr", "--scale", "0");
        assertEquals(Yax.EXIT_USAGE, scale.exit());
        assertTrue(scale.err().contains("scale must be between 2 and 8"), scale.err());
        Outcome sigma = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--sigma", "-1");
        assertEquals(Yax.EXIT_USAGE, sigma.exit());
        assertTrue(sigma.err().contains("sigma must be a finite number >= 0"), sigma.err());
        Outcome nlm = yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--task", "sr", "--method", "nlm");
        assertEquals(Yax.EXIT_USAGE, nlm.exit());
        assertTrue(nlm.err().contains("method nlm is a denoiser: it applies to task denoise only, not sr"), nlm.err());
        assertEquals(Yax.EXIT_USAGE, yax("reconstruct", "x.dcm").exit());
        assertEquals(Yax.EXIT_USAGE, yax("reconstruct", "x.dcm", "-o", tmp.toString(), "--report", "r.txt").exit());
    }

    @Test
    void refusesToWriteInsideAnInputFolder() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Outcome o = yax("reconstruct", in.toString(), "-o", in.resolve("out").toString());
        assertEquals(Yax.EXIT_USAGE, o.exit());
        assertTrue(o.err().contains("is inside input folder"), o.err());
    }

    @Test
    void aMissingInputIsNamedAndTheRestIsDone() {
        Path out = tmp.resolve("out");
        Outcome o = yax("reconstruct", tmp.resolve("nope.dcm").toString(),
                SampleData.archive("dicom/MR_small.dcm").toString(), "-o", out.toString());
        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err());
        assertTrue(o.err().contains("nope.dcm: no such file or folder"), o.err());
        assertTrue(Files.isRegularFile(out.resolve("MR_small.dcm")), o.err());
    }
}
