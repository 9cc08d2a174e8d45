package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.Gradient;
import org.yax.core.op.HostOperator;
import org.yax.core.op.LinearOperator;

/**
 * The same problem as {@link TvPdhg}, 1/2 ||A x - y||^2 + lambda TV(x), by FISTA (Beck and Teboulle
 * 2009): a gradient step on the data term with step 1/L, L = ||A||^2, then the TV proximal map
 * ({@link TvProx}, warm-started), with Nesterov momentum.
 */
public final class FistaTv implements Solver {
    private final double lambda;
    private final StoppingRule stopping;
    private final int innerIterations;

    public FistaTv(double lambda, StoppingRule stopping) {
        this(lambda, stopping, 10);
    }

    /** @param innerIterations dual iterations of the TV proximal map per outer iteration */
    public FistaTv(double lambda, StoppingRule stopping, int innerIterations) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("TV weight lambda must be a positive finite number, got " + lambda);
        }
        this.lambda = lambda;
        this.stopping = stopping;
        this.innerIterations = innerIterations;
    }

    @Override
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        double lipschitz = Double.isNaN(a.gramScalar()) ? Math.pow(OperatorNorm.estimate(a, y.getManager(), 20) * 1.01, 2)
                : a.gramScalar();
        double step = 1 / lipschitz;
        HostOperator host = ComputePath.hostOperator(a, y);
        HostGrid grid = host == null ? null : HostGrid.of(a.inputShape(), null);
        if (grid != null) {
            HostTv.Outcome r = HostTv.fista(host, grid, lambda, stopping, lipschitz, innerIterations, y.toFloatArray(),
                    x0.toFloatArray(), progress);
            return new SolverResult(y.getManager().create(r.estimate(), a.inputShape()), r.iterations(), r.change(),
                    r.converged());
        }
        try (IterationScope scope = new IterationScope(y.getManager());
             TvProx prox = new TvProx(new Gradient(a.inputShape()), innerIterations)) {
            NDArray x = scope.adopt(x0.duplicate());
            NDArray z = x.duplicate();
            double t = 1;
            double change = Double.NaN;
            int it = 0;
            boolean converged = false;
            while (it < stopping.maxIterations() && !converged) {
                progress.checkCancelled();
                it++;
                NDArray gradient = a.applyAdjoint(a.apply(z).sub(y));
                NDArray xNew = prox.apply(z.sub(gradient.mul(step)), lambda * step);
                double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                z = xNew.add(xNew.sub(x).mul((t - 1) / tNew));
                t = tNew;
                if (stopping.isCheckpoint(it)) {
                    change = TvPdhg.relativeChange(xNew, x);
                    converged = change < stopping.tolerance();
                    progress.report((double) it / stopping.maxIterations(), "TV (FISTA), iteration " + it);
                }
                x = xNew;
                scope.endStep(x, z, prox.dualField());
            }
            return new SolverResult(scope.release(x), it, change, converged);
        }
    }
}
