package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.LinearOperator;

/**
 * Estimates x from y = A x + e (SigPy's alg, DeepInverse's optim): classical ({@link TvPdhg}, {@link FistaTv},
 * {@link TikhonovCg}, {@link NonLocalMeans#solver}) or learned ({@link PnpHqs#solver}, {@link NetworkHead}).
 * {@link org.yax.core.task.Solvers#of} picks one for a method and tunes it for the task.
 */
@FunctionalInterface
public interface Solver {
    /**
     * @param a  forward operator
     * @param y  measurement, shape a.outputShape(); its manager owns the iterations' memory and the estimate
     * @param x0 starting point, shape a.inputShape() (not modified)
     */
    SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress);
}
