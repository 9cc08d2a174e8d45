package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.yax.core.op.Downsample;
import org.yax.core.op.LinearOperator;

/** A = area downsampling by the scale factor: y is a low-resolution image. */
final class SuperResolutionRecipe extends TaskRecipe {
    /** TV weight per unit of noise sigma (best of 0.15..1 on camera, x2); inpainting and MRI use it too. */
    static final double TV_WEIGHT = 0.2;

    private final int scale;

    SuperResolutionRecipe(int scale) {
        this.scale = scale;
    }

    @Override public Task task() { return Task.SUPER_RESOLUTION; }

    @Override public int scale() { return scale; }

    @Override LinearOperator taskOperator(Shape grid, NDArray observed) { return Downsample.toLowRes(grid, scale); }

    @Override double tvWeightPerSigma() { return TV_WEIGHT; }

    @Override double tikhonovWeightPerRatioSquared() { return 10; }

    /**
     * From the heads' estimates, shorter schedules keep the PSNR (#17, tuned on the validation images, docs/MODELS.md):
     * x2 is close enough for half the iterations from a weaker prior; x4 takes two fewer from a stronger start.
     */
    @Override public int pnpIterations(boolean fromHead) {
        if (!fromHead) {
            return super.pnpIterations(false);
        }
        return switch (scale) {
            case 2 -> 6;
            case 4 -> 10;
            default -> super.pnpIterations(true);
        };
    }

    @Override public double pnpSigmaStart(boolean fromHead) {
        if (!fromHead) {
            return super.pnpSigmaStart(false);
        }
        return switch (scale) {
            case 2 -> 10.0 / 255;
            case 4 -> 20.0 / 255;
            default -> super.pnpSigmaStart(true);
        };
    }
}
