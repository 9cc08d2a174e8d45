package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yax.core.op.BlurTest.assertMessage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Progress;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.StoppingRule;
import org.yax.core.solve.TvPdhg;

class FourierSamplingTest {
    private static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(13);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void realAndComplexImagesPassTheDotProductTest() {
        SamplingMask big = SamplingMask.variableDensity(512, 512, 4, 0.08, 1);
        SamplingMask odd = SamplingMask.equispaced(97, 130, 3, 0.1);
        SamplingMask oddWidth = SamplingMask.variableDensity(64, 45, 8, 0.05, 2);
        List<LinearOperator> ops = List.of(
                FourierSampling.ofRealImage(big), FourierSampling.ofComplexImage(big),
                FourierSampling.ofRealImage(odd), FourierSampling.ofComplexImage(odd),
                FourierSampling.ofRealImage(oddWidth), FourierSampling.ofComplexImage(oddWidth));
        for (LinearOperator op : ops) {
            OperatorChecks.assertAdjoint(op, manager);
        }
    }

    @Test
    void gradientOfTheDataTermMatchesFiniteDifferences() {
        SamplingMask m = SamplingMask.variableDensity(48, 61, 4, 0.08, 3);
        OperatorChecks.assertGradientMatchesFiniteDifferences(FourierSampling.ofRealImage(m), manager);
        OperatorChecks.assertGradientMatchesFiniteDifferences(FourierSampling.ofComplexImage(m), manager);
    }

    @Test
    void forwardAndAdjointMatchNumpyOrthonormalFft() throws Exception {
        int h = 45;
        int w = 64;
        SamplingMask mask = SamplingMask.variableDensity(h, w, 3, 0.1, 4);
        float[] rows = mask.rowWeights(1f);
        float[] real = OperatorChecks.randomFloats(h * w, 1);
        float[] complex = OperatorChecks.randomFloats(h * w * 2, 2);
        String maskPy = "M = in1.reshape(-1, 1)\n";
        long[][] shapes = {{h, w}, {h}};
        long[][] complexShapes = {{h, w, 2}, {h}};

        float[] ours = apply(FourierSampling.ofRealImage(mask), real, false);
        float[] ref = OperatorChecks.python(maskPy + "k = np.fft.fft2(in0, norm='ortho') * M\n"
                + "out = np.stack([k.real, k.imag], -1)", tmp, new float[][] {real, rows}, shapes);
        assertClose("real-image forward", ours, ref);

        ours = apply(FourierSampling.ofComplexImage(mask), complex, false);
        ref = OperatorChecks.python(maskPy + "k = np.fft.fft2(in0[..., 0] + 1j * in0[..., 1], norm='ortho') * M\n"
                + "out = np.stack([k.real, k.imag], -1)", tmp, new float[][] {complex, rows}, complexShapes);
        assertClose("complex-image forward", ours, ref);

        ours = apply(FourierSampling.ofRealImage(mask), complex, true);
        ref = OperatorChecks.python(maskPy + "out = np.fft.ifft2((in0[..., 0] + 1j * in0[..., 1]) * M, norm='ortho').real",
                tmp, new float[][] {complex, rows}, complexShapes);
        assertClose("real-image adjoint (real part of the zero-filled image)", ours, ref);

        ours = apply(FourierSampling.ofComplexImage(mask), complex, true);
        ref = OperatorChecks.python(maskPy + "x = np.fft.ifft2((in0[..., 0] + 1j * in0[..., 1]) * M, norm='ortho')\n"
                + "out = np.stack([x.real, x.imag], -1)", tmp, new float[][] {complex, rows}, complexShapes);
        assertClose("complex-image adjoint", ours, ref);
    }

    @Test
    void complexGramIsTheMaskAndTheRealOneIsNotDiagonal() {
        SamplingMask mask = SamplingMask.equispaced(40, 36, 4, 0.1);
        FourierSampling c = FourierSampling.ofComplexImage(mask);
        assertNull(FourierSampling.ofRealImage(mask).gramDiagonal(manager));
        try (NDManager m = manager.newSubManager()) {
            NDArray y = m.randomNormal(c.outputShape());
            NDArray gram = c.gramDiagonal(m);
            float[] viaOperator = c.forward(c.adjoint(y)).toFloatArray();
            float[] viaDiagonal = y.mul(gram).toFloatArray();
            assertClose("A A^H y = mask * y", viaOperator, viaDiagonal);
        }
    }

