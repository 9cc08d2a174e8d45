package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ./yax launcher killed mid-batch: SIGKILL leaves no partial file under a final name and --resume
 * finishes the rest; SIGINT stops cleanly with a report, no temp files and exit code 130.
 */
class SignalsIT {
    @TempDir
    Path tmp;

    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            Path.of("").toAbsolutePath().getParent().toString()));

    /** 5 real items (24 files): the generated 20-slice CT series, two real DICOMs and two GeoTIFFs. */
    private Path archive() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path src = SampleData.root().resolve("archive");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".dcm") || n.endsWith(".tif")) {
                    Path target = in.resolve(src.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        return in;
    }

    private Process start(Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("yax").toString(), "reconstruct"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stderr.toFile());
        pb.environment().put("JAVA_OPTS", "-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
        return pb.start();
    }

    private static void waitForLine(Path log, String text, Process p, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && p.isAlive()) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never printed '" + text + "': " + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int finish(Process p, int seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("yax did not finish in " + seconds + " s");
        }
        return p.exitValue();
    }

    /** Every file under a final name reads completely with a validator nobody here wrote. */
    private static int assertOutputsComplete(Path out) throws Exception {
        int complete = 0;
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(".yax-tmp-")) {
                    continue; // a killed writer's temp file: never under a final name, ignored by discovery
                }
                if (n.equals(".yax-manifest.json")) {
                    JsonParser.parseString(Files.readString(f)); // written atomically: always whole JSON
                    continue;
                }
                SampleData.Run check = n.endsWith(".dcm")
                        ? SampleData.python("import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); "
                            + "print(d.pixel_array.size == d.Rows * d.Columns * int(getattr(d, 'NumberOfFrames', 1)) "
                            + "* d.SamplesPerPixel)", f.toString())
                        : SampleData.python("import sys\nfrom osgeo import gdal\ngdal.UseExceptions()\n"
                            + "d = gdal.Open(sys.argv[1])\n"
                            + "print(all(d.GetRasterBand(i + 1).ReadAsArray() is not None "
                            + "for i in range(d.RasterCount)))", f.toString());
                assertEquals("True", check.out().strip(), "partial or unreadable output " + f + ": " + check.out());
                complete++;
            }
        }
        return complete;
    }

    @Test
    @Timeout(900)
    void sigkillLeavesNoPartialOutputAndResumeFinishesTheRest() throws Exception {
        Path in = archive();
        Map<Path, String> before = HostileArchiveTest.checksums(in);
        Path out = tmp.resolve("out");
        Path log = tmp.resolve("kill.log");
        Process p = start(log, in.toString(), "-o", out.toString());
        try {
            waitForLine(log, "[1/", p, 240);
            Thread.sleep(new Random().nextInt(3000));
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "not killed");
        } finally {
            p.destroyForcibly();
        }
        assertOutputsComplete(out);
        Path manifest = out.resolve(".yax-manifest.json");
        // outputs recorded (the manifest's ".run" entry is the run's id, not an output)
        int recordedAfterKill = Files.isRegularFile(manifest)
                ? (int) JsonParser.parseString(Files.readString(manifest)).getAsJsonObject().keySet().stream()
                        .filter(k -> !k.startsWith(".")).count() : 0;

        Path report = tmp.resolve("resume.json");
        Process again = start(tmp.resolve("resume.log"), in.toString(), "-o", out.toString(), "--resume",
                "--report", report.toString());
        int exit;
        try {
            exit = finish(again, 600);
        } finally {
            again.destroyForcibly();
        }
        String resumeLog = Files.readString(tmp.resolve("resume.log"));
        assertEquals(Yax.EXIT_OK, exit, resumeLog);
        JsonObject summary = JsonParser.parseString(Files.readString(report)).getAsJsonObject()
                .getAsJsonObject("summary");
        int items = summary.get("done").getAsInt() + summary.get("skipped").getAsInt();
        long files = before.values().stream().filter(v -> !v.equals("folder")).count();
        long slices = before.keySet().stream().filter(f -> f.toString().contains("phantom-ct/")).count();
        assertEquals(files - slices + 1, items, "the CT series is one item: " + resumeLog);
        // what the killed run finished and recorded is skipped, not redone
        assertTrue(summary.get("skipped").getAsInt() >= recordedAfterKill, resumeLog);
        assertEquals(files, assertOutputsComplete(out), resumeLog);
        assertEquals(before, HostileArchiveTest.checksums(in), "inputs must be byte-identical");
    }

    @Test
    @Timeout(600)
    void sigintStopsCleanlyWritesTheReportAndExits130() throws Exception {
        Path in = archive();
        Path out = tmp.resolve("out");
        Path log = tmp.resolve("int.log");
        Path report = tmp.resolve("report.json");
        Process p = start(log, in.toString(), "-o", out.toString(), "--report", report.toString());
        int exit;
        try {
            waitForLine(log, "[2/", p, 240);
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            exit = finish(p, 120);
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        assertEquals(Yax.EXIT_INTERRUPTED, exit, text);
        assertTrue(text.contains("yax: interrupted: "), text);
        assertFalse(text.contains("Exception"), "no stack traces: " + text);
        JsonObject doc = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        int interrupted = doc.getAsJsonObject("summary").get("interrupted").getAsInt();
        int done = doc.getAsJsonObject("summary").get("done").getAsInt();
        assertTrue(interrupted > 0 && done >= 2, text);
        for (var e : doc.getAsJsonArray("items")) {
            JsonObject item = e.getAsJsonObject();
            if (item.get("status").getAsString().equals("skipped")) {
                assertEquals("interrupted", item.get("reason").getAsString(), item.toString());
            }
        }
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".yax-tmp-")), "temp files left");
        }
        int doneFiles = 0; // a series row stands for its slices' files
        for (var e : doc.getAsJsonArray("items")) {
            JsonObject item = e.getAsJsonObject();
            if (item.get("status").getAsString().equals("done")) {
                doneFiles += item.has("slices") ? item.get("slices").getAsInt() : 1;
            }
        }
        assertEquals(doneFiles, assertOutputsComplete(out), text);
    }
}
