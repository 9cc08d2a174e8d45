package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: the fetched sample data and external checkers (real programs nobody here wrote). */
final class SampleData {
    private SampleData() { }

    static Path root() {
        Path p = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        assertTrue(Files.isDirectory(p.resolve("archive")),
                "sample data missing at " + p.toAbsolutePath() + ": run scripts/setup.sh first");
        return p;
    }

    static Path archive(String relative) {
        Path p = root().resolve("archive").resolve(relative);
        assertTrue(Files.isRegularFile(p), "sample file missing: " + p + " (run scripts/setup.sh)");
        return p;
    }

    /** Result of an external command. */
    record Run(int exitCode, String out) { }

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + Arrays.toString(command));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs a Python snippet with Debian's interpreter (the one that has pydicom, numpy, GDAL). */
    static Run python(String code, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", code));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }
}