    @Test
    void dataProximalSolvesItsNormalEquations() {
        SamplingMask mask = SamplingMask.variableDensity(64, 50, 4, 0.08, 6);
        for (FourierSampling a : List.of(FourierSampling.ofRealImage(mask), FourierSampling.ofComplexImage(mask))) {
            try (NDManager m = manager.newSubManager()) {
                NDArray v = m.randomNormal(a.inputShape());
                NDArray y = m.randomNormal(a.outputShape());
                double tau = 0.7;
                NDArray x = a.dataProximal(v, y, tau);
                // optimality: A^H (A x - y) + (x - v) / tau = 0
                NDArray g = a.adjoint(a.forward(x).sub(y)).add(x.sub(v).div((float) tau));
                double rel = g.norm().getFloat() / v.div((float) tau).norm().getFloat();
                assertTrue(rel < 1e-5, a.describe() + ": optimality residual " + rel);
            }
        }
    }

    @Test
    void tvReconstructionBeatsZeroFillingAtFourTimesAcceleration() {
        int n = 128;
        float[] truth = Phantom.sheppLogan(n);
        SamplingMask mask = SamplingMask.variableDensity(n, n, 4, 0.08, 42);
        FourierSampling a = FourierSampling.ofRealImage(mask);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(truth, new Shape(n, n));
            NDArray noise = m.randomNormal(0, 0.005f, a.outputShape(), x.getDataType());
            NDArray y = a.forward(x).add(noise);
            NDArray zeroFilled = a.adjoint(y);
            SolverResult tv = new TvPdhg(0.002, StoppingRule.of(400, 1e-5)).solve(a, y, zeroFilled, Progress.NONE);
            double psnrZeroFilled = psnr(truth, zeroFilled.toFloatArray());
            double psnrTv = psnr(truth, tv.estimate().toFloatArray());
            System.out.printf("MRI x4 %s: zero-filled %.2f dB, TV-PDHG %.2f dB after %d iterations%n",
                    mask.describe(), psnrZeroFilled, psnrTv, tv.iterations());
            assertTrue(psnrTv >= psnrZeroFilled + 3, "TV " + psnrTv + " dB vs zero-filled " + psnrZeroFilled + " dB");
        }
    }

    @Test
    void badInputNamesTheParameter() {
        FourierSampling a = FourierSampling.ofRealImage(SamplingMask.equispaced(32, 32, 2, 0.1));
        try (NDManager m = manager.newSubManager()) {
            assertMessage(() -> a.forward(m.zeros(new Shape(32, 32, 2))), "input shape", "(32, 32, 2)");
            assertMessage(() -> a.adjoint(m.zeros(new Shape(32, 32))), "adjoint input", "(32, 32)");
            assertMessage(() -> a.dataProximal(m.zeros(new Shape(32, 32)), m.zeros(new Shape(32, 32, 2)), 0), "tau", "0");
        }
        assertMessage(() -> FourierSampling.ofRealImage(null), "mask");
    }

    private static double psnr(float[] truth, float[] estimate) {
        double mse = 0;
        double peak = 0;
        for (int i = 0; i < truth.length; i++) {
            mse += Math.pow(truth[i] - estimate[i], 2);
            peak = Math.max(peak, Math.abs(truth[i]));
        }
        return 10 * Math.log10(peak * peak / (mse / truth.length));
    }

    private static float[] apply(LinearOperator op, float[] data, boolean adjoint) {
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(data, adjoint ? op.outputShape() : op.inputShape());
            return (adjoint ? op.adjoint(in) : op.forward(in)).toFloatArray();
        }
    }

    private static void assertClose(String what, float[] ours, float[] ref) {
        double diff = OperatorChecks.maxAbsDiff(ours, ref);
        assertTrue(diff < 1e-5, what + ": max abs difference " + diff);
    }
}
