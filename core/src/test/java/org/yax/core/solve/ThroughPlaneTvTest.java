package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.HostPool;
import org.yax.core.op.SliceProfile;

/**
 * ThroughPlaneTv's host kernel against its engine path (the same PDHG iterations with the z slice profile's and the
 * weighted 3-D gradient's DJL forms, what a GPU runs), and against itself on other thread counts. No timing.
 */
class ThroughPlaneTvTest {
    private static final int DEPTH = 6;
    private static final int SCALE = 3;
    private static final int ROWS = 13;
    private static final int COLUMNS = 17;
    private static final double LAMBDA = 0.08;
    private static final double Z_WEIGHT = 0.5;
    private static final int ITERATIONS = 40;

    @AfterEach
    void reset() {
        ComputePath.set(ComputePath.AUTO);
        HostPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static SliceProfile profile(SliceProfile.Shape shape) {
        return new SliceProfile(DEPTH, SCALE, 1.2, shape, new Shape(ROWS, COLUMNS));
    }

    /** Thick slices of a blocky volume with noise, and cubic-free start: each thick slice repeated. */
    private static float[][] slab() {
        Random random = new Random(5);
        int plane = ROWS * COLUMNS;
        float[] y = new float[DEPTH * plane];
        for (int i = 0; i < y.length; i++) {
            int r = i / COLUMNS % ROWS;
            int c = i % COLUMNS;
            int z = i / plane;
            y[i] = (float) (((r / 4 + c / 5 + z / 2) % 2) + 0.1 * random.nextGaussian());
        }
        float[] start = new float[DEPTH * SCALE * plane];
        for (int i = 0; i < start.length; i++) {
            start[i] = y[i / plane / SCALE * plane + i % plane];
        }
        return new float[][] {y, start};
    }

    private static float[] host(SliceProfile a, float[][] slab) {
        return new ThroughPlaneTv(LAMBDA, Z_WEIGHT, new StoppingRule(ITERATIONS, 0, 10))
                .solve(a, slab[0], slab[1].clone(), ROWS, COLUMNS, Progress.NONE).estimate();
    }

    private static float[] on(ComputePath path, SliceProfile a, float[][] slab) {
        ComputePath.set(path);
        return host(a, slab);
    }

    @Test
    void hostKernelMatchesTheEngineForBoxAndGaussianProfiles() {
        float[][] slab = slab();
        for (SliceProfile.Shape shape : SliceProfile.Shape.values()) {
            SliceProfile a = profile(shape);
            float[] h = on(ComputePath.HOST, a, slab);
            float[] e = on(ComputePath.DJL, a, slab);
            double worst = 0;
            for (int i = 0; i < h.length; i++) {
                worst = Math.max(worst, Math.abs(h[i] - e[i]));
            }
            System.out.printf("through-plane TV, %s: max |host - engine| = %.2e (values ~0..1)%n", shape, worst);
            assertTrue(worst < 1e-5, shape + ": host and engine differ by " + worst);
        }
    }

    @Test
    void resultsDoNotDependOnThreadsAndInputsStay() {
        float[][] slab = slab();
        float[] y = slab[0].clone();
        SliceProfile a = profile(SliceProfile.Shape.BOX);
        float[][] out = new float[3][];
        int[] threads = {1, 2, 4};
        for (int k = 0; k < threads.length; k++) {
            HostPool.setThreads(threads[k]);
            out[k] = on(ComputePath.HOST, a, slab);
        }
        assertArrayEquals(out[0], out[1], "1 and 2 threads");
        assertArrayEquals(out[0], out[2], "1 and 4 threads");
        assertArrayEquals(y, slab[0], "y is not modified");
        assertEquals(DEPTH * SCALE * ROWS * COLUMNS, out[0].length);
    }
}
