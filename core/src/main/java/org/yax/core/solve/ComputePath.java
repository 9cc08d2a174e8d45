package org.yax.core.solve;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.Locale;
import org.yax.core.op.HostOperator;
import org.yax.core.op.LinearOperator;

/**
 * Where the classical solvers (TV by PDHG and FISTA, Tikhonov-CG) run: the one place that decides. {@link #AUTO}
 * (the default): on host float arrays with fused kernels ({@link HostOperator}, {@link HostTv}, {@link HostCg})
 * when the measurement lives on the CPU and the operator has a host form, else on the engine (a GPU keeps the
 * DJL path). {@link #HOST} and {@link #DJL} force one side (benchmarks, tests; {@code -Dyax.solver.path=djl}).
 */
public enum ComputePath {
    AUTO, HOST, DJL;

    private static volatile ComputePath chosen = fromProperty();

    private static ComputePath fromProperty() {
        String p = System.getProperty("yax.solver.path");
        return p == null || p.isBlank() ? AUTO : valueOf(p.trim().toUpperCase(Locale.ROOT));
    }

    /** The path every later solve takes (AUTO: by device). */
    public static void set(ComputePath path) {
        chosen = java.util.Objects.requireNonNull(path, "path");
    }

    public static ComputePath get() {
        return chosen;
    }

    /**
     * Whether a solver whose data come as host arrays (the through-plane TV of a band) runs on the engine: when
     * forced to DJL, or by device when the engine's default device is not the CPU (a GPU). Without a CUDA GPU on the
     * machine that is known without loading the engine (which alone adds ~100 MiB to the process).
     */
    static boolean engineForHostArrays() {
        ComputePath p = chosen;
        if (p != AUTO) {
            return p == DJL;
        }
        return ai.djl.util.cuda.CudaUtils.getGpuCount() > 0
                && !Device.Type.CPU.equals(ai.djl.engine.Engine.getInstance().defaultDevice().getDeviceType());
    }

    /**
     * The host form of {@code a} when a solve of {@code y} runs on the host, else null (the engine path): on the
     * CPU (or when forced to HOST) and when the operator has a host form.
     */
    static HostOperator hostOperator(LinearOperator a, NDArray y) {
        ComputePath p = chosen;
        if (p == DJL) {
            return null;
        }
        if (p == AUTO && !Device.Type.CPU.equals(y.getDevice().getDeviceType())) {
            return null;
        }
        return HostOperator.of(a);
    }
}
