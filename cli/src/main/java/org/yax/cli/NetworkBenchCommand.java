package org.yax.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.yax.cli.bench.MachineInfo;
import org.yax.cli.bench.SkimageReference;
import org.yax.cli.bench.Timings;
import org.yax.models.LearnedModel;
import org.yax.models.ModelRegistry;
import org.yax.models.net.Bfloat16;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yax bench-network}: inference speed of the learned network (megapixels per second) in DJL, side by
 * side with the same network and weights in the system's PyTorch (Debian's python3-torch) on the same input,
 * and the largest difference of their outputs; where yax runs the network in bfloat16 ({@link Bfloat16}), that
 * too, against yax's float32. Prints numbers; it checks no speed.
 */
@Command(name = "bench-network", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the learned network's denoising head in yax (DJL, PyTorch engine) and the same "
                + "network with the same weights in Python's torch on the same input, and compares their outputs."},
        footer = {"", "Run it in its own JVM: PyTorch reads the thread counts once, when its engine starts.",
                "Exit codes: 0 done, 1 fatal error, 2 usage error."})
final class NetworkBenchCommand implements Callable<Integer> {
    private static final String SCRIPT = "bench/torch_network_bench.py";

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op and inter-op threads of both sides.")
    Integer threads;

    @Option(names = "--size", paramLabel = "N", defaultValue = "512", description = "Square input side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--model", paramLabel = "NAME|PATH", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "Model to time (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "Python with numpy and torch (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "out/bench/network",
            description = "Folder for the exported weights, input and outputs (default: ${DEFAULT-VALUE}).")
    Path work;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (size < 16 || size % MultiTaskNet.SIZE_MULTIPLE != 0 || repeats < 1 || warmup < 0) {
            throw new Yax.UsageException("need --size a multiple of 4 >= 16, --repeats >= 1, --warmup >= 0");
        }
        if (threads != null) {
            System.setProperty(BenchCommand.NUM_THREADS, threads.toString());
            System.setProperty(BenchCommand.NUM_INTEROP_THREADS, threads.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(work);
        float[] input = input(size);
        SkimageReference.writeRawFloat32(work.resolve("input.f32"), input);
        String loadBefore = MachineInfo.loadAverage();
        ai.djl.Device device = Engine.getInstance().defaultDevice();
        boolean bfloat16 = Bfloat16.suits(device);
        Timed f32 = timeYax("float32", device, input, true);
        Timed bf16 = bfloat16 ? timeYax("bfloat16", device, input, false) : null;
        Timings djl = f32.timings;
        float[] djlOutput = f32.output;
        JsonObject torch = runTorch();
        List<Double> torchSeconds = new ArrayList<>();
        torch.getAsJsonArray("seconds").forEach(s -> torchSeconds.add(s.getAsDouble()));
        Timings reference = Timings.of(torchSeconds, 1);
        float[] torchOutput = readFloats(work.resolve("torch-output.f32"), djlOutput.length);
        double maxDiff = 0;
        for (int i = 0; i < djlOutput.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(djlOutput[i] - torchOutput[i]));
        }
        double mpix = (double) size * size / 1e6;
        out.printf(Locale.ROOT, "yax bench-network: %s, denoise head, %dx%d input, median of %d runs after %d warm-up%n",
                model, size, size, repeats, warmup);
        out.printf(Locale.ROOT, "machine: %s, %d cores, load before %s; %s%n", MachineInfo.cpuModel(), MachineInfo.cores(),
                loadBefore, MachineInfo.jvm());
        out.printf(Locale.ROOT, "threads: yax %s, torch %s intra / %s inter-op (torch %s, Python %s)%n",
                threads == null ? "default" : threads, torch.get("threads").getAsString(),
                torch.get("interop").getAsString(), torch.get("torch").getAsString(), torch.get("python").getAsString());
        out.printf(Locale.ROOT, "%-10s %-9s %10s %10s%n", "engine", "precision", "median(s)", "MPix/s");
        out.printf(Locale.ROOT, "%-10s %-9s %10.3f %10.3f%n", "yax/DJL", "float32", djl.medianSeconds(),
                mpix / djl.medianSeconds());
        if (bf16 != null) {
            out.printf(Locale.ROOT, "%-10s %-9s %10.3f %10.3f%n", "yax/DJL", "bfloat16", bf16.timings.medianSeconds(),
                    mpix / bf16.timings.medianSeconds());
        }
        out.printf(Locale.ROOT, "%-10s %-9s %10.3f %10.3f%n", "torch", "float32", reference.medianSeconds(),
                mpix / reference.medianSeconds());
        out.printf(Locale.ROOT, "float32: time ratio yax/torch %.3f; largest output difference %.3g%n",
                djl.medianSeconds() / reference.medianSeconds(), maxDiff);
        if (bf16 != null) {
            double bfDiff = 0;
            for (int i = 0; i < djlOutput.length; i++) {
                bfDiff = Math.max(bfDiff, Math.abs(djlOutput[i] - bf16.output[i]));
            }
            out.printf(Locale.ROOT, "bfloat16 (what yax runs here): time ratio bfloat16/float32 %.3f; largest difference "
                    + "from yax's float32 output %.3g%n", bf16.timings.medianSeconds() / djl.medianSeconds(), bfDiff);
        } else {
            out.printf(Locale.ROOT, "bfloat16: not used on this device (no AMX-BF16; -D%s=bfloat16 forces it)%n",
                    Bfloat16.PROPERTY);
        }
        out.flush();
        return Yax.EXIT_OK;
    }

    /** The median and the last output of one precision's runs. */
    private record Timed(Timings timings, float[] output) {
    }

    /**
     * Times the denoise head with the network in {@code precision}, which {@link Bfloat16} reads when the model's
     * first inference runs (the model is loaded for this precision alone).
     */
    private Timed timeYax(String precision, ai.djl.Device device, float[] input, boolean export) throws IOException {
        String setting = System.getProperty(Bfloat16.PROPERTY);
        System.setProperty(Bfloat16.PROPERTY, precision);
        try (LearnedModel m = ModelRegistry.load(model, device)) {
            if (export) {
                exportWeights(m, work);
            }
            List<Double> seconds = new ArrayList<>();
            float[] last = null;
            try (NDManager manager = NDManager.newBaseManager(m.device())) {
                for (int k = 0; k < warmup + repeats; k++) {
                    try (NDManager call = manager.newSubManager()) {
                        NDArray x = call.create(input, new Shape(1, MultiTaskNet.INPUT_CHANNELS, size, size));
                        long t0 = System.nanoTime();
                        NDArray y = m.forwardRaw(x, Head.DENOISE, new ParameterStore(call, false));
                        last = y.toFloatArray();
                        double dt = (System.nanoTime() - t0) / 1e9;
                        if (k >= warmup) {
                            seconds.add(dt);
                        }
                    }
                }
            }
            return new Timed(Timings.of(seconds, 1), last);
        } finally {
            if (setting == null) {
                System.clearProperty(Bfloat16.PROPERTY);
            } else {
                System.setProperty(Bfloat16.PROPERTY, setting);
            }
        }
    }

    /** A noisy ramp-and-texture image (deterministic) with the denoiser's noise map and mask planes. */
    static float[] input(int n) {
        Random random = new Random(7);
        float[] x = new float[3 * n * n];
        for (int i = 0; i < n * n; i++) {
            int r = i / n;
            int c = i % n;
            double clean = 0.5 + 0.3 * Math.sin(r / 9.0) * Math.cos(c / 13.0) + (((r / 32) + (c / 32)) % 2 == 0 ? 0.1 : -0.1);
            x[i] = (float) (clean + 0.1 * random.nextGaussian());
            x[n * n + i] = 0.1f;
            x[2 * n * n + i] = 1f;
        }
        return x;
    }

    private void exportWeights(LearnedModel m, Path dir) throws IOException {
        JsonObject index = new JsonObject();
        JsonArray widths = new JsonArray();
        for (int w : m.card().widths()) {
            widths.add(w);
        }
        index.add("widths", widths);
        index.addProperty("heads", Head.values().length);
        index.addProperty("height", size);
        index.addProperty("width", size);
        JsonArray params = new JsonArray();
        int k = 0;
        for (Pair<String, Parameter> p : m.parameters()) {
            String file = String.format(Locale.ROOT, "param-%03d.f32", k++);
            SkimageReference.writeRawFloat32(dir.resolve(file), p.getValue().getArray().toFloatArray());
            JsonObject e = new JsonObject();
            e.addProperty("name", p.getKey());
            e.addProperty("file", file);
            JsonArray shape = new JsonArray();
            for (long d : p.getValue().getArray().getShape().getShape()) {
                shape.add(d);
            }
            e.add("shape", shape);
            params.add(e);
        }
        index.add("parameters", params);
        Files.writeString(dir.resolve("weights.json"), index.toString(), StandardCharsets.UTF_8);
    }

    private JsonObject runTorch() throws IOException, InterruptedException {
        Path script = work.resolve("torch_network_bench.py");
        try (var in = NetworkBenchCommand.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " is missing from the yax jar");
            }
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), work.toString(),
                threads == null ? "0" : threads.toString(), Integer.toString(warmup), Integer.toString(repeats),
                Integer.toString(Head.DENOISE.ordinal()));
        if (threads != null) {
            pb.environment().put("OMP_NUM_THREADS", threads.toString());
        }
        pb.redirectError(work.resolve("torch-stderr.txt").toFile());
        pb.redirectOutput(work.resolve("torch-stdout.json").toFile());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("torch benchmark did not finish in 30 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException(python + " " + script + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(work.resolve("torch-stderr.txt")).strip()
                    + " (Debian: apt-get install python3-torch)");
        }
        return JsonParser.parseString(Files.readString(work.resolve("torch-stdout.json")).strip()).getAsJsonObject();
    }

    private static float[] readFloats(Path file, int count) throws IOException {
        float[] v = new float[count];
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
