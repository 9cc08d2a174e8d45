package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;
import org.yax.core.Progress;

/**
 * The codebase's one conjugate-gradient loop: x with M x = b for a symmetric positive definite M (normal
 * equations such as (A^H A + mu D^H D) x = A^H y). Scalars stay on the device; the host reads the residual
 * only at a stopping rule's checkpoints.
 */
final class ConjugateGradient {
    private ConjugateGradient() { }

    /**
     * Until the relative residual ||b - M x|| / ||b|| falls below the rule's tolerance (at a checkpoint) or its
     * iterations run out; every step's arrays are freed by {@code scope} (b must live in it).
     */
    static SolverResult solve(UnaryOperator<NDArray> m, NDArray b, NDArray start, StoppingRule stopping,
                              String label, Progress progress, IterationScope scope) {
        return run(m, b, scope.adopt(start.duplicate()), stopping.maxIterations(), stopping, label, progress, scope);
    }

    /** Exactly {@code iterations} steps without reading the residual (an inner solve, e.g. a data step). */
    static NDArray iterate(UnaryOperator<NDArray> m, NDArray b, NDArray start, int iterations) {
        return run(m, b, start.duplicate(), iterations, null, null, Progress.NONE, null).estimate();
    }

    /** @param stopping null: run all iterations, no residual read, no progress */
    private static SolverResult run(UnaryOperator<NDArray> m, NDArray b, NDArray x, int maxIterations,
                                    StoppingRule stopping, String label, Progress progress, IterationScope scope) {
        double bNorm = stopping == null ? Double.NaN : b.norm().getFloat();
        NDArray r = b.sub(m.apply(x));
        NDArray p = r.duplicate();
        NDArray rr = r.square().sum();
        double tolerance = stopping == null ? Double.NEGATIVE_INFINITY : stopping.tolerance();
        double residual = stopping == null ? Double.POSITIVE_INFINITY
                : bNorm == 0 ? 0 : Math.sqrt(rr.getFloat()) / bNorm;
        int it = 0;
        while (it < maxIterations && residual > tolerance) {
            progress.checkCancelled();
            it++;
            NDArray mp = m.apply(p);
            NDArray alpha = rr.div(p.mul(mp).sum().maximum(Float.MIN_NORMAL));
            x = x.add(p.mul(alpha));
            r = r.sub(mp.mul(alpha));
            NDArray rrNew = r.square().sum();
            p = r.add(p.mul(rrNew.div(rr.maximum(Float.MIN_NORMAL))));
            rr = rrNew;
            if (stopping != null && stopping.isCheckpoint(it)) {
                residual = Math.sqrt(rr.getFloat()) / bNorm;
                progress.report((double) it / maxIterations, label + ", iteration " + it);
            }
            if (scope != null) {
                scope.endStep(x, r, p, rr, b);
            }
        }
        return stopping == null ? new SolverResult(x, it, Double.NaN, true)
                : new SolverResult(x, it, residual, residual <= tolerance);
    }
}
