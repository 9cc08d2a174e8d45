package org.yax.models.net;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Network inference in bfloat16, and the one place that decides when it runs. On a CPU with AMX (Intel Xeon 4th
 * generation and later) oneDNN convolves bfloat16 tensors on the matrix units: the 512 x 512 denoiser pass takes
 * about a third of its float32 time, and plug-and-play is nearly all such passes (docs/MODELS.md, "Speed"). Elsewhere
 * bfloat16 has no fast kernel, so float32 stays.
 *
 * <p>DJL 0.35's PyTorch JNI has no bfloat16 data type (creating or casting to one from Java aborts the JVM), but
 * libtorch runs the bfloat16 tensors a TorchScript module returns, and DJL's operators pass them through. Two
 * weightless modules written by {@code scripts/make-bfloat16-casts.py} cast to bfloat16 and back; nothing here may
 * ask such an array for its data type or values.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default: bfloat16 on a CPU with AMX-BF16), {@code float32},
 * or {@code bfloat16} (everywhere, e.g. to test the path on a machine without AMX).
 */
public final class Bfloat16 {
    public static final String PROPERTY = "yax.network.precision";

    private static final boolean CPU_HAS_AMX = cpuFlags().contains("amx_bf16");
    private static volatile Bfloat16 casts;

    private final Model toBfloat16;
    private final Model toFloat32;

    private Bfloat16() {
        toBfloat16 = module("to-bfloat16.pt");
        Model back;
        try {
            back = module("to-float32.pt");
        } catch (RuntimeException e) {
            toBfloat16.close();
            throw e;
        }
        toFloat32 = back;
    }

    /** Whether the network's inference on {@code device} runs in bfloat16 (see the class comment). */
    public static boolean suits(Device device) {
        String setting = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (setting) {
            case "auto":
                return Device.Type.CPU.equals(device.getDeviceType()) && CPU_HAS_AMX;
            case "float32":
                return false;
            case "bfloat16":
                return true;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting
                        + ": expected auto, float32 or bfloat16");
        }
    }

    /** The casts, loaded once per process (the engine's modules live as long as the engine). */
    static Bfloat16 casts() {
        Bfloat16 c = casts;
        if (c == null) {
            synchronized (Bfloat16.class) {
                c = casts;
                if (c == null) {
                    c = new Bfloat16();
                    casts = c;
                }
            }
        }
        return c;
    }

    /** {@code x} (float32) as a bfloat16 array in x's manager. */
    NDArray lower(NDArray x) {
        return apply(toBfloat16, x);
    }

    /** {@code x} (bfloat16) as a float32 array in x's manager. */
    NDArray raise(NDArray x) {
        return apply(toFloat32, x);
    }

    private static NDArray apply(Model cast, NDArray x) {
        return cast.getBlock().forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow();
    }

    private static Model module(String name) {
        Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
        try (InputStream in = Bfloat16.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the models jar");
            }
            model.load(in);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("bfloat16 inference: cannot load the cast module " + name + ": "
                    + e.getMessage() + " (-D" + PROPERTY + "=float32 runs the network in float32)", e);
        }
    }

    private static String cpuFlags() {
        try {
            Path info = Path.of("/proc/cpuinfo");
            return Files.isReadable(info) ? Files.readString(info) : "";
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
