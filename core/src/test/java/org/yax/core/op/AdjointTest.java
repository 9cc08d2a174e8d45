package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dot-product test <A x, y> = <x, A^H y> for every operator, float32, up to 512 x 512. */
class AdjointTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(42);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static double dot(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    private static double adjointError(LinearOperator a) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(a.inputShape());
            NDArray y = m.randomNormal(a.outputShape());
            double lhs = dot(a.forward(x), y);
            double rhs = dot(x, a.adjoint(y));
            return Math.abs(lhs - rhs) / Math.max(Math.abs(lhs), Math.abs(rhs));
        }
    }

    @Test
    void everyOperatorPassesTheDotProductTest() {
        Shape big = new Shape(512, 512);
        try (NDManager m = manager.newSubManager()) {
            NDArray holes = m.randomUniform(0, 1, big).gt(0.3).toType(DataType.FLOAT32, false);
            List<LinearOperator> ops = List.of(
                    new Identity(big),
                    new Gradient(big),
                    new Gradient(new Shape(97, 130)),
                    new Gradient(new Shape(7, 40, 53)),
                    new Gradient(new Shape(7, 40, 53), new double[] {0.3, 1, 1}),
                    new Gradient(new Shape(5, 33, 21), new double[] {2.5, 0.7, 1.3}),
                    new Downsample(big, 2),
                    new Downsample(new Shape(510, 510), 3),
                    new Downsample(big, 4),
                    new Mask(holes),
                    new Mask(m.create(new float[] {1, 0, 1, 1, 0, 1}, new Shape(2, 3))),
                    new Mask(holes).after(new Downsample(new Shape(1024, 1024), 2)),
                    new Gradient(new Shape(1024, 1024)).after(new Downsample(new Shape(1024, 1024), 2).adjointOperator()),
                    Blur.gaussian(big, 1.6), Blur.motion(new Shape(97, 130), 11, 20),
                    KernelDownsample.bicubic(big, 4),
                    KernelDownsample.bicubic(new Shape(510, 510), 3).after(Blur.gaussian(new Shape(510, 510), 1.6)),
                    FourierSampling.ofRealImage(SamplingMask.variableDensity(512, 512, 4, 0.08, 0)),
                    FourierSampling.ofComplexImage(SamplingMask.equispaced(97, 130, 8, 0.04)),
                    new SliceProfile(7, 3, 1.0, SliceProfile.Shape.BOX, new Shape(20, 30)),
                    new SliceProfile(5, 2, 0.6, SliceProfile.Shape.BOX, new Shape(16, 9)),
                    new SliceProfile(6, 4, 1.7, SliceProfile.Shape.GAUSSIAN, new Shape(11, 13)),
                    new SliceProfile(3, 6, 0.05, SliceProfile.Shape.BOX, new Shape(8, 8)));
            for (LinearOperator op : ops) {
                double err = adjointError(op);
                assertTrue(err < 1e-5, op.describe() + ": relative adjoint error " + err);
                assertEquals(op.describe().isEmpty(), false);
            }
        }
    }

    @Test
    void gradientMatchesHandComputedDifferences() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {1, 2, 4, 7, 11, 16}, new Shape(2, 3));
            float[] g = new Gradient(x.getShape()).forward(x).toFloatArray();
            // d/dy: rows differ by 6, 9, 12; last row 0. d/dx: 1, 2, 0 / 4, 5, 0
            assertArrayEqualsF(new float[] {6, 9, 12, 0, 0, 0, 1, 2, 0, 4, 5, 0}, g);
        }
    }

    @Test
    void weightedGradientScalesEachAxisAndItsNormBound() {
        try (NDManager m = manager.newSubManager()) {
            // (2, 1, 3) volume: z differences 10, 20, 30 in the first slice, 0 in the last
            NDArray x = m.create(new float[] {1, 2, 4, 11, 22, 34}, new Shape(2, 1, 3));
            Gradient d = new Gradient(x.getShape(), new double[] {0.3, 1, 2});
            float[] g = d.forward(x).toFloatArray();
            assertArrayEqualsF(new float[] {3, 6, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 0, 22, 24, 0}, g);
            assertEquals(4 * (0.09 + 1 + 4), d.normSquaredBound(), 1e-12);
            // the bound holds: ||D x||^2 <= bound ||x||^2 for a checkerboard, D's worst case
            NDArray worst = m.create(new float[] {1, -1, 1, -1, 1, -1}, new Shape(2, 1, 3));
            double ratio = dot(d.forward(worst), d.forward(worst)) / dot(worst, worst);
            assertTrue(ratio <= d.normSquaredBound(), ratio + " > " + d.normSquaredBound());
            assertThrows(IllegalArgumentException.class, () -> new Gradient(new Shape(2, 3), new double[] {1, 0}));
            assertThrows(IllegalArgumentException.class, () -> new Gradient(new Shape(2, 3), new double[] {1}));
        }
    }

    @Test
    void downsampleAveragesBlocks() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(16f).reshape(4, 4);
            float[] y = new Downsample(new Shape(4, 4), 2).forward(x).toFloatArray();
            assertArrayEqualsF(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, y);
        }
    }

    @Test
    void shapesAreCheckedAtTheBoundary() {
        try (NDManager m = manager.newSubManager()) {
            Downsample d = new Downsample(new Shape(8, 8), 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.forward(m.zeros(new Shape(8, 6))));
            assertTrue(e.getMessage().contains("(8, 6)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> d.adjoint(m.zeros(new Shape(8, 8))));
            assertThrows(IllegalArgumentException.class, () -> new Downsample(new Shape(9, 8), 2));
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> new Downsample(new Shape(8, 8), 0));
            assertTrue(zero.getMessage().contains("scale factor"), zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Identity(new Shape(8, 8)).after(d));
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> d.forward(m.zeros(new Shape(8, 8), DataType.FLOAT64)));
            assertTrue(type.getMessage().contains("float64"), type.getMessage());
        }
    }

    @Test
    void adjointOfAdjointIsTheOperator() {
        Downsample d = new Downsample(new Shape(8, 8), 2);
        assertTrue(d.adjointOperator().adjointOperator() == d);
        Function<LinearOperator, Shape> in = LinearOperator::inputShape;
        assertEquals(new Shape(4, 4), in.apply(d.adjointOperator()));
    }

    private static void assertArrayEqualsF(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "index " + i);
        }
    }
}
