package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Downsample;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.StoppingRule;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * Native memory stays flat over thousands of solver iterations and over a batch of reconstructions.
 * Two independent witnesses: the number of live NDArrays under the caller's manager (exact: one array
 * leaked per step is caught) and the process's resident set size from /proc/self/status (catches native
 * growth that escapes DJL's bookkeeping; a 256 x 256 float leak per step would add 500 MB over 2000 steps).
 */
class MemoryDisciplineTest {
    private static final int SIZE = 256;
    private static final int ITERATIONS = 2000;
    private static final long RSS_GROWTH_LIMIT_KB = 50 * 1024;
    /** No trend: the second half of a run may grow by at most this much. */
    private static final long RSS_TREND_LIMIT_KB = 20 * 1024;

    private static NDManager manager;

    @BeforeAll
    static void start() {
        // one intra-op thread: on a shared 2-core machine a second spinning thread makes small ops 10x slower
        // (only takes effect when this class starts the engine)
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** One sample per solver checkpoint: iteration, live arrays under y's manager, RSS. */
    private record Sample(int iteration, int liveArrays, long rssKb) { }

    private static final class Recorder implements Progress {
        private final NDManager watched;
        private final List<Sample> samples = new ArrayList<>();
        private final int every;
        private int checkpoints;

        Recorder(NDManager watched, int every) {
            this.watched = watched;
            this.every = every;
        }

        @Override
        public void report(double fraction, String message) {
            if (checkpoints++ % every == 0) {
                samples.add(new Sample(checkpoints * 10, watched.getManagedArrays().size(), rssKb()));
            }
        }

        @Override public boolean isCancelled() { return false; }
    }

    @Test
    void tvIterationsKeepMemoryFlat() {
        // Mask after Downsample: the exact data prox with a non-trivial A A^H, the path every task takes
        Shape low = new Shape(SIZE / 2, SIZE / 2);
        try (NDManager m = manager.newSubManager()) {
            NDArray holes = m.randomUniform(0, 1, low).gt(0.2).toType(DataType.FLOAT32, false);
            LinearOperator a = new Mask(holes).after(Downsample.toLowRes(low, 2));
            NDArray y = m.randomUniform(0, 100, low);
            NDArray x0 = m.zeros(a.inputShape());
            Recorder recorder = new Recorder(m, 10);
            long t0 = System.nanoTime();
            SolverResult r = new TvPdhg(5, new StoppingRule(ITERATIONS, 0, 10)).solve(a, y, x0, recorder);
            System.out.printf("TV-PDHG %d iterations on %dx%d: %.1f s%n", r.iterations(), SIZE, SIZE,
                    (System.nanoTime() - t0) / 1e9);
            assertEquals(ITERATIONS, r.iterations());
            assertFlat("TV-PDHG", recorder.samples);
        }
    }

    @Test
    void cgIterationsKeepMemoryFlat() {
        Shape plane = new Shape(SIZE, SIZE);
        try (NDManager m = manager.newSubManager()) {
            NDArray holes = m.randomUniform(0, 1, plane).gt(0.2).toType(DataType.FLOAT32, false);
            LinearOperator a = new Mask(holes);
            NDArray y = m.randomUniform(0, 100, plane).mul(holes);
            Recorder recorder = new Recorder(m, 10);
            // tolerance 0 never stops early; CG's residual reaches exactly 0 only by accident
            SolverResult r = new TikhonovCg(0.5, new StoppingRule(ITERATIONS, 0, 10))
                    .solve(a, y, m.zeros(plane), recorder);
            assertTrue(r.iterations() >= ITERATIONS / 2, "CG stopped after " + r.iterations());
            assertFlat("Tikhonov-CG", recorder.samples);
        }
    }

    @Test
    void aBatchOfReconstructionsKeepsMemoryFlat() {
        int runs = 50;
        Random random = new Random(3);
        List<Sample> samples = new ArrayList<>();
        try (Reconstruction reconstruction = new Reconstruction()) {
            // the tasks that reconstruct from an image (MRI measurements are k-space)
            List<Task> tasks = List.of(Task.DENOISE, Task.SUPER_RESOLUTION, Task.INPAINT);
            for (int i = 0; i < runs; i++) {
                Task task = tasks.get(i % tasks.size());
                int scale = task == Task.SUPER_RESOLUTION ? 2 : 1;
                int side = SIZE / scale;
                float[] pixels = new float[side * side];
                for (int k = 0; k < pixels.length; k++) {
                    // a bright square on a ramp, noise, and a few missing pixels
                    int yy = k / side;
                    int xx = k % side;
                    boolean inSquare = Math.abs(yy - side / 2) < side / 4 && Math.abs(xx - side / 2) < side / 4;
                    pixels[k] = random.nextDouble() < 0.05 ? Float.NaN
                            : (float) (xx + (inSquare ? 200 : 0) + 10 * random.nextGaussian());
                }
                Image input = new Image(pixels, 1, 1, side, side, null);
                Method method = i % 2 == 0 ? Method.TV : Method.TIKHONOV;
                reconstruction.run(input, new ReconstructionSettings(task, scale, NoiseLevel.given(10.0), method), Progress.NONE);
                // nothing of a finished run may stay on the device
                assertEquals(0, reconstruction.liveArrayCount(), "live arrays after run " + i);
                samples.add(new Sample(i, 0, rssKb()));
            }
        }
        assertFlat("Reconstruction batch", samples);
    }

    /** After a warm-up tenth, RSS grows < 50 MB in all and < 20 MB over the second half; arrays never grow. */
    private static void assertFlat(String what, List<Sample> samples) {
        int warm = samples.size() / 10;
        Sample first = samples.get(warm);
        Sample middle = samples.get(samples.size() / 2);
        Sample last = samples.get(samples.size() - 1);
        int maxArrays = samples.stream().skip(warm).mapToInt(Sample::liveArrays).max().orElseThrow();
        long maxRss = samples.stream().skip(warm).mapToLong(Sample::rssKb).max().orElseThrow();
        System.out.printf("%s: %d samples; live arrays %d after warm-up, max %d, last %d; RSS after warm-up %d MB,"
                        + " middle %d MB, last %d MB, max %d MB%n", what, samples.size(), first.liveArrays, maxArrays,
                last.liveArrays, first.rssKb / 1024, middle.rssKb / 1024, last.rssKb / 1024, maxRss / 1024);
        assertTrue(maxArrays <= first.liveArrays, what + ": live NDArrays grew from " + first.liveArrays + " to "
                + maxArrays + " (a leak per step)");
        assertTrue(maxRss - first.rssKb < RSS_GROWTH_LIMIT_KB, what + ": RSS grew by "
                + (maxRss - first.rssKb) / 1024 + " MB after warm-up");
        assertTrue(last.rssKb - middle.rssKb < RSS_TREND_LIMIT_KB, what + ": RSS grew by "
                + (last.rssKb - middle.rssKb) / 1024 + " MB over the second half");
    }

    /** Resident set size after a full GC, so Java heap growth (G1 uncommits after System.gc) is not counted. */
    static long rssKb() {
        System.gc();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }
}
