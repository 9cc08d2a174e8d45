package org.yax.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference TV denoiser, scikit-image's {@code denoise_tv_chambolle}, timed in a separate Python process on
 * the same float32 pixels as yax (written raw, little-endian, into a work folder), with a fixed iteration
 * count (eps = 0). Thread variables are set before numpy loads, as they are read only then.
 */
public final class SkimageTv {
    private static final String SCRIPT = "skimage_tv_bench.py";
    private static final long TIMEOUT_MINUTES = 30;

    /** What one call measured, with the versions the Python side reported. */
    /** @param cpu the same runs in CPU seconds of the Python process (null if it did not report them) */
    public record Result(Timings timings, String versions, Timings cpu) { }

    private final Path python;
    private final Path workDir;
    private final Integer threads;

    /** @param threads OMP/OpenBLAS thread count for the child, or null to inherit the environment */
    public SkimageTv(Path python, Path workDir, Integer threads) {
        this.python = python;
        this.workDir = workDir;
        this.threads = threads;
    }

    public Result time(float[] pixels, int height, int width, int iterations, double weight, int warmup,
                       int repeats) throws IOException, InterruptedException {
        Path script = workDir.resolve(SCRIPT);
        if (!Files.exists(script)) {
            try (InputStream in = SkimageTv.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException("resource " + SCRIPT + " is missing from the yax jar");
                }
                Files.copy(in, script);
            }
        }
        Path raw = workDir.resolve("input-" + height + "x" + width + ".f32");
        writeRawFloat32(raw, pixels);
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
                Double.toString(weight), Integer.toString(warmup), Integer.toString(repeats),
                raw + ":" + height + ":" + width + ":" + iterations));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        if (threads != null) {
            for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
                env.put(variable, threads.toString());
            }
        }
        Path log = workDir.resolve("python-stderr.txt");
        Path out = workDir.resolve("python-stdout.json");
        pb.redirectError(log.toFile());
        pb.redirectOutput(out.toFile());
        Process process = pb.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(python + " " + SCRIPT + " did not finish in " + TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            String err = Files.readString(log).strip();
            String last = err.isEmpty() ? "(no message)" : err.substring(err.lastIndexOf('\n') + 1);
            throw new IOException(python + " " + SCRIPT + " failed with exit code " + process.exitValue() + ": " + last);
        }
        JsonObject doc = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8).strip()).getAsJsonObject();
        JsonObject result = doc.getAsJsonArray("results").get(0).getAsJsonObject();
        JsonArray secondsJson = result.getAsJsonArray("seconds");
        List<Double> seconds = new ArrayList<>();
        secondsJson.forEach(s -> seconds.add(s.getAsDouble()));
        String versions = "Python " + doc.get("python").getAsString() + ", numpy " + doc.get("numpy").getAsString()
                + ", scikit-image " + doc.get("skimage").getAsString() + " (" + doc.get("iterationParameter").getAsString()
                + ", eps=0, " + result.get("dtype").getAsString() + ")";
        Timings cpu = null;
        if (result.has("cpuSeconds")) {
            List<Double> cpuSeconds = new ArrayList<>();
            result.getAsJsonArray("cpuSeconds").forEach(s -> cpuSeconds.add(Math.max(s.getAsDouble(), 1e-9)));
            cpu = Timings.of(cpuSeconds, result.get("iterations").getAsInt());
        }
        return new Result(Timings.of(seconds, result.get("iterations").getAsInt()), versions, cpu);
    }

    /** Raw little-endian float32, as numpy.fromfile(dtype="<f4") reads it. */
    public static void writeRawFloat32(Path file, float[] pixels) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(pixels.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(pixels);
        Files.write(file, buffer.array());
    }
}
