package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.yax.core.ReconstructionSettings;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;
import org.yax.core.op.Psf;
import org.yax.core.solve.StoppingRule;

/**
 * A task as DeepInverse's physics: how to build the forward operator A for a window of measurements, and how
 * the task tunes its classical solvers (weights per noise sigma, stopping rule), how far A reaches (for halos)
 * and what it adds to provenance. One small subclass per {@link Task}; {@link #of} is the only mapping.
 */
public abstract sealed class TaskRecipe
        permits DenoiseRecipe, SuperResolutionRecipe, InpaintRecipe, DeblurRecipe, MriRecipe {
    /** Smallest regularisation relative to the plane's value range, so noiseless data still gets a stable solve. */
    static final double MIN_WEIGHT_OF_RANGE = 0.001;

    /** The recipe of a task; {@code scale} is used by super-resolution, {@code psf} by deblurring. */
    public static TaskRecipe of(Task task, int scale, Psf psf) {
        return switch (task) {
            case DENOISE -> new DenoiseRecipe();
            case SUPER_RESOLUTION -> new SuperResolutionRecipe(scale);
            case INPAINT -> new InpaintRecipe();
            case DEBLUR -> new DeblurRecipe(psf);
            case MRI -> new MriRecipe();
        };
    }

    public static TaskRecipe of(ReconstructionSettings settings) {
        return of(settings.task(), settings.scale(), settings.psf());
    }

    public abstract Task task();

    /** In-plane upscaling of the estimate relative to the measurement (1 but for super-resolution). */
    public int scale() {
        return 1;
    }

    /**
     * A for a window whose measurement grid is {@code grid} (a 2-D plane or tile, or a 3-D slab for denoising and
     * inpainting). Missing pixels are not measurements: with an {@code observed} mask (1 observed, 0 missing) they
     * are masked out of A. Pass it when pixels are missing, and always for a task that {@link #fillsMissing}.
     */
    public final LinearOperator operator(Shape grid, NDArray observed) {
        LinearOperator a = taskOperator(grid, observed);
        return observed != null && !fillsMissing() ? new Mask(observed).after(a) : a;
    }

    /** The task's own A on the measurement grid. */
    abstract LinearOperator taskOperator(Shape grid, NDArray observed);

    /** Whether missing pixels are the unknowns (inpainting); otherwise they stay missing in the result. */
    public boolean fillsMissing() {
        return false;
    }

    /** What {@code --method auto} uses without a learned model. */
    public Method defaultSolver() {
        return Method.TV;
    }

    /** TV weight lambda per unit of noise sigma. */
    abstract double tvWeightPerSigma();

    /** Tikhonov mu per squared noise-to-range ratio. */
    abstract double tikhonovWeightPerRatioSquared();

    /** TV weight lambda for noise {@code sigma} on a plane spanning {@code range} (image units). */
    public final double tvWeight(double sigma, double range) {
        return Math.max(tvWeightPerSigma() * sigma, MIN_WEIGHT_OF_RANGE * range);
    }

    /** mu for ||Ax - y||^2 + mu ||Dx||^2: grows with the noise-to-range ratio; dimensionless. */
    public final double tikhonovWeight(double sigma, double range) {
        double ratio = Math.max(sigma / range, MIN_WEIGHT_OF_RANGE);
        return tikhonovWeightPerRatioSquared() * ratio * ratio;
    }

    public StoppingRule tvStopping() {
        return StoppingRule.of(1000, 1e-4);
    }

    public StoppingRule tikhonovStopping() {
        return StoppingRule.of(500, 1e-5);
    }

    /** Plug-and-play iterations: DPIR's 8 from the measurement, more from the task's head (validated). */
    int pnpIterations(boolean fromHead) {
        return fromHead ? 12 : 8;
    }

    /**
     * Plug-and-play's first denoiser strength, normalised (chosen with {@link #pnpIterations} on the validation
     * images of docs/MODELS.md): DPIR's 50/255 from the measurement; from the task's head, whose estimate is
     * already close, only the prior's weaker steps.
     */
    double pnpSigmaStart(boolean fromHead) {
        return fromHead ? 15.0 / 255 : 50.0 / 255;
    }

    /**
     * The plug-and-play schedule this task runs: its own ({@link #pnpIterations}, {@link #pnpSigmaStart}), unless
     * the system properties {@value #ITERATIONS_PROPERTY} or {@value #SIGMA_START_PROPERTY} (in 1/255) override it:
     * the way scripts/tune-pnp.sh tries schedules on the validation images without a rebuild.
     */
    public final PnpSchedule pnpSchedule(boolean fromHead) {
        String iterations = System.getProperty(ITERATIONS_PROPERTY);
        String start = System.getProperty(SIGMA_START_PROPERTY);
        return new PnpSchedule(iterations == null ? pnpIterations(fromHead) : Integer.parseInt(iterations),
                start == null ? pnpSigmaStart(fromHead) : Double.parseDouble(start) / 255);
    }

    static final String ITERATIONS_PROPERTY = "yax.pnp.iterations";
    static final String SIGMA_START_PROPERTY = "yax.pnp.sigmaStart";

    /** Plug-and-play's number of iterations (network calls) and first denoiser strength, normalised. */
    public record PnpSchedule(int iterations, double sigmaStart) { }

    /**
     * Input pixels A adds to a solver's reach for tiles: A^H A spreads a pixel over twice A's own reach. Every
     * task's A (identity, mask, area downsampling) but the blur maps a pixel onto its own block: 0.
     */
    public int operatorHalo() {
        return 0;
    }

    /** The parameters this task adds to a derivation (e.g. the PSF); scale is the derivation's own field. */
    public void provenance(Map<String, String> parameters) { }
}
