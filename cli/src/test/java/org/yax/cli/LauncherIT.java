package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./yax launcher as users and scripts call it (runs after packaging, against the built jar). */
class LauncherIT {
    @TempDir
    Path tmp;

    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            Path.of("").toAbsolutePath().getParent().toString()));

    record Result(int exit, String stdout, String stderr) { }

    private Result yax(String javaOpts, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("yax").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_OPTS", javaOpts);
        pb.redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("yax timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    @Test
    void reconstructsThroughTheLauncherAndHonoursJavaOpts() throws Exception {
        Path out = tmp.resolve("out");
        Result r = yax("-Dyax.launcher.check=passed -XshowSettings:properties", "reconstruct",
                SampleData.archive("dicom/CT_small.dcm").toString(), tmp.resolve("missing.tif").toString(),
                "-o", out.toString(), "--report", tmp.resolve("r.json").toString());
        assertEquals(Yax.EXIT_PARTIAL, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("yax.launcher.check = passed"), "JAVA_OPTS not passed to the JVM");
        assertTrue(r.stderr().contains("missing.tif: no such file or folder"), r.stderr());
        assertTrue(Files.isRegularFile(out.resolve("CT_small.dcm")), r.stderr());
        assertTrue(!r.stderr().contains("Exception"), "no stack traces or exception names: " + r.stderr());
        // auto ran what the shipped card promises for denoising: a build whose engine fails to load falls back to
        // TV with a note, and fails here
        org.yax.core.task.Method promised = org.yax.models.ModelRegistry.card(org.yax.models.ModelRegistry.DEFAULT_MODEL)
                .autoMethod(org.yax.core.task.Task.DENOISE, 1);
        String expected = promised == null ? "tv" : promised.cliName();
        com.google.gson.JsonObject ct = null;
        for (com.google.gson.JsonElement e : com.google.gson.JsonParser.parseString(Files.readString(tmp.resolve("r.json")))
                .getAsJsonObject().getAsJsonArray("items")) {
            if (e.getAsJsonObject().get("input").getAsString().endsWith("CT_small.dcm")) {
                ct = e.getAsJsonObject();
            }
        }
        assertTrue(ct != null && ct.has("method"), "no CT_small item with a method in the report");
        assertEquals(expected, ct.get("method").getAsString(), "method auto used: " + ct);
    }

    @Test
    void exitCodesTellUsageFromSuccess() throws Exception {
        assertEquals(Yax.EXIT_USAGE, yax("", "reconstruct", "--task", "sr").exit());
        Result help = yax("", "reconstruct", "--help");
        assertEquals(Yax.EXIT_OK, help.exit());
        assertTrue(help.stdout().contains("--sigma"), help.stdout());
        Result version = yax("", "--version");
        assertEquals(Yax.EXIT_OK, version.exit());
        assertTrue(version.stdout().startsWith("yax "), version.stdout());
    }
}
