package org.yax.plugins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Sample data and external programs (validators nobody here wrote), every process bounded by a timeout. */
public final class TestSupport {
    private TestSupport() { }

    public static Path sample(String relative) {
        Path root = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        Path p = root.resolve(relative);
        assertTrue(Files.isRegularFile(p), "sample file " + p.toAbsolutePath() + " is missing: run scripts/setup.sh");
        return p;
    }

    public record Run(int exitCode, String out) { }

    /** Runs a command with output to a file, destroying it (and failing) when it outlives the timeout. */
    public static Run run(long timeoutSeconds, Map<String, String> env, List<String> command) throws IOException,
            InterruptedException {
        Path log = Files.createTempFile("yax-plugins-run", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public static Run run(String... command) throws IOException, InterruptedException {
        return run(120, Map.of(), List.of(command));
    }

    /** Runs a Debian python3 script (pydicom, numpy, osgeo) with arguments; its stdout is the result. */
    public static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        cmd.addAll(List.of(args));
        Run r = run(120, Map.of(), cmd);
        assertTrue(r.exitCode() == 0, "python failed: " + r.out());
        return r.out().trim();
    }
}
