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
 * RowBands on a recurrence whose steps read the rows above and below as the step before left them (from two arrays
 * used in turn): any band that runs ahead of the barrier, or reads a row another band has not written yet, gives
 * other numbers than the plain loops.
 */
class RowBandsTest {
    @AfterEach
    void reset() {
        HostPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static double next(double[] before, int step, int r) {
        double below = r + 1 < before.length ? before[r + 1] : 0;
        double above = r > 0 ? before[r - 1] : 0;
        return Math.sin(before[r] + 0.5 * below) + 0.25 * above + step;
    }

    @Test
    void givesWhatStepAfterStepGivesOnAnyThreadCount() {
        int[][] cases = {{1, 1}, {1, 7}, {5, 1}, {10, 2}, {10, 512}, {40, 9}, {3, 3}, {7, 4}};
        for (int threads : new int[] {1, 2, 3, 4}) {
            HostPool.setThreads(threads);
            for (int[] c : cases) {
                int steps = c[0];
                int rows = c[1];
                double[][] expected = {new double[rows], new double[rows]};
                double[][] actual = {new double[rows], new double[rows]};
                for (int r = 0; r < rows; r++) {
                    expected[0][r] = actual[0][r] = Math.cos(r * 0.37);
                }
                for (int s = 0; s < steps; s++) {
                    for (int r = 0; r < rows; r++) {
                        expected[(s + 1) % 2][r] = next(expected[s % 2], s, r);
                    }
                }
                RowBands.run(steps, rows, (s, from, to) -> {
                    for (int r = from; r < to; r++) {
                        actual[(s + 1) % 2][r] = next(actual[s % 2], s, r);
                    }
                });
                assertArrayEquals(expected[steps % 2], actual[steps % 2], threads + " threads, " + steps + " steps, "
                        + rows + " rows");
            }
        }
    }

    @Test
    void aFailingBandFailsTheRunWithoutLeavingOtherBandsWaiting() {
        HostPool.setThreads(2);
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RowBands.run(10, 200, (s, from, to) -> {
                        if (s == 3 && from == 0) {
                            throw new IllegalArgumentException("step 3 of the first band");
                        }
                    }));
            assertEquals("step 3 of the first band", e.getMessage());
        });
    }
}
