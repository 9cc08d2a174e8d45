package org.yax.sampledata;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a validator nobody in this project wrote (dciodvfy, dcmdump, gdalinfo, Debian's python3) and captures its output. */
final class ExternalTool {
    /** Debian's interpreter: the first python3 on PATH lacks python3-pydicom and python3-gdal. */
    static final String PYTHON = "/usr/bin/python3";

    record Result(int exitCode, String output) {
        Map<String, String> keyValues() {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            return values;
        }
    }

    private ExternalTool() {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + ": timed out");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Runs one of this package's Python scripts (test resources) with /usr/bin/python3. */
    static Result python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script(script).toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Path script(String name) {
        try {
            return Path.of(ExternalTool.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
