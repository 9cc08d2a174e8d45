package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.yax.core.op.FourierSampling;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.SamplingMask;
import org.yax.core.solve.StoppingRule;

/**
 * A = line-masked orthonormal Fourier transform (undersampled Cartesian MRI). Its measurements are k-space data,
 * which image files do not hold: only {@link org.yax.core.Evaluation} simulates and inverts it.
 */
public final class MriRecipe extends TaskRecipe {
    @Override public Task task() { return Task.MRI; }

    /** A for a sampling pattern (the acquisition, not a window of an image, decides it). */
    public FourierSampling operator(SamplingMask sampling) {
        return FourierSampling.ofRealImage(sampling);
    }

    /** Windows of an image are no MRI measurement (Reconstruction rejects the task): A comes from a sampling pattern. */
    @Override LinearOperator taskOperator(Shape grid, NDArray observed) {
        throw new IllegalStateException("MRI's A is built from a sampling pattern: operator(SamplingMask)");
    }

    @Override double tvWeightPerSigma() { return SuperResolutionRecipe.TV_WEIGHT; }

    @Override double tikhonovWeightPerRatioSquared() { return 10; }

    @Override public StoppingRule tvStopping() { return StoppingRule.of(500, 1e-5); }

    @Override public StoppingRule tikhonovStopping() { return StoppingRule.of(200, 1e-5); }

    /** Undersampling's aliasing needs more prior steps. */
    @Override int pnpIterations(boolean fromHead) { return 40; }
}
