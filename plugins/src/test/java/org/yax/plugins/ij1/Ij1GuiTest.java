package org.yax.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.plugins.TestSupport;

/**
 * ImageJ 1 with its GUI under Xvfb: the Plugins > yax commands are installed from the '_' jar, the Denoise dialog
 * opens on a CT image as from the menu, is filled in with xdotool, and the macro Recorder records the call.
 * Leaves the screenshot in target/gui/fiji-denoise-dialog.png (docs/images/ has a copy for the README).
 */
class Ij1GuiTest {
    private static final long TIMEOUT_SECONDS = 300;
    private static final List<String> COMMANDS = List.of("Denoise", "Super-resolve", "Inpaint", "Deblur",
            "Reconstruct (advanced)", "Evaluate", "Batch reconstruct",
            "Open DICOM...", "Save as DICOM...", "Open georeferenced raster...", "Save as GeoTIFF...");

    @TempDir
    Path tmp;

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDenoiseDialogOpensFromTheMenuAndTheRecorderRecordsIt() throws Exception {
        for (String tool : List.of("Xvfb", "xvfb-run", "xdotool", "import")) {
            assertTrue(onPath(tool), tool + " is missing: run scripts/setup.sh (xvfb, xdotool, imagemagick)");
        }
        Ij1Layout ij = Ij1Layout.create(tmp);
        Path ct = TestSupport.sample("archive/dicom/CT_small.dcm");
        Path out = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "gui"));
        Files.deleteIfExists(out.resolve("recorded.txt"));
        Files.deleteIfExists(out.resolve("fiji-denoise-dialog.png"));
        StringBuilder listCommands = new StringBuilder("List.setCommands;\ns = \"\";\n");
        for (String c : COMMANDS) {
            listCommands.append("s = s + \"").append(c).append("=\" + List.get(\"").append(c).append("\") + \"\\n\";\n");
        }
        Path macro = tmp.resolve("startup.ijm");
        Files.writeString(macro, listCommands + """
                File.saveString(s, "%1$s/commands.txt");
                run("Record...");
                run("Open DICOM...", "path=[%2$s]");
                run("In [+]");
                setLocation(0, 100);
                doCommand("Denoise"); // its own thread, as when chosen from the menu: recorded like a user's click
                t = 0;
                while (!isOpen("CT_small-denoised") && t < 120000) { wait(200); t += 200; }
                wait(1000);
                selectWindow("Recorder");
                File.saveString(getInfo("window.contents"), "%1$s/recorded.txt");
                """.formatted(out, ct));
        Path script = Path.of(System.getProperty("basedir", "."), "src/test/resources/ij1-gui/scenario.sh");
        Map<String, String> env = Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "CLASSPATH_IJ", ij.classPath(), "IJ_DIR", ij.ijDir().toString(), "IJ_HOME", ij.home().toString(),
                "MACRO", macro.toString(), "OUT", out.toString());
        TestSupport.Run r = TestSupport.run(TIMEOUT_SECONDS, env, List.of("xvfb-run", "-a", "-s",
                "-screen 0 1024x768x24", "bash", script.toString()));
        String log = Files.exists(out.resolve("imagej.log")) ? Files.readString(out.resolve("imagej.log")) : "";
        assertEquals(0, r.exitCode(), r.out() + "\nImageJ:\n" + log);

        String commands = Files.readString(out.resolve("commands.txt"));
        for (String c : COMMANDS) {
            assertTrue(commands.contains(c + "=org.yax.plugins.ij1."), c + " is not an installed command:\n" + commands);
        }
        String recorded = Files.readString(out.resolve("recorded.txt"));
        assertTrue(recorded.contains("run(\"Denoise\", \"sigma=25 method=auto\");"), "Recorder:\n" + recorded);
        Path png = out.resolve("fiji-denoise-dialog.png");
        TestSupport.Run size = TestSupport.run("identify", "-format", "%w %h", png.toString());
        assertEquals("940 620", size.out().trim(), size.out());
    }
}
