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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
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

    private static CommandModule run(Class<? extends Command> command, Object... inputs) throws Exception {
        return commands.run(command, true, inputs).get(240, TimeUnit.SECONDS);
    }

    private static ImagePlus openCt() throws Exception {
        CommandModule m = run(OpenDicomCommand.class, "path", TestSupport.sample("archive/dicom/CT_small.dcm").toFile());
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
        CommandModule m = run(DenoiseCommand.class, "input", in, "sigma", "auto", "method", "tv");
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
        // smoother: less pixel-to-pixel variation, same mean level
        assertTrue(roughness(after) < 0.9 * roughness(before), roughness(after) + " vs " + roughness(before));
        assertEquals(mean(before), mean(after), 0.02 * (max(before) - min(before)));
        assertTrue(out.getInfoProperty().contains("yax: yax "), "provenance in Info");
        assertTrue(SourceProperties.derivation(out).describe().contains("method=tv"));
    }

    @Test
    void saveAsDicomWritesADerivedInstanceInTheSameStudyAndANewSeries() throws Exception {
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        ImagePlus denoised = (ImagePlus) run(DenoiseCommand.class, "input", openCt(), "sigma", "20", "method",
                "tikhonov").getOutput("output");
        Path target = tmp.resolve("CT_small-denoised.dcm");
        CommandModule save = run(SaveDicomCommand.class, "input", denoised, "path", target.toFile());
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
    void superResolveHalvesThePixelSizeInImageJAndInTheSavedDicom() throws Exception {
        ImagePlus in = openCt();
        CommandModule m = run(SuperResolveCommand.class, "input", in, "scale", "2", "sigma", "auto", "method", "auto");
        assertFalse(m.isCanceled(), m.getCancelReason());
        ImagePlus out = (ImagePlus) m.getOutput("output");
        assertEquals("CT_small-superresolved", out.getTitle());
        assertEquals(2 * in.getWidth(), out.getWidth());
        assertEquals(in.getCalibration().pixelWidth / 2, out.getCalibration().pixelWidth, 1e-12);
        Path target = tmp.resolve("sr.dcm");
        CommandModule save = run(SaveDicomCommand.class, "input", out, "path", target.toFile());
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
        CommandModule open = run(OpenRasterCommand.class, "path", tif.toFile());
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

        CommandModule denoise = run(DenoiseCommand.class, "input", imp, "sigma", "5", "method", "tikhonov");
        assertFalse(denoise.isCanceled(), denoise.getCancelReason());
        ImagePlus out = (ImagePlus) denoise.getOutput("output");
        assertEquals(imp.getNChannels(), out.getNChannels());
        Path target = tmp.resolve("L7_ETMs-denoised.tif");
        CommandModule save = run(SaveGeoTiffCommand.class, "input", out, "path", target.toFile());
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
    void batchReconstructWritesEveryReadableFileAndSkipsTheRest() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(TestSupport.sample("archive/dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Files.copy(TestSupport.sample("archive/dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Path out = tmp.resolve("out");
        CommandModule m = run(BatchReconstructCommand.class, "input", in.toFile(), "output", out.toFile(),
                "task", "denoise", "scale", "2", "sigma", "auto", "method", "tikhonov");
        assertFalse(m.isCanceled(), m.getCancelReason());
        String report = (String) m.getOutput("report");
        assertTrue(Files.isRegularFile(out.resolve("CT_small.dcm")), report);
        assertTrue(Files.isRegularFile(out.resolve("MR_small.dcm")), report);
        assertTrue(report.contains("skipped " + in.resolve("notes.txt")), report);
        assertEquals(0, TestSupport.run("dcmdump", "-q", out.resolve("MR_small.dcm").toString()).exitCode());

        CommandModule same = run(BatchReconstructCommand.class, "input", in.toFile(), "output", in.toFile(),
                "task", "denoise", "scale", "2", "sigma", "auto", "method", "auto");
        assertTrue(same.isCanceled());
        assertTrue(same.getCancelReason().contains("inputs are never overwritten"), same.getCancelReason());
    }

    @Test
    void badInputCancelsWithAReasonThatNamesTheProblem() throws Exception {
        CommandModule sigma = run(DenoiseCommand.class, "input", openCt(), "sigma", "abc", "method", "tv");
        assertTrue(sigma.isCanceled());
        assertTrue(sigma.getCancelReason().contains("sigma must be 'auto' or a number"), sigma.getCancelReason());
        assertNull(sigma.getOutput("output"));

        Path missing = tmp.resolve("missing.dcm");
        CommandModule open = run(OpenDicomCommand.class, "path", missing.toFile());
        assertTrue(open.isCanceled());
        assertEquals(missing + ": no such file", open.getCancelReason());

        CommandModule dicomAsRaster = run(OpenRasterCommand.class, "path",
                TestSupport.sample("archive/dicom/CT_small.dcm").toFile());
        assertTrue(dicomAsRaster.getCancelReason().contains("Open DICOM..."), dicomAsRaster.getCancelReason());

        ImagePlus plain = new ImagePlus("plain", new ij.process.FloatProcessor(8, 8));
        CommandModule save = run(SaveDicomCommand.class, "input", plain, "path", tmp.resolve("x.dcm").toFile());
        assertTrue(save.isCanceled());
        assertTrue(save.getCancelReason().contains("has no DICOM source"), save.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("x.dcm")));

        ImagePlus ct = openCt();
        CommandModule overwrite = run(SaveDicomCommand.class, "input", ct, "path",
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
        assertEquals(new java.util.TreeSet<>(java.util.List.of("Denoise", "Super-resolve", "Inpaint",
                "Batch reconstruct", "Open DICOM...", "Save as DICOM...", "Open georeferenced raster...",
                "Save as GeoTIFF...")), leaves);
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
