package org.yax.plugins.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.yax.plugins.SourceProperties;
import org.yax.plugins.TestSupport;

/** The SciJava commands as Fiji runs them, through a SciJava Context, on real files. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CommandsTest {
    private static Context context;
    private static CommandService commands;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startContext() {
        context = new Context(CommandService.class, StatusService.class, LogService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void stopContext() {
        context.dispose();
    }

    /**
     * Runs a command with preprocessing (initializers fill the dynamic choices) as Fiji does. A {@link
     * org.scijava.command.DynamicCommand} is its own module, so the result is a Module that is Cancelable.
     */
    private static Ran run(Class<? extends Command> command, Object... inputs) throws Exception {
        // CommandService.run(Class, ...) answers null for a DynamicCommand (it is no CommandModule): go through
        // the ModuleService, as Fiji's menus do
        return new Ran(context.service(org.scijava.module.ModuleService.class)
                .run(commands.getCommand(command), true, inputs).get(240, TimeUnit.SECONDS));
    }

    /** The module a command ran as: its outputs and whether (and why) it cancelled. */
    record Ran(org.scijava.module.Module module) {
        Object getOutput(String name) {
            return module.getOutput(name);
        }

        boolean isCanceled() {
            return ((org.scijava.Cancelable) module).isCanceled();
        }

        String getCancelReason() {
            return ((org.scijava.Cancelable) module).getCancelReason();
        }
    }

    private static ImagePlus openCt() throws Exception {
        Ran m = run(OpenDicomCommand.class, "path", TestSupport.sample("archive/dicom/CT_small.dcm").toFile());
        assertFalse(m.isCanceled(), m.getCancelReason());
        return (ImagePlus) m.getOutput("image");
    }

    @Test
    void openDicomGivesHuFloatsWithPixelSpacingAndHeaderInfo() throws Exception {
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        ImagePlus imp = openCt();
        assertEquals("CT_small.dcm", imp.getTitle());
        assertEquals(ImagePlus.GRAY32, imp.getType());
        // pydicom's view: rescaled values at a few (row, col) positions, and the pixel spacing
        String py = TestSupport.python("""
                import sys, pydicom
                d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)
                print(d.Rows, d.Columns, float(d.PixelSpacing[0]), float(d.PixelSpacing[1]), d.StudyInstanceUID)
                print(' '.join(repr(float(a[r, c])) for r, c in [(0, 0), (10, 70), (100, 3), (127, 127)]))
                """, ct.toString());
        String[] head = py.lines().toList().get(0).split(" ");
        String[] values = py.lines().toList().get(1).split(" ");
        assertEquals(Integer.parseInt(head[0]), imp.getHeight());
        assertEquals(Integer.parseInt(head[1]), imp.getWidth());
        Calibration cal = imp.getCalibration();
        assertEquals(Double.parseDouble(head[2]), cal.pixelHeight, 1e-9);
        assertEquals(Double.parseDouble(head[3]), cal.pixelWidth, 1e-9);
        assertEquals("mm", cal.getUnit());
        assertEquals("HU", cal.getValueUnit());
        int[][] rc = {{0, 0}, {10, 70}, {100, 3}, {127, 127}};
        for (int i = 0; i < rc.length; i++) {
            assertEquals(Double.parseDouble(values[i]), imp.getProcessor().getf(rc[i][1], rc[i][0]), 1e-3, "pixel " + i);
        }
        assertTrue(imp.getInfoProperty().contains("0020,000D  Study Instance UID: " + head[4]), imp.getInfoProperty());
        assertNotNull(SourceProperties.source(imp));
    }

    @Test
    void denoiseMakesANewImageWithTheSameSizeAndCalibrationAndLeavesTheInputAlone() throws Exception {
        ImagePlus in = openCt();
        float[] before = ((float[]) in.getProcessor().getPixels()).clone();
        Ran m = run(DenoiseCommand.class, "input", in, "sigma", "auto", "method", "tv");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals("CT_small-denoised", out.getTitle());
        assertEquals(in.getWidth(), out.getWidth());
        assertEquals(in.getHeight(), out.getHeight());
        assertEquals(ImagePlus.GRAY32, out.getType());
        assertEquals(in.getCalibration().pixelWidth, out.getCalibration().pixelWidth, 0);
        assertEquals(in.getCalibration().pixelHeight, out.getCalibration().pixelHeight, 0);
        assertEquals("mm", out.getCalibration().getUnit());
        assertEquals("HU", out.getCalibration().getValueUnit());
        assertTrue(Arrays.equals(before, (float[]) in.getProcessor().getPixels()), "input changed");
        float[] after = (float[]) out.getProcessor().getPixels();
        assertFalse(Arrays.equals(before, after), "denoising changed nothing");
        // smoother: less pixel-to-pixel variation, same mean level (CT_small is a clinical image with little noise:
        // sigma auto measures little, so TV smooths a little, not the 10% a generous estimate once gave)
        assertTrue(roughness(after) < 0.97 * roughness(before), roughness(after) + " vs " + roughness(before));
        assertEquals(mean(before), mean(after), 0.02 * (max(before) - min(before)));
        assertTrue(out.getInfoProperty().contains("yax: yax "), "provenance in Info");
        // the same provenance keys as every other output path (the command line's files, series, streamed rasters)
        String provenance = org.yax.plugins.SourceProperties.derivation(out).describe();
        for (String key : List.of(" method=tv", " scale=1", " sigma=auto", " sigma_estimate=per plane",
                " sigma_estimated=")) {
            assertTrue(provenance.contains(key), key + " in " + provenance);
        }
        assertTrue(provenance.startsWith("yax " + org.yax.core.Version.get() + " denoise "), provenance);
        assertTrue(SourceProperties.derivation(out).describe().contains("method=tv"));
    }

    @Test
    void saveAsDicomWritesADerivedInstanceInTheSameStudyAndANewSeries() throws Exception {
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        ImagePlus denoised = (ImagePlus) run(DenoiseCommand.class, "input", openCt(), "sigma", "20", "method",
                "tikhonov").getOutput("output");
        Path target = tmp.resolve("CT_small-denoised.dcm");
        Ran save = run(SaveDicomCommand.class, "input", denoised, "path", target.toFile());
        assertFalse(save.isCanceled(), save.getCancelReason());
        TestSupport.Run dump = TestSupport.run("dcmdump", "-q", target.toString());
        assertEquals(0, dump.exitCode(), dump.out());
        String py = TestSupport.python("""
                import sys, pydicom, numpy
                s = pydicom.dcmread(sys.argv[1]); d = pydicom.dcmread(sys.argv[2])
                a = d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)
                print(s.StudyInstanceUID == d.StudyInstanceUID, s.SeriesInstanceUID != d.SeriesInstanceUID,
                      s.SOPInstanceUID != d.SOPInstanceUID, 'DERIVED' in d.ImageType, d.Rows, d.Columns,
                      float(a[40, 50]), 'tikhonov' in str(d.DerivationDescription))
                """, ct.toString(), target.toString());
        String[] f = py.split(" ");
        assertEquals("True True True True", String.join(" ", Arrays.copyOf(f, 4)), py);
        assertEquals(denoised.getHeight(), Integer.parseInt(f[4]));
        assertEquals(denoised.getWidth(), Integer.parseInt(f[5]));
        // stored as 16-bit with a rescale: within one quantisation step of the float result
        assertEquals(denoised.getProcessor().getf(50, 40), Double.parseDouble(f[6]), 1.0);
        assertEquals("True", f[7], py);
    }

    @Test
    void superResolveAlongZGivesScaleTimesTheSlicesOfAStackWithAVoxelDepth() throws Exception {
        ij.ImageStack stack = new ij.ImageStack(40, 32);
        for (int z = 0; z < 5; z++) {
            float[] px = new float[40 * 32];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) (100 * Math.sin(i % 40 / 6.0) + 40 * z);
            }
            stack.addSlice(new ij.process.FloatProcessor(40, 32, px));
        }
        ImagePlus in = new ImagePlus("thick", stack);
        in.getCalibration().pixelWidth = 0.8;
        in.getCalibration().pixelHeight = 0.8;
        in.getCalibration().pixelDepth = 4;
        in.getCalibration().setUnit("mm");
        Ran m = run(SuperResolveCommand.class, "input", in, "scale", "4", "sigma", "auto", "method", "tv", "axes", "z");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals(20, out.getStackSize());
        assertEquals(40, out.getWidth());
        assertEquals(1.0, out.getCalibration().pixelDepth, 1e-12);
        assertEquals(0.8, out.getCalibration().pixelWidth, 1e-12);
        // a linear ramp along z stays one: the thin slices between two thick ones lie between their values
        float mid = out.getStack().getProcessor(10).getf(7, 5);
        float below = in.getStack().getProcessor(2).getf(7, 5);
        float above = in.getStack().getProcessor(3).getf(7, 5);
        assertTrue(mid > below - 1 && mid < above + 1, below + " " + mid + " " + above);

        in.getCalibration().pixelDepth = 0;
        Ran bad = run(SuperResolveCommand.class, "input", in, "scale", "2", "sigma", "auto", "method", "cubic", "axes", "z");
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("no voxel depth"), bad.getCancelReason());
    }

    @Test
    void superResolveHalvesThePixelSizeInImageJAndInTheSavedDicom() throws Exception {
        ImagePlus in = openCt();
        Ran m = run(SuperResolveCommand.class, "input", in, "scale", "2", "sigma", "auto", "method", "auto");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals("CT_small-superresolved", out.getTitle());
        assertEquals(2 * in.getWidth(), out.getWidth());
        assertEquals(in.getCalibration().pixelWidth / 2, out.getCalibration().pixelWidth, 1e-12);
        Path target = tmp.resolve("sr.dcm");
        Ran save = run(SaveDicomCommand.class, "input", out, "path", target.toFile());
        assertFalse(save.isCanceled(), save.getCancelReason());
        String py = TestSupport.python("""
                import sys, pydicom
                d = pydicom.dcmread(sys.argv[1]); print(d.Rows, d.Columns, float(d.PixelSpacing[1]))
                """, target.toString());
        String[] f = py.split(" ");
        assertEquals(out.getHeight(), Integer.parseInt(f[0]), py);
        assertEquals(out.getWidth(), Integer.parseInt(f[1]), py);
        assertEquals(out.getCalibration().pixelWidth, Double.parseDouble(f[2]), 1e-6, py);
    }

    @Test
    void openRasterAndSaveGeoTiffKeepGeoreferencing() throws Exception {
        Path tif = TestSupport.sample("archive/raster/L7_ETMs.tif");
        Ran open = run(OpenRasterCommand.class, "path", tif.toFile());
        assertFalse(open.isCanceled(), open.getCancelReason());
        ImagePlus imp = (ImagePlus) open.getOutput("image");
        String py = TestSupport.python("""
                import sys
                from osgeo import gdal
                d = gdal.Open(sys.argv[1]); g = d.GetGeoTransform()
                print(d.RasterCount, d.RasterXSize, d.RasterYSize, g[1], -g[5], d.GetRasterBand(3).ReadAsArray()[20, 30])
                """, tif.toString());
        String[] f = py.split(" ");
        assertEquals(Integer.parseInt(f[0]), imp.getNChannels());
        assertEquals(Integer.parseInt(f[1]), imp.getWidth());
        assertEquals(Integer.parseInt(f[2]), imp.getHeight());
        assertEquals(Double.parseDouble(f[3]), imp.getCalibration().pixelWidth, 1e-9);
        assertEquals(Double.parseDouble(f[4]), imp.getCalibration().pixelHeight, 1e-9);
        assertEquals("m", imp.getCalibration().getUnit());
        assertEquals(Double.parseDouble(f[5]), imp.getStack().getProcessor(imp.getStackIndex(3, 1, 1)).getf(30, 20), 0);
        assertTrue(imp.getInfoProperty().contains("Driver: GTiff"), imp.getInfoProperty());

        Ran denoise = run(DenoiseCommand.class, "input", imp, "sigma", "5", "method", "tikhonov");
        assertFalse(denoise.isCanceled(), denoise.getCancelReason());
        ImagePlus out = (ImagePlus) denoise.getOutput("output");
        assertEquals(imp.getNChannels(), out.getNChannels());
        Path target = tmp.resolve("L7_ETMs-denoised.tif");
        Ran save = run(SaveGeoTiffCommand.class, "input", out, "path", target.toFile());
        assertFalse(save.isCanceled(), save.getCancelReason());
        String check = TestSupport.python("""
                import sys
                from osgeo import gdal
                s = gdal.Open(sys.argv[1]); d = gdal.Open(sys.argv[2])
                print(d.RasterCount == s.RasterCount, d.GetGeoTransform() == s.GetGeoTransform(),
                      d.GetProjection() == s.GetProjection(), d.GetDriver().ShortName)
                """, tif.toString(), target.toString());
        assertEquals("True True True GTiff", check);
    }

    @Test
    void batchReconstructRunsTheBatchEngineOverSubFoldersAndSeriesWithReportAndResume() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(TestSupport.sample("archive/dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Path sub = Files.createDirectories(in.resolve("sub/deeper"));
        Files.copy(TestSupport.sample("archive/dicom/MR_small.dcm"), sub.resolve("MR_small.dcm"));
        Path series = Files.createDirectories(in.resolve("series"));
        try (var files = Files.list(TestSupport.sample("archive/dicom/phantom-ct/IM0001.dcm").getParent())) {
            for (Path slice : files.sorted().limit(4).toList()) {
                Files.copy(slice, series.resolve(slice.getFileName()));
            }
        }
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Path out = tmp.resolve("out");
        Ran m = run(BatchReconstructCommand.class, "input", in.toFile(), "output", out.toFile(),
                "task", "denoise", "scale", "2", "sigma", "auto", "method", "auto", "adapt", "0", "resume", "false",
                "nohtml", false); // given: SciJava would take a value another test persisted
        assertFalse(m.isCanceled(), m.getCancelReason());
        String lines = (String) m.getOutput("report");
        assertTrue(Files.isRegularFile(out.resolve("CT_small.dcm")), lines);
        assertTrue(Files.isRegularFile(out.resolve("sub/deeper/MR_small.dcm")), "sub-folders are walked: " + lines);
        assertTrue(lines.contains("skipped " + in.resolve("notes.txt")), lines);
        assertEquals(0, TestSupport.run("dcmdump", "-q", out.resolve("sub/deeper/MR_small.dcm").toString()).exitCode());
        // the engine's report, as yax reconstruct writes it: one row per item, the series as one volume
        String json = Files.readString(out.resolve("report.json"));
        com.google.gson.JsonObject doc = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertEquals(3, doc.getAsJsonObject("summary").get("done").getAsInt(), json);
        assertEquals(1, doc.getAsJsonObject("summary").get("skipped").getAsInt(), json);
        String seriesRow = null;
        String ctMethod = null;
        for (var e : doc.getAsJsonArray("items")) {
            var row = e.getAsJsonObject();
            if (row.has("series")) {
                seriesRow = row.toString();
            }
            if (row.get("input").getAsString().endsWith("CT_small.dcm")) {
                ctMethod = row.get("method").getAsString();
            }
        }
        assertTrue(seriesRow != null && seriesRow.contains("volume, 4 slices"), json);
        assertEquals("network", ctMethod, "auto follows the model's card for a single image: " + json);
        // and the HTML page beside it: CT and MR one view each, the series its middle slice and a reformatted plane
        String page = Files.readString(out.resolve("report.html"));
        assertEquals(3 * 4, page.split("src=\"data:image/png;base64,", -1).length - 1, "thumbnails in report.html");

        Ran again = run(BatchReconstructCommand.class, "input", in.toFile(), "output", out.toFile(),
                "task", "denoise", "scale", "2", "sigma", "auto", "method", "auto", "adapt", "0", "resume", "true");
        assertFalse(again.isCanceled(), again.getCancelReason());
        String resumed = Files.readString(out.resolve("report.json"));
        assertEquals(0, com.google.gson.JsonParser.parseString(resumed).getAsJsonObject()
                .getAsJsonObject("summary").get("done").getAsInt(), resumed);
        assertTrue(resumed.contains("already done with the same input and parameters"), resumed);

        Ran same = run(BatchReconstructCommand.class, "input", in.toFile(), "output", in.toFile(),
                "task", "denoise", "scale", "2", "sigma", "auto", "method", "auto", "adapt", "0", "resume", "false");
        assertTrue(same.isCanceled());
        assertTrue(same.getCancelReason().contains("inputs are never overwritten"), same.getCancelReason());
    }

    @Test
    void batchReconstructUsesTheNetworkMethodFromAMacro() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in-network"));
        Files.copy(TestSupport.sample("archive/dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        Path out = tmp.resolve("out-network");
        Ran m = run(BatchReconstructCommand.class, "input", in.toFile(), "output", out.toFile(),
                "task", "denoise", "sigma", "auto", "method", "network", "adapt", "1", "resume", "false",
                "nohtml", true);
        assertFalse(m.isCanceled(), m.getCancelReason());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"method\": \"network\""), json);
        assertFalse(Files.exists(out.resolve("report.html")), "nohtml: no thumbnails, no page");
        assertTrue(Files.isRegularFile(out.resolve("MR_small.dcm")), json);
    }

    @Test
    void badInputCancelsWithAReasonThatNamesTheProblem() throws Exception {
        Ran sigma = run(DenoiseCommand.class, "input", openCt(), "sigma", "abc", "method", "tv");
        assertTrue(sigma.isCanceled());
        assertTrue(sigma.getCancelReason().contains("sigma must be 'auto' or a number"), sigma.getCancelReason());
        assertNull(sigma.getOutput("output"));

        Path missing = tmp.resolve("missing.dcm");
        Ran open = run(OpenDicomCommand.class, "path", missing.toFile());
        assertTrue(open.isCanceled());
        assertEquals(missing + ": no such file", open.getCancelReason());

        Ran dicomAsRaster = run(OpenRasterCommand.class, "path",
                TestSupport.sample("archive/dicom/CT_small.dcm").toFile());
        assertTrue(dicomAsRaster.getCancelReason().contains("Open DICOM..."), dicomAsRaster.getCancelReason());

        ImagePlus plain = new ImagePlus("plain", new ij.process.FloatProcessor(8, 8));
        Ran save = run(SaveDicomCommand.class, "input", plain, "path", tmp.resolve("x.dcm").toFile());
        assertTrue(save.isCanceled());
        assertTrue(save.getCancelReason().contains("has no DICOM source"), save.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("x.dcm")));

        ImagePlus ct = openCt();
        Ran overwrite = run(SaveDicomCommand.class, "input", ct, "path",
                TestSupport.sample("archive/dicom/CT_small.dcm").toFile());
        assertTrue(overwrite.getCancelReason().contains("would overwrite the source"), overwrite.getCancelReason());
    }

    @Test
    void menuEntriesAreFoundFromThePluginIndexUnderPluginsYax() {
        java.util.Set<String> leaves = new java.util.TreeSet<>();
        for (org.scijava.command.CommandInfo info : commands.getCommands()) {
            org.scijava.MenuPath path = info.getMenuPath();
            if (path.size() == 3 && path.get(0).getName().equals("Plugins") && path.get(1).getName().equals("yax")) {
                leaves.add(info.getMenuPath().getLeaf().getName());
            }
        }
        assertEquals(new java.util.TreeSet<>(java.util.List.of("Denoise", "Super-resolve", "Inpaint", "Deblur",
                "Reconstruct (advanced)", "Evaluate", "Batch reconstruct", "Open DICOM...", "Save as DICOM...", "Open georeferenced raster...",
                "Save as GeoTIFF...")), leaves);
    }

    /** CT_small blurred by the core's own operator (gaussian:1.5) with 1% noise: a measurement with a known truth. */
    private static ImagePlus blurredCt(ImagePlus ct) {
        org.yax.core.Image truth = org.yax.plugins.ImageConversion.toImage(ct, SourceProperties.source(ct));
        org.yax.core.Image blurred = org.yax.core.Evaluation.measurement(truth, new org.yax.core.Evaluation.Settings(
                org.yax.core.task.Task.DEBLUR, 0.01, true, 1, 0, 4, 5, java.util.List.of("blurred"),
                org.yax.core.op.Psf.parse("gaussian:1.5")));
        ImagePlus imp = org.yax.plugins.ImageConversion.toImagePlus(blurred, "CT_small-blurred.dcm", ct.getCalibration());
        SourceProperties.attach(imp, SourceProperties.source(ct), null, ct.getInfoProperty());
        return imp;
    }

    @Test
    void deblurBringsABlurredCtCloserToTheTruthAndRecordsThePsf() throws Exception {
        ImagePlus ct = openCt();
        ImagePlus blurred = blurredCt(ct);
        float[] before = ((float[]) blurred.getProcessor().getPixels()).clone();
        Ran m = run(DeblurCommand.class, "input", blurred, "psf", "gaussian:1.5", "sigma", "auto", "method", "tv");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals("CT_small-blurred-deblurred", out.getTitle());
        assertEquals("HU", out.getCalibration().getValueUnit());
        assertTrue(Arrays.equals(before, (float[]) blurred.getProcessor().getPixels()), "input changed");
        float[] truth = (float[]) ct.getProcessor().getPixels();
        double range = max(truth) - min(truth);
        double psnrBlurred = psnr(truth, before, range);
        double psnrDeblurred = psnr(truth, (float[]) out.getProcessor().getPixels(), range);
        System.out.printf(java.util.Locale.ROOT, "Deblur command on CT_small (gaussian:1.5, 1%%): %.2f -> %.2f dB%n",
                psnrBlurred, psnrDeblurred);
        assertTrue(psnrDeblurred > psnrBlurred + 1, psnrBlurred + " -> " + psnrDeblurred + " dB");
        assertTrue(SourceProperties.derivation(out).describe().contains("psf=gaussian:1.5"),
                SourceProperties.derivation(out).describe());

        Ran bad = run(DeblurCommand.class, "input", blurred, "psf", "disk:3", "sigma", "auto", "method", "tv");
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("psf 'disk:3'"), bad.getCancelReason());
    }

    @Test
    void reconstructAdvancedRunsEveryTaskFromOneDialogAndIgnoresFieldsATaskDoesNotUse() throws Exception {
        ImagePlus ct = openCt();
        Ran sr = run(ReconstructAdvancedCommand.class, "input", ct, "task", "sr", "scale", "2", "psf", "",
                "sigma", "auto", "method", "tikhonov");
        assertFalse(sr.isCanceled(), sr.getCancelReason());
        ImagePlus big = (ImagePlus) sr.getOutput("output");
        assertEquals("CT_small-superresolved", big.getTitle());
        assertEquals(2 * ct.getWidth(), big.getWidth());

        Ran deblur = run(ReconstructAdvancedCommand.class, "input", ct, "task", "deblur", "scale", "2",
                "psf", "motion:5:45", "sigma", "10", "method", "tikhonov");
        assertFalse(deblur.isCanceled(), deblur.getCancelReason());
        ImagePlus sharp = (ImagePlus) deblur.getOutput("output");
        assertEquals(ct.getWidth(), sharp.getWidth());
        assertTrue(SourceProperties.derivation(sharp).describe().contains("psf=motion:5:45"));

        Ran mri = run(ReconstructAdvancedCommand.class, "input", ct, "task", "mri", "scale", "2", "psf", "",
                "sigma", "auto", "method", "auto");
        assertTrue(mri.isCanceled());
        assertTrue(mri.getCancelReason().contains("k-space"), mri.getCancelReason());
    }

    @Test
    void methodAndTaskChoicesFollowTheCoresEnums() throws Exception {
        Ran m = run(ReconstructAdvancedCommand.class, "input", openCt(), "task", "denoise", "scale", "2",
                "psf", "", "sigma", "20", "method", "tikhonov");
        assertEquals(Arrays.stream(org.yax.core.task.Method.values()).map(org.yax.core.task.Method::cliName).toList(),
                m.module().getInfo().getInput("method").getChoices());
        assertTrue(m.module().getInfo().getInput("task").getChoices().contains("deblur"));
        assertFalse(m.module().getInfo().getInput("task").getChoices().contains("mri"), "image files hold no k-space");
    }

    @Test
    void evaluateFillsTheResultsTableAndShowsTheMeasurementAndEstimates() throws Exception {
        ImagePlus ct = openCt();
        Ran m = run(EvaluateCommand.class, "input", ct, "task", "deblur", "psf", "gaussian:1.5", "sigma", "1%",
                "scale", "2", "missing", "0.5", "acceleration", "4", "seed", "0", "methods", "", "images", true);
        assertFalse(m.isCanceled(), m.getCancelReason());
        ij.measure.ResultsTable results = ij.measure.ResultsTable.getResultsTable();
        assertEquals(3, results.size());
        assertEquals(java.util.List.of("blurred", "tikhonov", "tv"), java.util.List.of(results.getStringValue("method", 0),
                results.getStringValue("method", 1), results.getStringValue("method", 2)));
        assertEquals("CT_small.dcm", results.getStringValue("image", 0));
        assertTrue(results.getValue("PSNR", 2) > results.getValue("PSNR", 0) + 1,
                results.getValue("PSNR", 0) + " -> " + results.getValue("PSNR", 2));
        assertTrue(results.getValue("SSIM", 2) > results.getValue("SSIM", 0));
        assertTrue(results.getValue("time", 2) > 0);
        ImagePlus measured = (ImagePlus) m.getOutput("CT_small-measured");
        assertEquals(ct.getWidth(), measured.getWidth());
        assertEquals(ct.getCalibration().pixelWidth, measured.getCalibration().pixelWidth, 1e-12);
        assertNotNull(m.getOutput("CT_small-tv"));
        assertNotNull(m.getOutput("CT_small-tikhonov"));
        assertNull(m.getOutput("CT_small-blurred"), "the blurred baseline is the measurement: not shown twice");

        Ran sr = run(EvaluateCommand.class, "input", ct, "task", "sr", "psf", "", "sigma", "", "scale", "2",
                "missing", "0.5", "acceleration", "4", "seed", "0", "methods", "bicubic", "images", true);
        assertFalse(sr.isCanceled(), sr.getCancelReason());
        assertEquals(1, ij.measure.ResultsTable.getResultsTable().size());
        ImagePlus low = (ImagePlus) sr.getOutput("CT_small-measured");
        assertEquals(ct.getWidth() / 2, low.getWidth());
        assertEquals(2 * ct.getCalibration().pixelWidth, low.getCalibration().pixelWidth, 1e-12);

        // as a run does: TV is told the noise it reads in the low-resolution CT (real noise), not the simulated 0
        Ran asRun = run(EvaluateCommand.class, "input", ct, "task", "sr", "psf", "", "sigma", "", "scale", "2",
                "missing", "0.5", "acceleration", "4", "seed", "0", "methods", "bicubic,tv", "images", false,
                "estimateSigma", true);
        assertFalse(asRun.isCanceled(), asRun.getCancelReason());
        ij.measure.ResultsTable told = ij.measure.ResultsTable.getResultsTable();
        assertEquals(0, told.getValue("sigma", 0), "the baseline keeps the simulated sigma");
        assertTrue(told.getValue("sigma", 1) > 0, "tv told " + told.getValue("sigma", 1));

        Ran bad = run(EvaluateCommand.class, "input", ct, "task", "denoise", "psf", "", "sigma", "", "scale", "2",
                "missing", "0.5", "acceleration", "4", "seed", "0", "methods", "tv,zero-filled", "images", false);
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("does not apply to task denoise"), bad.getCancelReason());
    }

    @Test
    void deblurKeepsChannelsAndSlicesOfAHyperstack() throws Exception {
        int w = 48;
        int h = 40;
        ij.ImageStack stack = new ij.ImageStack(w, h);
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 2 * 3; i++) {
            float[] px = new float[w * h];
            for (int p = 0; p < px.length; p++) {
                px[p] = (p % w > w / 2 ? 100 : 0) + 10 * i + (float) random.nextGaussian();
            }
            stack.addSlice(new ij.process.FloatProcessor(w, h, px));
        }
        ImagePlus hyper = new ImagePlus("cells.tif", stack);
        hyper.setDimensions(2, 3, 1);
        hyper.setOpenAsHyperStack(true);
        Ran m = run(DeblurCommand.class, "input", hyper, "psf", "box:3", "sigma", "1", "method", "tikhonov");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals("cells-deblurred", out.getTitle());
        assertEquals(2, out.getNChannels());
        assertEquals(3, out.getNSlices());
        // each plane stays at its own level: channel 2 of slice 3 is the 6th plane (10 * 5 above the first)
        float[] last = (float[]) out.getStack().getProcessor(out.getStackIndex(2, 3, 1)).getPixels();
        assertEquals(50 + 50, mean(last), 5);
    }

    private static double psnr(float[] truth, float[] estimate, double range) {
        double se = 0;
        for (int i = 0; i < truth.length; i++) {
            se += (truth[i] - estimate[i]) * (double) (truth[i] - estimate[i]);
        }
        return 10 * Math.log10(range * range / (se / truth.length));
    }

    @Test
    void escapeOrCancelStopsTheReconstruction() {
        DenoiseCommand command = new DenoiseCommand();
        CommandProgress progress = new CommandProgress(null, command);
        assertFalse(progress.isCancelled());
        ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
        assertTrue(progress.isCancelled(), "Esc cancels");
        ij.IJ.resetEscape();
        command.cancel("user");
        assertTrue(progress.isCancelled(), "Cancelable.cancel cancels");
    }

    private static double roughness(float[] p) {
        double s = 0;
        for (int i = 1; i < p.length; i++) {
            s += Math.abs(p[i] - p[i - 1]);
        }
        return s / (p.length - 1);
    }

    private static double mean(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s / p.length;
    }

    private static float min(float[] p) {
        float m = Float.MAX_VALUE;
        for (float v : p) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static float max(float[] p) {
        float m = -Float.MAX_VALUE;
        for (float v : p) {
            m = Math.max(m, v);
        }
        return m;
    }
}
