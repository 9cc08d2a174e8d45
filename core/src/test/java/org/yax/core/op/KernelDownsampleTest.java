package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class KernelDownsampleTest {
    private static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(12);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void everyFactorPassesTheDotProductTest() {
        List<LinearOperator> ops = List.of(
                KernelDownsample.bicubic(new Shape(512, 512), 2), KernelDownsample.bicubic(new Shape(510, 510), 3),
                KernelDownsample.bicubic(new Shape(512, 512), 4), KernelDownsample.bicubic(new Shape(98, 130), 2),
                KernelDownsample.bicubic(new Shape(99, 135), 3), KernelDownsample.bicubic(new Shape(4, 8), 4),
                KernelDownsample.gaussian(new Shape(96, 132), 3, 1.6), KernelDownsample.gaussian(new Shape(64, 40), 4, 0.3),
                KernelDownsample.bicubicToLowRes(new Shape(33, 17), 3));
        for (LinearOperator op : ops) {
            OperatorChecks.assertAdjoint(op, manager);
        }
    }

    @Test
    void gradientOfTheDataTermMatchesFiniteDifferences() {
        OperatorChecks.assertGradientMatchesFiniteDifferences(KernelDownsample.bicubic(new Shape(60, 84), 3), manager);
        OperatorChecks.assertGradientMatchesFiniteDifferences(KernelDownsample.bicubic(new Shape(64, 48), 4), manager);
    }

    @Test
    void matchesADoublePrecisionPortOfMatlabImresizeIncludingBorders() {
        int[][] sizes = {{64, 90}, {99, 51}, {64, 32}, {8, 12}};
        for (int factor = 2; factor <= 4; factor++) {
            for (int[] hw : sizes) {
                int h = hw[0] / factor * factor;
                int w = hw[1] / factor * factor;
                float[] x = OperatorChecks.randomFloats(h * w, factor * 100 + h);
                float[] ours = forward(KernelDownsample.bicubic(new Shape(h, w), factor), x);
                float[] ref = MatlabImresize.bicubic(x, h, w, factor);
                double diff = OperatorChecks.maxAbsDiff(ours, ref);
                assertTrue(diff < 1e-5, "x" + factor + " " + h + "x" + w + ": max |ours - imresize port| = " + diff);
            }
        }
    }

    @Test
    void interiorMatchesPillowBicubic() throws Exception {
        // Pillow's BICUBIC (a = -0.5, support stretched by the factor) equals imresize away from the borders,
        // where Pillow renormalises a clipped kernel instead of mirroring
        for (int factor = 2; factor <= 4; factor++) {
            int h = 24 * factor;
            int w = 20 * factor;
            float[] x = OperatorChecks.randomFloats(h * w, factor);
            KernelDownsample op = KernelDownsample.bicubic(new Shape(h, w), factor);
            float[] ours = forward(op, x);
            float[] ref = OperatorChecks.python("from PIL import Image\n"
                    + "img = Image.fromarray(in0.astype(np.float32), mode='F')\n"
                    + "out = np.asarray(img.resize((" + (w / factor) + ", " + (h / factor) + "), Image.BICUBIC))",
                    tmp, new float[][] {x}, new long[][] {{h, w}});
            int margin = (int) Math.ceil(op.taps().length / (2.0 * factor)) + 1;
            double diff = 0;
            int compared = 0;
            for (int i = margin; i < h / factor - margin; i++) {
                for (int j = margin; j < w / factor - margin; j++) {
                    diff = Math.max(diff, Math.abs(ours[i * (w / factor) + j] - ref[i * (w / factor) + j]));
                    compared++;
                }
            }
            assertTrue(compared > 100, "too few interior pixels compared");
            assertTrue(diff < 2e-5, "x" + factor + ": max |ours - Pillow| over the interior = " + diff);
        }
    }

    @Test
    void bicubicTapsAreMatlabsStretchedKeysKernel() {
        float[] t2 = KernelDownsample.bicubic(new Shape(8, 8), 2).taps();
        assertEquals(8, t2.length);
        assertEquals(11, KernelDownsample.bicubic(new Shape(9, 9), 3).taps().length);
        assertEquals(16, KernelDownsample.bicubic(new Shape(8, 8), 4).taps().length);
        // distances 0.5, 1.5, 2.5, 3.5 from the block centre: cubic(d/2)/2, normalised (they sum to 2 * 0.5 = 1)
        double[] expected = {-0.0234375, -0.0703125, 0.2265625, 0.8671875};
        for (int k = 0; k < 4; k++) {
            assertEquals(expected[k] / 2, t2[k], 1e-7);
            assertEquals(t2[k], t2[7 - k], 0);
        }
        // a constant image stays constant, borders included
        float[] ones = new float[36 * 36];
        java.util.Arrays.fill(ones, 3f);
        for (float v : forward(KernelDownsample.bicubic(new Shape(36, 36), 3), ones)) {
            assertEquals(3f, v, 1e-5);
        }
    }

    @Test
    void badInputNamesTheParameter() {
        assertMessage(() -> KernelDownsample.bicubic(new Shape(64, 64), 0), "factor", "0");
        assertMessage(() -> KernelDownsample.bicubic(new Shape(64, 64), 5), "factor", "5");
        assertMessage(() -> KernelDownsample.bicubic(new Shape(64, 64), 1), "factor", "1");
        assertMessage(() -> KernelDownsample.bicubic(new Shape(64, 63), 3), "multiples", "(64, 63)");
        assertMessage(() -> KernelDownsample.bicubic(new Shape(64, 64, 1), 2), "2-D", "(64, 64, 1)");
        assertMessage(() -> KernelDownsample.gaussian(new Shape(64, 64), 2, -1), "sigmaPixels", "-1");
        assertMessage(() -> KernelDownsample.gaussian(new Shape(64, 64), 2, 0), "sigmaPixels", "0");
        try (NDManager m = manager.newSubManager()) {
            KernelDownsample d = KernelDownsample.bicubic(new Shape(64, 64), 2);
            assertMessage(() -> d.forward(m.zeros(new Shape(32, 32))), "input shape", "(32, 32)");
            assertMessage(() -> d.adjoint(m.zeros(new Shape(64, 64))), "adjoint input", "(64, 64)");
        }
    }

    private static float[] forward(LinearOperator op, float[] x) {
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, op.inputShape());
            return op.forward(in).toFloatArray();
        }
    }

    /**
     * A literal double-precision port of MATLAB imresize's contributions() and resizeAlongDim() for
     * 'bicubic' with antialiasing, scale 1/factor (1-based indices as in the original, mirrored with
     * aux = [1:n, n:-1:1]), applied along rows then columns.
     */
    static final class MatlabImresize {
        static float[] bicubic(float[] x, int h, int w, int factor) {
            double[][] img = new double[h][w];
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    img[i][j] = x[i * w + j];
                }
            }
            double[][] rows = along(img, h, w, factor, true);
            double[][] both = along(rows, h / factor, w, factor, false);
            float[] out = new float[(h / factor) * (w / factor)];
            for (int i = 0; i < h / factor; i++) {
                for (int j = 0; j < w / factor; j++) {
                    out[i * (w / factor) + j] = (float) both[i][j];
                }
            }
            return out;
        }

        private static double[][] along(double[][] img, int h, int w, int factor, boolean dim1) {
            int inLen = dim1 ? h : w;
            int outLen = inLen / factor;
            double scale = 1.0 / factor;
            double kernelWidth = 4.0 / scale;
            int p = (int) Math.ceil(kernelWidth) + 2;
            double[][] weights = new double[outLen][p];
            int[][] indices = new int[outLen][p];
            for (int o = 1; o <= outLen; o++) {
                double u = o / scale + 0.5 * (1 - 1 / scale);
                double left = Math.floor(u - kernelWidth / 2);
                double sum = 0;
                for (int k = 0; k < p; k++) {
                    double idx = left + k;
                    double wgt = scale * cubic(scale * (u - idx));
                    weights[o - 1][k] = wgt;
                    sum += wgt;
                    int m = Math.floorMod((int) idx - 1, 2 * inLen);
                    indices[o - 1][k] = m < inLen ? m : 2 * inLen - 1 - m;
                }
                for (int k = 0; k < p; k++) {
                    weights[o - 1][k] /= sum;
                }
            }
            double[][] out = dim1 ? new double[outLen][w] : new double[h][outLen];
            for (int o = 0; o < outLen; o++) {
                for (int k = 0; k < p; k++) {
                    int src = indices[o][k];
                    double wgt = weights[o][k];
                    if (dim1) {
                        for (int j = 0; j < w; j++) {
                            out[o][j] += wgt * img[src][j];
                        }
                    } else {
                        for (int i = 0; i < h; i++) {
                            out[i][o] += wgt * img[i][src];
                        }
                    }
                }
            }
            return out;
        }

        /** MATLAB's cubic(): Keys, a = -0.5. */
        private static double cubic(double x) {
            double ax = Math.abs(x);
            double ax2 = ax * ax;
            double ax3 = ax2 * ax;
            return (1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1 ? 1 : 0)
                    + (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * (ax > 1 && ax <= 2 ? 1 : 0);
        }
    }
}
