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
 * The reference denoisers of scikit-image, timed in a separate Python process on the same float32 pixels as yax
 * (written raw, little-endian, into a work folder): {@code denoise_tv_chambolle} with a fixed iteration count
 * (eps = 0) and {@code denoise_nl_means} in fast mode. Thread variables are set before numpy loads, as they are
 * read only then.
 */
public final class SkimageReference {
    private static final String SCRIPT = "skimage_bench.py";
    private static final long TIMEOUT_MINUTES = 30;

    /** What one call measured, with the versions the Python side reported. */
    /** @param cpu the same runs in CPU seconds of the Python process (null if it did not report them) */
    public record Result(Timings timings, String versions, Timings cpu) { }

    private final Path python;
    private final Path workDir;
    private final Integer threads;

    /** @param threads OMP/OpenBLAS thread count for the child, or null to inherit the environment */
    public SkimageReference(Path python, Path workDir, Integer threads) {
        this.python = python;
        this.workDir = workDir;
        this.threads = threads;
    }

    /** denoise_tv_chambolle(weight, eps=0) with {@code iterations} iterations. */
    public Result timeTv(float[] pixels, int height, int width, int iterations, double weight, int warmup,
                         int repeats) throws IOException, InterruptedException {
        Path raw = workDir.resolve("input-" + height + "x" + width + ".f32");
        writeRawFloat32(raw, pixels);
        return run(List.of("tv", Double.toString(weight), Integer.toString(warmup), Integer.toString(repeats),
                raw + ":" + height + ":" + width + ":" + iterations));
    }

    /** denoise_nl_means(fast_mode=True) with these settings; one run is one "iteration". */
    public Result timeNlm(float[] pixels, int height, int width, double sigma, int patchSize, int patchDistance,
                          double h, int warmup, int repeats) throws IOException, InterruptedException {
        Path raw = workDir.resolve("nlm-input-" + height + "x" + width + ".f32");
        writeRawFloat32(raw, pixels);
        return run(List.of("nlm", Double.toString(sigma), Integer.toString(patchSize), Integer.toString(patchDistance),
                Double.toString(h), Integer.toString(warmup), Integer.toString(repeats), raw + ":" + height + ":" + width));
    }

    private Result run(List<String> arguments) throws IOException, InterruptedException {
        Path script = workDir.resolve(SCRIPT);
        if (!Files.exists(script)) {
            try (InputStream in = SkimageReference.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException("resource " + SCRIPT + " is missing from the yax jar");
                }
                Files.copy(in, script);
            }
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(arguments);
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
                + ", scikit-image " + doc.get("skimage").getAsString() + " (" + doc.get("parameters").getAsString()
                + ", " + result.get("dtype").getAsString() + ")";
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
