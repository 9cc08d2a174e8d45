package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yax.core.op.HostPool;

/**
 * RowPipeline's schedule on a recurrence with the row kernels' reads, updated in place: row r of stage s reads the
 * row below as stage s - 1 left it and the row above as stage s made it. Any schedule that lets a stage run ahead of
 * what it reads gives other numbers than the plain loops.
 */
class RowPipelineTest {
    @AfterEach
    void reset() {
        HostPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static double next(double[] a, int stage, int r) {
        double below = r + 1 < a.length ? a[r + 1] : 0;
        double above = r > 0 ? a[r - 1] : 0;
        return Math.sin(a[r] + 0.5 * below) + 0.25 * above + stage;
    }

    private static double[] start(int rows) {
        double[] a = new double[rows];
        for (int r = 0; r < rows; r++) {
            a[r] = Math.cos(r * 0.37);
        }
        return a;
    }

    @Test
    void givesWhatStageAfterStageGivesOnAnyThreadCount() {
        int[][] cases = {{1, 1}, {1, 7}, {5, 1}, {10, 2}, {10, 512}, {16, 33}, {17, 40}, {40, 9}, {3, 100}};
        for (int threads : new int[] {1, 2, 3, 4}) {
            HostPool.setThreads(threads);
            for (int depth : new int[] {1, 2, 4, RowPipeline.MAX_STAGES}) {
                for (int[] c : cases) {
                    check(threads, depth, c[0], c[1]);
                }
            }
        }
    }

    private static void check(int threads, int depth, int stages, int rows) {
        double[] expected = start(rows);
        for (int s = 0; s < stages; s++) {
            for (int r = 0; r < rows; r++) {
                expected[r] = next(expected, s, r);
            }
        }
        double[] actual = start(rows);
        RowPipeline.run(stages, rows, (s, r) -> actual[r] = next(actual, s, r), depth);
        assertArrayEquals(expected, actual, threads + " threads, " + depth + " stages per pass, " + stages
                + " stages, " + rows + " rows");
    }

    @Test
    void aFailingRowFailsTheRunWithoutLeavingOtherPartsWaiting() {
        HostPool.setThreads(2);
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            // many times: the part that waits on the failed one may reach the pool with its own exception first,
            // and the caller must still see the row's failure
            for (int attempt = 0; attempt < 300; attempt++) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> RowPipeline.run(10, 200, (s, r) -> {
                            if (s == 2 && r == 50) {
                                throw new IllegalArgumentException("row 50 of stage 2");
                            }
                        }, 10), "attempt " + attempt);
                assertEquals("row 50 of stage 2", e.getMessage());
            }
        });
    }
}
