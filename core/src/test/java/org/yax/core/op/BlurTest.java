package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlurTest {
    private static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(11);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static final float[][] ASYMMETRIC = {{0, 1, 2}, {3, 4, 0}, {1, 0, 5}, {2, 2, 0}, {0, 0, 1}};

    @Test
    void everyBlurPassesTheDotProductTest() {
        Shape big = new Shape(512, 512);
        Shape odd = new Shape(97, 130);
        List<LinearOperator> ops = List.of(
                Blur.gaussian(big, 2.0), Blur.gaussian(odd, 3.3), Blur.gaussian(new Shape(7, 300), 1.5),
                Blur.box(big, 5), Blur.box(odd, 9),
                Blur.motion(big, 15, 30), Blur.motion(odd, 9.5, 97),
                Blur.withPsf(big, ASYMMETRIC), Blur.withPsf(odd, ASYMMETRIC), Blur.withPsf(new Shape(3, 2), ASYMMETRIC),
                Blur.gaussian(new Shape(5, 7), 3.0), Blur.withPsf(new Shape(1, 2), ASYMMETRIC));
        for (LinearOperator op : ops) {
            OperatorChecks.assertAdjoint(op, manager);
        }
    }

    @Test
    void gradientOfTheDataTermMatchesFiniteDifferences() {
        OperatorChecks.assertGradientMatchesFiniteDifferences(Blur.withPsf(new Shape(61, 80), ASYMMETRIC), manager);
        OperatorChecks.assertGradientMatchesFiniteDifferences(Blur.motion(new Shape(64, 64), 7, 45), manager);
    }

    @Test
    void gaussianMatchesScipyWithReflectBoundary() throws Exception {
        int h = 61;
        int w = 80;
        float[] x = OperatorChecks.randomFloats(h * w, 3);
        for (double sigma : new double[] {0.7, 2.0, 4.6}) {
            assertMatchesScipyGaussian(h, w, sigma, x);
        }
        // a kernel (radius 12) wider than the image: the extension repeats with period 2 * size, like scipy's
        assertMatchesScipyGaussian(5, 7, 3.0, OperatorChecks.randomFloats(35, 8));
    }

    private void assertMatchesScipyGaussian(int h, int w, double sigma, float[] x) throws Exception {
        float[] ours = forward(Blur.gaussian(new Shape(h, w), sigma), x);
        float[] ref = OperatorChecks.python("from scipy.ndimage import gaussian_filter\n"
                + "out = gaussian_filter(in0, " + sigma + ", mode='reflect')", tmp, new float[][] {x},
                new long[][] {{h, w}});
        double diff = OperatorChecks.maxAbsDiff(ours, ref);
        assertTrue(diff < 2e-6, h + "x" + w + ", sigma " + sigma + ": max |ours - scipy| = " + diff);
    }

    @Test
    void boxAndUserPsfMatchScipyConvolve() throws Exception {
        int h = 40;
        int w = 33;
        float[] x = OperatorChecks.randomFloats(h * w, 4);
        float[] box = forward(Blur.box(new Shape(h, w), 5), x);
        float[] boxRef = OperatorChecks.python("from scipy.ndimage import uniform_filter\n"
                + "out = uniform_filter(in0, 5, mode='reflect')", tmp, new float[][] {x}, new long[][] {{h, w}});
        assertTrue(OperatorChecks.maxAbsDiff(box, boxRef) < 2e-6, "box vs scipy uniform_filter");
        // an asymmetric PSF tells convolution from correlation
        float[] psf = new float[15];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                psf[i * 3 + j] = ASYMMETRIC[i][j] / 21f;
            }
        }
        float[] ours = forward(Blur.withPsf(new Shape(h, w), ASYMMETRIC), x);
        float[] ref = OperatorChecks.python("from scipy.ndimage import convolve\n"
                + "out = convolve(in0, in1, mode='reflect')", tmp, new float[][] {x, psf}, new long[][] {{h, w}, {5, 3}});
        double diff = OperatorChecks.maxAbsDiff(ours, ref);
        assertTrue(diff < 2e-6, "user PSF: max |ours - scipy convolve| = " + diff);
    }

    @Test
    void motionPsfIsANormalisedLineInTheRightDirection() {
        float[][] horizontal = Blur.motion(new Shape(32, 32), 8, 0).psf();
        assertEquals(9, horizontal.length);
        double sum = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                sum += horizontal[i][j];
                if (i != 4) {
                    assertEquals(0, horizontal[i][j], 1e-7, "0 degrees is a horizontal line");
                }
            }
        }
        assertEquals(1, sum, 1e-6);
        float[][] vertical = Blur.motion(new Shape(32, 32), 8, 90).psf();
        assertTrue(vertical[0][4] > 0 && vertical[4][0] < 1e-6, "90 degrees is a vertical line");
        assertEquals(1, Blur.gaussian(new Shape(8, 8), 0).psf().length, "sigma 0 is the identity");
    }

    @Test
    void badInputNamesTheParameter() {
        Shape s = new Shape(32, 32);
        assertMessage(() -> Blur.gaussian(s, -1), "sigmaPixels", "-1");
        assertMessage(() -> Blur.gaussian(s, Double.NaN), "sigmaPixels", "NaN");
        assertMessage(() -> Blur.box(s, 4), "box size", "4");
        assertMessage(() -> Blur.motion(s, -2, 0), "lengthPixels", "-2");
        assertMessage(() -> Blur.withPsf(s, new float[][] {{1, 1}}), "odd", "1x2");
        assertMessage(() -> Blur.withPsf(s, new float[][] {{1, -1, 0}}), "positive sum", "0");
        assertMessage(() -> Blur.gaussian(new Shape(32, 32, 3), 1), "2-D", "(32, 32, 3)");
        try (NDManager m = manager.newSubManager()) {
            assertMessage(() -> Blur.box(s, 3).forward(m.zeros(new Shape(32, 31))), "input shape", "(32, 31)");
            assertMessage(() -> Blur.box(s, 3).adjoint(m.zeros(new Shape(31, 32))), "adjoint input", "(31, 32)");
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    private static float[] forward(LinearOperator op, float[] x) {
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, op.inputShape());
            return op.forward(in).toFloatArray();
        }
    }
}
