package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.task.Task;

/**
 * A learned restoration network as the solvers see it: direct heads for some tasks, and a denoiser for any
 * noise level (the plug-and-play prior). It works in normalised units: the plane's value range mapped to
 * [0, 1] and sigma divided by that range ({@link org.yax.core.Reconstruction} does the mapping).
 * Implementations live in the models module; results belong to the input's manager.
 */
public interface RestorationNetwork extends Denoiser, AutoCloseable {
    /** Registry name or file the network came from, for reports. */
    String name();

    /** Whether a direct head restores this task at this scale. */
    boolean hasHead(Task task, int scale);

    /**
     * The head's estimate of x.
     *
     * @param y        (h, w) normalised measurement (unobserved pixels hold any value)
     * @param observed (h, w) 1 where observed, 0 where missing, or null when all pixels are observed
     * @param sigma    noise standard deviation of y, normalised
     * @return (h * scale, w * scale)
     */
    NDArray restore(Task task, int scale, NDArray y, NDArray observed, double sigma);

    /**
     * What {@code --method auto} should do with this network for a task and scale: NETWORK (its head beat the
     * classical solvers in validation), PNP, or null (a classical solver is better).
     */
    org.yax.core.task.Method preferredMethod(Task task, int scale);

    /**
     * Whether {@code --method auto} uses this network for through-plane super-resolution: its card's validation
     * preferred it there (task sr-z).
     */
    default boolean preferredThroughPlane() {
        return false;
    }

    /**
     * The network for through-plane super-resolution of one volume: its sr head for the recipe's scale (x2 for
     * scales 2-3, x4 above), adapted by {@code steps} steps on the volume's own in-plane data when steps > 0 (pairs
     * made by applying the recipe's slice profile along one in-plane axis, SMORE's idea); this network is untouched.
     *
     * @param thick the thick slices, normalised (depth slices of height * width values)
     * @throws IllegalArgumentException when the model cannot serve it (no sr head, a TorchScript model)
     */
    default ThroughPlaneNetwork throughPlane(org.yax.core.task.ThroughPlaneRecipe recipe, SliceRows thick, int depth,
                                             int height, int width, double sigma, int steps) {
        throw new IllegalArgumentException("model " + name() + " cannot refine through the plane");
    }

    /** Pixels of context the network needs on each side of a tile for tiled results to match whole ones. */
    int halo();

    /**
     * A copy adapted to one measurement by {@code steps} self-supervised steps (no ground truth: a loss
     * built from the known forward model and noise); this network and its stored weights are untouched.
     * The caller closes the copy.
     */
    RestorationNetwork adaptedTo(Task task, int scale, float[] y, boolean[] observed, int height, int width,
                                 double sigma, int steps);

    /** Frees the weights this instance holds. */
    @Override
    void close();
}
