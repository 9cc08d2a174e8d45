package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Objects;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Psf;

/** A = convolution with a known point-spread function (symmetric boundaries): y is a blurred image. */
final class DeblurRecipe extends TaskRecipe {
    /**
     * TV weight per unit of noise sigma. Best of 0.05..0.4 (PSNR, 1000 iterations, tolerance 1e-4) on the centre
     * 256 x 256 of skimage camera and 160 x 160 of BrainProtonDensitySlice, gaussian:1.5, box:5 and motion:9:30 at
     * sigma 1% and 2% of the range (e.g. camera gaussian:1.5 at 2%: 0.07 28.97, 0.1 28.98, 0.14 28.91, 0.2 28.82 dB;
     * blurred 25.96). At 5% noise 0.14..0.2 is best and 0.1 loses 0.2..0.7 dB. Below 1% the floor
     * {@link #MIN_WEIGHT_OF_RANGE} takes over.
     */
    static final double TV_WEIGHT = 0.1;
    /**
     * Tikhonov mu per squared noise-to-range ratio: best of 3..1000 on the camera crop above (gaussian:1.5 and
     * box:5 at 2% and 5%); on the MRI crop 30 would be 0.3..0.6 dB better.
     */
    static final double TIKHONOV_WEIGHT = 100;

    private final Psf psf;

    DeblurRecipe(Psf psf) {
        this.psf = Objects.requireNonNull(psf, "task deblur needs a psf");
    }

    @Override public Task task() { return Task.DEBLUR; }

    @Override LinearOperator taskOperator(Shape grid, NDArray observed) { return psf.operator(grid); }

    @Override double tvWeightPerSigma() { return TV_WEIGHT; }

    @Override double tikhonovWeightPerRatioSquared() { return TIKHONOV_WEIGHT; }

    /** The blur reaches the PSF's radius, and A^H A twice that. */
    @Override public int operatorHalo() { return 2 * psf.radius(); }

    @Override public void provenance(Map<String, String> parameters) {
        parameters.put("psf", psf.toString());
    }
}
