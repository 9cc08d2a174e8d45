package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.LinearOperator;
import org.yax.core.task.Task;

/**
 * A learned network's direct head for a task as a solver: one pass, no iterations. It works in the network's
 * normalised units (y's value range mapped to [0, 1]); A only fixes the shapes, the head knows its task.
 */
public final class NetworkHead implements Solver {
    private final RestorationNetwork network;
    private final Task task;
    private final int scale;
    private final NDArray observed;
    private final double sigma;

    /**
     * @param observed 1 where observed, 0 where missing, or null when every pixel is observed
     * @param sigma    noise standard deviation of y, normalised
     */
    public NetworkHead(RestorationNetwork network, Task task, int scale, NDArray observed, double sigma) {
        this.network = network;
        this.task = task;
        this.scale = scale;
        this.observed = observed;
        this.sigma = sigma;
    }

    /** x0 is not used: the head starts from y alone. */
    @Override
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        return new SolverResult(network.restore(task, scale, y, observed, sigma), 1, Double.NaN, true);
    }
}
