package org.yax.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    private Path ijDir;
    private String classPath;
    private String agent;

    @BeforeEach
    void layOutImageJ() throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        Path ij1Jar;
        try (Stream<Path> s = Files.list(target)) {
            ij1Jar = s.filter(p -> p.getFileName().toString().matches("yax_plugins-.*-ij1\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no yax_plugins-*-ij1.jar in " + target
                            + " (built at process-classes)"));
        }
        ijDir = Files.createDirectories(tmp.resolve("ImageJ"));
        Files.createDirectories(ijDir.resolve("plugins"));
        Path installed = Files.copy(ij1Jar, ijDir.resolve("plugins").resolve(ij1Jar.getFileName()));
        // shared code as the main yax-plugins jar has it: without the ImageJ 1 classes and plugins.config
        Path shared = copyWithout(target.resolve("classes"), tmp.resolve("yax-plugins-classes"));
        List<String> cp = new ArrayList<>(List.of(shared.toString(), installed.toString()));
        for (String entry : System.getProperty("surefire.test.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!p.toAbsolutePath().startsWith(target.toAbsolutePath())) { // this module's own classes are above
                cp.add(entry);
            }
            if (p.getFileName().toString().startsWith("ij1-patcher")) {
                agent = entry;
            }
        }
        assertTrue(agent != null, "ij1-patcher jar not on the test classpath");
        classPath = String.join(File.pathSeparator, cp);
    }

    private static Path copyWithout(Path classes, Path into) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (rel.startsWith("org/yax/plugins/ij1") || rel.equals("plugins.config")) {
                    continue;
                }
                Path to = into.resolve(rel);
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return into;
    }

    private TestSupport.Run runMacro(String macro) throws Exception {
        Path file = tmp.resolve("test.ijm");
        Files.writeString(file, macro);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> cmd = List.of(java, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-Duser.home=" + home, "-Djava.library.path=/usr/lib/jni", "-Dai.djl.offline=true", "-Xmx1g",
                "-javaagent:" + agent + "=init", "-cp", classPath, "ij.ImageJ", "-ijpath", ijDir.toString(), "-port0",
                "-batch", file.toString());
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
    void aFailingCommandStopsTheMacroAndSaysWhy() throws Exception {
        Path missing = tmp.resolve("no-such.dcm");
        TestSupport.Run r = runMacro("""
                run("Open DICOM...", "path=[%s]");
                print("%s");
                """.formatted(quote(missing), SENTINEL));
        assertFalse(r.out().contains(SENTINEL), "the macro went on after a failed command:\n" + r.out());
        assertTrue(r.out().contains(missing + ": no such file"), r.out());
    }
}
