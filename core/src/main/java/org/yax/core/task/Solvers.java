package org.yax.core.task;

import ai.djl.ndarray.NDArray;
import org.yax.core.solve.NetworkHead;
import org.yax.core.solve.NonLocalMeans;
import org.yax.core.solve.PnpHqs;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.solve.Solver;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.solve.TvPdhg;

/**
 * The one place a {@link Method} becomes a {@link Solver}, tuned by the task's {@link TaskRecipe} (weights,
 * stopping rule, plug-and-play iterations), and the one place that knows how far each solver reaches (halos).
 */
public final class Solvers {
    /** Non-local means with scikit-image's fast-mode recommendations: 5x5 patches, search radius 6, h = 0.8 sigma. */
    public static final NonLocalMeans NLM = new NonLocalMeans();
    /**
     * Smallest noise level plug-and-play assumes, normalised: noiseless data still needs a prior step; measurements
     * with less noise end on a data step with their own ({@link PnpHqs}).
     */
    static final double PNP_SIGMA_FLOOR = 1.0 / 255;

    private Solvers() { }

    /**
     * The solver for {@code method} on {@code recipe}'s task. Classical methods are tuned in the image's units;
     * learned ones work in the network's normalised units (y mapped so that the plane's range is 1), so they get
     * sigma / range.
     *
     * @param sigma    noise standard deviation of the measurement, image units
     * @param range    the plane's value range, image units
     * @param network  the learned network (learned methods only; may be null otherwise)
     * @param observed the head's mask (1 observed, 0 missing) or null when all are observed (network only)
     * @param diagonalGram A A^H is diagonal: plug-and-play ends on a data step with the measurements' own noise
     *                 where it is below its floor (the projection onto A x = y when they are noiseless)
     */
    public static Solver of(Method method, TaskRecipe recipe, double sigma, double range, RestorationNetwork network,
                            NDArray observed, boolean diagonalGram) {
        return switch (method) {
            case TV -> new TvPdhg(recipe.tvWeight(sigma, range), recipe.tvStopping());
            case TIKHONOV -> new TikhonovCg(recipe.tikhonovWeight(sigma, range), recipe.tikhonovStopping());
            case NLM -> NLM.solver(sigma);
            case NETWORK -> new NetworkHead(network, recipe.task(), recipe.scale(), observed, sigma / range);
            case PNP -> {
                double floor = Math.max(sigma / range, PNP_SIGMA_FLOOR);
                TaskRecipe.PnpSchedule schedule = pnpSchedule(recipe, network);
                yield new PnpHqs(network, schedule.iterations())
                        .solver(floor, Math.max(schedule.sigmaStart(), floor), diagonalGram ? sigma / range : floor);
            }
            case AUTO -> throw new IllegalArgumentException("auto is resolved before solving (MethodResolver)");
            case CUBIC -> throw new IllegalArgumentException(ThroughPlaneRecipe.CUBIC_ONLY);
        };
    }

    /** The plug-and-play schedule {@code recipe} runs with {@code network}: from the task's head where it has one. */
    public static TaskRecipe.PnpSchedule pnpSchedule(TaskRecipe recipe, RestorationNetwork network) {
        return recipe.pnpSchedule(network.hasHead(recipe.task(), recipe.scale()));
    }

    /**
     * How far (input pixels) the solver's estimate at one pixel depends on data elsewhere, for tiles; the task's
     * operator adds {@link TaskRecipe#operatorHalo}.
     */
    public static int reach(Method method, RestorationNetwork network) {
        return switch (method) {
            case TV -> TvPdhg.EMPIRICAL_HALO;
            case TIKHONOV -> TikhonovCg.EMPIRICAL_HALO;
            case NLM -> NLM.reach();
            case NETWORK -> network.halo();
            case PNP -> Math.max(network.halo(), TvPdhg.EMPIRICAL_HALO);
            case AUTO -> throw new IllegalArgumentException("auto is resolved before its reach is known");
            case CUBIC -> throw new IllegalArgumentException(ThroughPlaneRecipe.CUBIC_ONLY);
        };
    }
}
