package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;

/** A = the mask of observed pixels (nodata / NaN are missing): missing pixels are filled. */
final class InpaintRecipe extends TaskRecipe {
    @Override public Task task() { return Task.INPAINT; }

    @Override LinearOperator taskOperator(Shape grid, NDArray observed) {
        return new Mask(Objects.requireNonNull(observed, "inpainting's A is the observed mask"));
    }

    @Override public boolean fillsMissing() { return true; }

    @Override double tvWeightPerSigma() { return SuperResolutionRecipe.TV_WEIGHT; }

    @Override double tikhonovWeightPerRatioSquared() { return 10; }
}
