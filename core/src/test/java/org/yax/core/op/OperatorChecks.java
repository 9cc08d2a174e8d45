package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared checks for operator tests: dot-product test, finite-difference gradient check, Python references. */
final class OperatorChecks {
    private static final String PYTHON = "/usr/bin/python3";

    private OperatorChecks() { }

    static double dot(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        assertEquals(x.length, y.length, "dot of arrays of different sizes");
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    /** |<A x, y> - <x, A^H y>| / max(|.|, |.|) for random normal x and y. */
    static double adjointError(LinearOperator a, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomNormal(a.inputShape());
            NDArray y = m.randomNormal(a.outputShape());
            double lhs = dot(a.forward(x), y);
            double rhs = dot(x, a.adjoint(y));
            return Math.abs(lhs - rhs) / Math.max(Math.abs(lhs), Math.abs(rhs));
        }
    }

    static void assertAdjoint(LinearOperator a, NDManager parent) {
        double err = adjointError(a, parent);
        System.out.printf("adjoint %.2e  %s%n", err, a.describe());
        assertTrue(err < 1e-5, a.describe() + ": relative adjoint error " + err);
    }

    /**
     * f(x) = 1/2 ||A x - y||^2 has gradient A^H (A x - y): its inner product with random directions d must
     * match the central difference (f(x + e d) - f(x - e d)) / (2 e), exact for a quadratic up to rounding.
     */
    static void assertGradientMatchesFiniteDifferences(LinearOperator a, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomNormal(a.inputShape());
            NDArray y = m.randomNormal(a.outputShape());
            NDArray grad = a.adjoint(a.forward(x).sub(y));
            double eps = 0.25;
            for (int k = 0; k < 3; k++) {
                NDArray d = m.randomNormal(a.inputShape());
                double plus = halfSquaredResidual(a, x.add(d.mul(eps)), y);
                double minus = halfSquaredResidual(a, x.sub(d.mul(eps)), y);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = dot(grad, d);
                double rel = Math.abs(numeric - analytic) / Math.max(Math.abs(analytic), 1e-12);
                assertTrue(rel < 1e-3, a.describe() + ": directional derivative " + analytic + " vs finite difference "
                        + numeric + " (relative " + rel + ")");
            }
        }
    }

    private static double halfSquaredResidual(LinearOperator a, NDArray x, NDArray y) {
        float[] ax = a.forward(x).toFloatArray();
        float[] yy = y.toFloatArray();
        double s = 0;
        for (int i = 0; i < ax.length; i++) {
            double r = (double) ax[i] - yy[i];
            s += r * r;
        }
        return s / 2;
    }

    /**
     * Runs a Python snippet under Debian's /usr/bin/python3 with numpy as np, the input arrays loaded as
     * in0, in1, ... (float64, shapes given) and a variable {@code out}; returns out as float32, flattened.
     */
    static float[] python(String snippet, Path dir, float[][] inputs, long[][] shapes) throws IOException,
            InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: install Debian's python3-numpy, python3-scipy (via python3-skimage)");
        }
        StringBuilder script = new StringBuilder("import sys\nimport numpy as np\n");
        for (int i = 0; i < inputs.length; i++) {
            Path f = dir.resolve("in" + i + ".f32");
            ByteBuffer buf = ByteBuffer.allocate(inputs[i].length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(inputs[i]);
            Files.write(f, buf.array());
            StringBuilder shape = new StringBuilder();
            for (long s : shapes[i]) {
                shape.append(s).append(',');
            }
            script.append("in").append(i).append(" = np.fromfile(r'").append(f).append("', dtype='<f4')")
                    .append(".astype(np.float64).reshape((").append(shape).append("))\n");
        }
        script.append(snippet).append('\n');
        Path outFile = dir.resolve("out.f32");
        script.append("np.ascontiguousarray(out, dtype='<f4').tofile(r'").append(outFile).append("')\n");
        Path scriptFile = dir.resolve("ref.py");
        Files.writeString(scriptFile, script.toString());
        List<String> cmd = new ArrayList<>(List.of(PYTHON, scriptFile.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("reference script failed (needs Debian's python3-numpy/python3-scipy/python3-pil): " + log);
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(outFile)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "array lengths differ");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static float[] randomFloats(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
