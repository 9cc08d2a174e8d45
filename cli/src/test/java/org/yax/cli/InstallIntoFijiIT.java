package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plugins/install-into-fiji.sh against folders laid out like Fiji.app and like plain ImageJ 1 (runs after
 * packaging: it installs from cli/target/lib), then the installed folders are used as ImageJ would use them.
 */
class InstallIntoFijiIT {
    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            Path.of("").toAbsolutePath().getParent().toString()));
    private static final Path LIB = ROOT.resolve("cli/target/lib");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path tmp;

    record Result(int exit, String out) { }

    private Result run(List<String> command) throws Exception {
        Path log = tmp.resolve("run.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private Result install(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("plugins/install-into-fiji.sh").toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Path lib(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(LIB)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError(prefix + "* not in " + LIB + " (package first)"));
        }
    }

    private static Map<String, List<String>> jarsByName(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.groupingBy(n -> n.replaceFirst("-[0-9].*$", "").replaceFirst("\\.jar$", "")));
        }
    }

    @Test
    void installsIntoFijiWithoutDuplicatingWhatFijiHas() throws Exception {
        Path fiji = tmp.resolve("Fiji.app");
        Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        Files.createDirectories(fiji.resolve("lib/linux64"));
        Files.copy(lib("ij-1.54p"), fiji.resolve("jars/ij-1.54p.jar"));
        Path scijava = Path.of(System.getProperty("user.home"), ".m2/repository/org/scijava/scijava-common/2.100.1/"
                + "scijava-common-2.100.1.jar");
        assertTrue(Files.isRegularFile(scijava), scijava + " missing (mvn dependency resolution of plugins)");
        Files.copy(scijava, fiji.resolve("jars").resolve(scijava.getFileName()));

        Result r = install(fiji.toString());
        assertEquals(0, r.exit(), r.out());
        Result again = install(fiji.toString()); // a second install changes nothing
        assertEquals(0, again.exit(), again.out());

        Map<String, List<String>> jars = jarsByName(fiji.resolve("jars"));
        jars.forEach((name, versions) -> assertEquals(1, versions.size(), "two versions of " + name + ": " + versions));
        assertEquals(List.of("ij-1.54p.jar"), jars.get("ij"));
        assertTrue(jars.containsKey("yax-plugins") && jars.containsKey("yax-core") && jars.containsKey("pixelmed")
                && jars.containsKey("gdal"), jars.keySet().toString());
        assertFalse(jars.containsKey("ij1-patcher") || jars.containsKey("picocli") || jars.containsKey("slf4j-simple"),
                jars.keySet().toString());
        try (Stream<Path> s = Files.list(fiji.resolve("plugins"))) {
            assertEquals(0, s.count(), "no ImageJ 1 '_' jar in Fiji: its commands clash with the SciJava ones");
        }
        assertTrue(Files.isRegularFile(fiji.resolve("lib/linux64/libgdalalljni.so")));

        // Fiji's plugin index finds the commands with jars/ alone; DICOM (PixelMed) and GDAL (native from lib/linux64) read.
        Path check = ROOT.resolve("cli/src/test/resources/fiji-check/FijiJarsCheck.java");
        Result c = run(List.of(JAVA, "-Djava.awt.headless=true", "-Duser.home=" + tmp.resolve("home"),
                "-Djava.library.path=" + fiji.resolve("lib/linux64"), "-cp", fiji.resolve("jars") + File.separator + "*",
                check.toString(), SampleData.archive("dicom/CT_small.dcm").toString(),
                SampleData.archive("raster/L7_ETMs.tif").toString()));
        assertEquals(0, c.exit(), c.out());
        for (String command : List.of("Denoise", "Super-resolve", "Inpaint", "Deblur", "Reconstruct (advanced)",
                "Evaluate", "Batch reconstruct", "Open DICOM...",
                "Save as DICOM...", "Open georeferenced raster...", "Save as GeoTIFF...")) {
            assertTrue(c.out().contains("command [Plugins > yax > " + command + "]"), command + ":\n" + c.out());
        }
        assertTrue(c.out().contains("read CT_small.dcm 1x128x128"), c.out());
        assertTrue(c.out().contains("read L7_ETMs.tif 6x352x349"), c.out());
    }

    @Test
    void installsIntoPlainImageJ1AndAMacroThereRunsTheCommands() throws Exception {
        Path ij = tmp.resolve("ImageJ");
        Files.createDirectories(ij.resolve("plugins"));
        Files.copy(lib("ij-1.54p"), ij.resolve("ij.jar"));
        assertEquals(1, install(ij.toString()).exit(), "without --imagej1 a folder with no jars/ is refused");
        Result r = install("--imagej1", ij.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.isRegularFile(ij.resolve("plugins/yax_plugins.jar")), r.out());
        assertTrue(Files.isRegularFile(ij.resolve("lib/linux64/libgdalalljni.so")), r.out());
        Map<String, List<String>> jars = jarsByName(ij.resolve("plugins/jars"));
        assertFalse(jars.containsKey("ij"), "ImageJ 1 has ij.jar already: " + jars.keySet());

        // Headless ImageJ 1 needs ij1-patcher (not part of an ImageJ install); everything else comes from the folder.
        List<String> cp = new ArrayList<>(List.of(ij.resolve("ij.jar").toString(), lib("ij1-patcher").toString(),
                lib("javassist").toString(), lib("classgraph").toString(), ij.resolve("plugins/yax_plugins.jar").toString()));
        try (Stream<Path> s = Files.list(ij.resolve("plugins/jars"))) {
            s.forEach(p -> cp.add(p.toString()));
        }
        Path out = tmp.resolve("L7-denoised.tif");
        Path macro = tmp.resolve("m.ijm");
        Files.writeString(macro, """
                run("Open georeferenced raster...", "path=[%s]");
                run("Denoise", "sigma=auto method=tikhonov");
                print("result " + getTitle() + " " + nSlices);
                run("Save as GeoTIFF...", "path=[%s]");
                run("Deblur", "psf=gaussian:1 sigma=auto method=tikhonov");
                print("deblurred " + getTitle());
                print("MACRO-END");
                """.formatted(SampleData.archive("raster/L7_ETMs.tif"), out));
        Result m = run(List.of(JAVA, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-Duser.home=" + tmp.resolve("home"), "-Djava.library.path=" + ij.resolve("lib/linux64"),
                "-Dai.djl.offline=true", "-javaagent:" + lib("ij1-patcher") + "=init",
                "-cp", String.join(File.pathSeparator, cp), "ij.ImageJ", "-ijpath", ij.toString(), "-port0",
                "-batch", macro.toString()));
        assertTrue(m.out().contains("MACRO-END"), m.out());
        assertTrue(m.out().contains("result L7_ETMs-denoised"), m.out());
        assertTrue(m.out().contains("deblurred L7_ETMs-denoised-deblurred"), m.out());
        SampleData.Run info = SampleData.run("gdalinfo", out.toString());
        assertEquals(0, info.exitCode(), info.out());
        assertTrue(info.out().contains("Band 6"), info.out());
    }
}
