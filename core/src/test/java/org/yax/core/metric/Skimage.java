package org.yax.core.metric;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reference values from Debian's scikit-image, computed by /usr/bin/python3 on the very float32 arrays a test
 * hands over (raw little-endian files in a temporary folder). Expressions are batched so one test pays for one
 * interpreter start.
 */
public final class Skimage {
    private static final String PROGRAM = String.join("\n",
            "import sys, warnings",
            "import numpy as np, pywt, scipy.ndimage as ndi",
            "warnings.simplefilter('ignore')",
            "from skimage.metrics import peak_signal_noise_ratio as psnr, structural_similarity as ssim",
            "from skimage.restoration import estimate_sigma, denoise_nl_means",
            "env = {'np': np, 'pywt': pywt, 'ndi': ndi, 'psnr': psnr, 'ssim': ssim, 'estimate_sigma': estimate_sigma,",
            "       'denoise_nl_means': denoise_nl_means}",
            "for spec in sys.argv[1:]:",
            "    name, shape, path = spec.split(':', 2)",
            "    env[name] = np.fromfile(path, dtype='<f4').reshape([int(s) for s in shape.split(',')])",
            "for line in sys.stdin.read().splitlines():",
            "    print(repr(float(eval(line, env))))");

    private final Path dir;
    private final List<String> arraySpecs = new ArrayList<>();
    private final List<String> expressions = new ArrayList<>();

    public Skimage(Path dir) {
        this.dir = dir;
    }

    /** Hands an array of the given numpy shape to python; returns its variable name there. */
    public String array(float[] values, int... shape) {
        String name = "a" + arraySpecs.size();
        Path file = dir.resolve(name + ".f32");
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        try {
            Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        String dims = java.util.Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(","));
        arraySpecs.add(name + ":" + dims + ":" + file);
        return name;
    }

    /** Queues a python expression over the arrays; its value is at the same index in {@link #evaluate()}. */
    public int expression(String python) {
        expressions.add(python);
        return expressions.size() - 1;
    }

    public double[] evaluate() {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", PROGRAM));
        command.addAll(arraySpecs);
        try {
            Path stderr = dir.resolve("python-stderr.txt");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(String.join("\n", expressions).getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("python3 skimage reference timed out");
            }
            if (process.exitValue() != 0) {
                fail("python3 skimage reference failed (exit " + process.exitValue() + "): "
                        + Files.readString(stderr));
            }
            String[] lines = out.strip().split("\n");
            if (lines.length != expressions.size()) {
                fail("python3 printed " + lines.length + " values for " + expressions.size() + " expressions: " + out);
            }
            double[] values = new double[lines.length];
            for (int i = 0; i < lines.length; i++) {
                values[i] = Double.parseDouble(lines[i].strip().replace("inf", "Infinity").replace("nan", "NaN"));
            }
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run /usr/bin/python3: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for python3", e);
        }
    }
}
