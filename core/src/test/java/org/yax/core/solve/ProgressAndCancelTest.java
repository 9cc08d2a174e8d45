package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Downsample;
import org.yax.core.op.LinearOperator;

/** Every solver reports rising progress and stops promptly when its caller cancels. */
class ProgressAndCancelTest {
    /** Records fractions and cancels once a given number of reports came in. */
    static final class Recorder implements Progress {
        final List<Double> fractions = new ArrayList<>();
        final int cancelAfter;

        Recorder(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override public void report(double fraction, String message) { fractions.add(fraction); }
        @Override public boolean isCancelled() { return fractions.size() >= cancelAfter; }
    }

    private static void check(BiFunction<NDArray, Progress, SolverResult> solver, NDArray y) {
        Recorder all = new Recorder(Integer.MAX_VALUE);
        solver.apply(y, all);
        assertTrue(all.fractions.size() >= 2, "progress reported " + all.fractions.size() + " times");
        for (int i = 1; i < all.fractions.size(); i++) {
            assertTrue(all.fractions.get(i) >= all.fractions.get(i - 1), "progress went back: " + all.fractions);
        }
        assertTrue(all.fractions.get(all.fractions.size() - 1) <= 1.0);
        Recorder stopper = new Recorder(1);
        assertThrows(Progress.CancelledException.class, () -> solver.apply(y, stopper));
        assertEquals(1, stopper.fractions.size(), "solver went on after cancel");
    }

    @Test
    void everySolverReportsAndCancels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape hi = new Shape(64, 64);
            LinearOperator a = new Downsample(hi, 2);
            NDArray x = m.randomUniform(0, 100, hi);
            NDArray y = a.forward(x);
            NDArray x0 = a.adjoint(y).mul(4);
            StoppingRule rule = new StoppingRule(60, 0, 10);
            check((yy, p) -> new TvPdhg(1, rule).solve(a, yy, x0, p), y);
            check((yy, p) -> new FistaTv(1, rule).solve(a, yy, x0, p), y);
            check((yy, p) -> new TikhonovCg(0.1, new StoppingRule(60, 0, 10)).solve(a, yy, x0, p), y);
            check((yy, p) -> new PnpHqs(new TvDenoiser(0.9, 10), 6).solve(a, yy, x0, 1, 20, p), y);
        }
    }
}
