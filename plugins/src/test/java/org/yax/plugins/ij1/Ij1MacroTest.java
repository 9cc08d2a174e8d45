package org.yax.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.plugins.TestSupport;

/**
 * Plain ImageJ 1 (no Fiji, no SciJava) running a macro headless through ij1-patcher, with the built
 * '_' jar in its plugins folder: the menu commands and macro keys work as users will call them.
 */
class Ij1MacroTest {
    private static final String SENTINEL = "YAX-MACRO-FINISHED";
    private static final long TIMEOUT_SECONDS = 240;

    @TempDir
    Path tmp;

    private Ij1Layout ij;

    @BeforeEach
    void layOutImageJ() throws IOException {
        ij = Ij1Layout.create(tmp);
    }

    private TestSupport.Run runMacro(String macro) throws Exception {
        Path file = tmp.resolve("test.ijm");
        Files.writeString(file, macro);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-Duser.home=" + ij.home(), "-Djava.library.path=/usr/lib/jni", "-Dai.djl.offline=true", "-Xmx1g",
                "-javaagent:" + ij.patcherJar() + "=init", "-cp", ij.classPath(), "ij.ImageJ",
                "-ijpath", ij.ijDir().toString(), "-port0", "-batch", file.toString());
        return TestSupport.run(TIMEOUT_SECONDS, Map.of("DJL_OFFLINE", "true"), cmd);
    }

    private static String quote(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void openDenoiseSaveThroughTheMenuCommandsAndMacroKeys() throws Exception {
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        Path out = tmp.resolve("out").resolve("CT_small-denoised.dcm");
        TestSupport.Run r = runMacro("""
                run("Open DICOM...", "path=[%s]");
                print("opened " + getTitle() + " " + getWidth() + "x" + getHeight() + " unit=" + getInfo("micrometer.abbreviation"));
                getPixelSize(unit, pw, ph);
                print("pixel " + unit + " " + pw);
                run("Denoise", "sigma=auto method=tv");
                print("result " + getTitle() + " " + bitDepth());
                run("Save as DICOM...", "path=[%s]");
                print("%s");
                """.formatted(quote(ct), quote(out), SENTINEL));
        assertTrue(r.out().contains(SENTINEL), "macro did not finish:\n" + r.out());
        assertTrue(r.out().contains("opened CT_small.dcm 128x128"), r.out());
        assertTrue(r.out().contains("pixel mm 0.66"), r.out());
        assertTrue(r.out().contains("result CT_small-denoised 32"), r.out());
        assertEquals(0, TestSupport.run("dcmdump", "-q", out.toString()).exitCode(), "dcmdump");
        String py = TestSupport.python("""
                import sys, pydicom
                s = pydicom.dcmread(sys.argv[1]); d = pydicom.dcmread(sys.argv[2])
                print(s.StudyInstanceUID == d.StudyInstanceUID, s.SeriesInstanceUID != d.SeriesInstanceUID,
                      'tv' in str(d.DerivationDescription))
                """, ct.toString(), out.toString());
        assertEquals("True True True", py);
    }

    @Test
    void deblurAdvancedAndEvaluateReplayTheirRecordedLines() throws Exception {
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        Path out = tmp.resolve("CT_small-deblurred.dcm");
        // the lines as ImageJ's Recorder writes them for these dialogs (keys: first word of each label)
        TestSupport.Run r = runMacro("""
                run("Open DICOM...", "path=[%s]");
                run("Deblur", "psf=gaussian:1.5 sigma=auto method=tikhonov");
                print("deblurred " + getTitle() + " " + getWidth() + "x" + getHeight());
                run("Save as DICOM...", "path=[%s]");
                selectImage("CT_small.dcm");
                run("Reconstruct (advanced)", "task=sr scale=2 psf=gaussian:1.5 sigma=auto method=tikhonov");
                print("advanced " + getTitle() + " " + getWidth() + "x" + getHeight());
                selectImage("CT_small.dcm");
                run("Reconstruct (advanced)", "task=denoise scale=2 psf=gaussian:1.5 sigma=auto method=network model=yax-mt-small adapt=2");
                print("learned " + getTitle() + " " + getWidth() + "x" + getHeight() + " " + (indexOf(getInfo("image.subtitle") + getMetadata("Info"), "model=yax-mt-small") >= 0));
                selectImage("CT_small.dcm");
                run("Evaluate", "task=deblur psf=gaussian:1.5 sigma=1%% scale=2 missing=0.50 acceleration=4 seed=0 methods=[blurred,tikhonov] images");
                for (i = 0; i < nResults; i++)
                    print("row " + getResultString("method", i) + " " + d2s(getResult("PSNR", i), 2) + " " + d2s(getResult("SSIM", i), 4));
                print("images " + isOpen("CT_small-measured") + " " + isOpen("CT_small-tikhonov"));
                print("%s");
                """.formatted(quote(ct), quote(out), SENTINEL));
        assertTrue(r.out().contains(SENTINEL), "macro did not finish:\n" + r.out());
        assertTrue(r.out().contains("deblurred CT_small-deblurred 128x128"), r.out());
        assertTrue(r.out().contains("advanced CT_small-superresolved 256x256"), r.out());
        assertTrue(r.out().contains("learned CT_small-denoised 128x128 1"), r.out());
        assertTrue(r.out().contains("images 1 1"), r.out());
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("row (\\S+) ([0-9.]+) ([0-9.]+)").matcher(r.out());
        List<String> methods = new java.util.ArrayList<>();
        List<Double> psnr = new java.util.ArrayList<>();
        while (rows.find()) {
            methods.add(rows.group(1));
            psnr.add(Double.parseDouble(rows.group(2)));
        }
        assertEquals(List.of("blurred", "tikhonov"), methods, r.out());
        assertTrue(psnr.get(1) > psnr.get(0), r.out());
        String py = TestSupport.python("""
                import sys, pydicom
                d = pydicom.dcmread(sys.argv[1]); print(d.Rows, 'psf=gaussian:1.5' in str(d.DerivationDescription))
                """, out.toString());
        assertEquals("128 True", py);
    }

    @Test
    void batchReconstructFromAMacroRunsTheBatchEngine() throws Exception {
        Path in = java.nio.file.Files.createDirectories(tmp.resolve("batch-in/sub"));
        java.nio.file.Files.copy(TestSupport.sample("archive/dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Path out = tmp.resolve("batch-out");
        Path report = tmp.resolve("batch-report.csv");
        // the keys as ImageJ 1's dialog names them (first word of each label)
        TestSupport.Run r = runMacro("""
                run("Batch reconstruct", "input=[%s] output=[%s] task=denoise scale=2 psf=gaussian:1.5 sigma=auto method=tv model=yax-mt-small adaptation=0 reportfile=[%s]");
                print("%s");
                """.formatted(quote(in.getParent()), quote(out), quote(report), SENTINEL));
        assertTrue(r.out().contains(SENTINEL), "macro did not finish:\n" + r.out());
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("sub/CT_small.dcm")), "sub-folders walked:\n" + r.out());
        String csv = java.nio.file.Files.readString(report);
        assertTrue(csv.startsWith("input,output,format,status,reason,task,method"), csv);
        assertTrue(csv.contains(",done,") && csv.contains(",tv,"), csv);
        String page = java.nio.file.Files.readString(tmp.resolve("batch-report.html"));
        assertTrue(page.contains("src=\"data:image/png;base64,"), "the HTML page beside the CSV report");
    }

    @Test
    void aFailingCommandStopsTheMacroAndSaysWhy() throws Exception {
        Path missing = tmp.resolve("no-such.dcm");
        TestSupport.Run r = runMacro("""
                run("Open DICOM...", "path=[%s]");
                print("%s");
                """.formatted(quote(missing), SENTINEL));
        assertFalse(r.out().contains(SENTINEL), "the macro went on after a failed command:\n" + r.out());
        assertTrue(r.out().contains(missing + ": no such file"), r.out());

        TestSupport.Run psf = runMacro("""
                newImage("flat", "32-bit ramp", 64, 64, 1);
                run("Deblur", "psf=disk:3 sigma=auto method=auto");
                print("%s");
                """.formatted(SENTINEL));
        assertFalse(psf.out().contains(SENTINEL), "the macro went on after a bad psf:\n" + psf.out());
        assertTrue(psf.out().contains("psf 'disk:3' is not"), psf.out());
    }

    @Test
    void axesRefineAStackWithAVoxelDepthThroughThePlane() throws Exception {
        // the lines as the Recorder writes them: key "axes" (the label's first word)
        TestSupport.Run r = runMacro("""
                newImage("stack", "32-bit ramp", 48, 40, 6);
                setVoxelSize(0.5, 0.5, 3, "mm");
                run("Super-resolve", "scale=3 sigma=auto method=cubic axes=z");
                getVoxelSize(vw, vh, vd, unit);
                print("z " + getTitle() + " " + getWidth() + "x" + getHeight() + "x" + nSlices + " depth " + d2s(vd, 3) + " " + unit);
                selectImage("stack");
                run("Reconstruct (advanced)", "task=sr scale=2 psf=gaussian:1.5 sigma=auto method=tv model=none adapt=0 axes=xyz");
                getVoxelSize(vw, vh, vd, unit);
                print("xyz " + getWidth() + "x" + getHeight() + "x" + nSlices + " " + d2s(vw, 3) + " " + d2s(vd, 3) + " " + (indexOf(getMetadata("Info"), "axes=xyz") >= 0));
                print("%s");
                """.formatted(SENTINEL));
        assertTrue(r.out().contains(SENTINEL), "macro did not finish:\n" + r.out());
        assertTrue(r.out().contains("z stack-superresolved 48x40x18 depth 1.000 mm"), r.out());
        assertTrue(r.out().contains("xyz 96x80x12 0.250 1.500 1"), r.out());

        TestSupport.Run flat = runMacro("""
                newImage("flat", "32-bit ramp", 48, 40, 1);
                run("Super-resolve", "scale=2 sigma=auto method=cubic axes=z");
                print("%s");
                """.formatted(SENTINEL));
        assertFalse(flat.out().contains(SENTINEL), "the macro went on after a single slice:\n" + flat.out());
        assertTrue(flat.out().contains("a single slice has no through-plane direction"), flat.out());
    }
}
