package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.solve.StoppingRule;

/** A = I: y is the image plus noise. */
final class DenoiseRecipe extends TaskRecipe {
    /** TV weight per unit of noise sigma (best of 0.5..1.3 on skimage camera at sigma 25). */
    static final double TV_WEIGHT = 0.9;

    @Override public Task task() { return Task.DENOISE; }

    @Override LinearOperator taskOperator(Shape grid, NDArray observed) { return new Identity(grid); }

    @Override double tvWeightPerSigma() { return TV_WEIGHT; }

    @Override double tikhonovWeightPerRatioSquared() { return 100; }

    /** A = I is strongly convex: PDHG's accelerated form converges in fewer iterations. */
    @Override public StoppingRule tvStopping() { return StoppingRule.of(300, 1e-4); }
}
