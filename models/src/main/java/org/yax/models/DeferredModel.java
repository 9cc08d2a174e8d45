package org.yax.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.core.task.Task;
import org.yax.models.net.Head;

/**
 * A model for {@code --method auto} that loads its weights (and the engine) only when a solve first needs them:
 * what auto stands for is read from the card, so a run that ends up on the classical solver (e.g. a DICOM series
 * on the 3-D TV volume path) never pays the engine's memory. If the weights then fail to load, auto falls back to
 * the classical solver and {@link #note()} says why, as it does for a model that fails up front.
 */
final class DeferredModel implements RestorationNetwork {
    private final String nameOrPath;
    private final ModelCard card;
    private LearnedModel loaded;
    private String note;

    DeferredModel(String nameOrPath, ModelCard card) {
        this.nameOrPath = nameOrPath;
        this.card = card;
    }

    /** Why auto used the classical solver after all (the weights did not load), or null. */
    synchronized String note() {
        return note;
    }

    /** Whether the weights were loaded (for tests and memory checks). */
    synchronized boolean isLoaded() {
        return loaded != null;
    }

    /** Loads once; null (and a note) when the weights cannot be loaded. */
    private synchronized LearnedModel tryLoad() {
        if (loaded == null && note == null) {
            try {
                loaded = ModelRegistry.load(nameOrPath, Engine.getInstance().defaultDevice());
            } catch (IOException | RuntimeException e) {
                note = ModelChoice.unavailable(nameOrPath, e);
            }
        }
        return loaded;
    }

    private LearnedModel model() {
        LearnedModel m = tryLoad();
        if (m == null) {
            throw new IllegalStateException(note());
        }
        return m;
    }

    @Override
    public String name() {
        return card.name();
    }

    @Override
    public boolean hasHead(Task task, int scale) {
        Head h = Head.of(task, scale);
        return h != null && card.heads().contains(h.cliName());
    }

    /** The card's choice; loading the weights here means a solve that uses them never starts without them. */
    @Override
    public Method preferredMethod(Task task, int scale) {
        Method m = card.autoMethod(task, scale);
        return m == null || tryLoad() == null ? null : m;
    }

    @Override
    public int halo() {
        return LearnedModel.HALO;
    }

    @Override
    public NDArray restore(Task task, int scale, NDArray y, NDArray observed, double sigma) {
        return model().restore(task, scale, y, observed, sigma);
    }

    @Override
    public NDArray denoise(NDArray noisy, double sigma) {
        return model().denoise(noisy, sigma);
    }

    @Override
    public RestorationNetwork adaptedTo(Task task, int scale, float[] y, boolean[] observed, int height, int width,
                                        double sigma, int steps) {
        return model().adaptedTo(task, scale, y, observed, height, width, sigma, steps);
    }

    /** The card's choice for through-plane super-resolution (the weights load as for preferredMethod). */
    @Override
    public boolean preferredThroughPlane() {
        return card.autoUses(LearnedModel.THROUGH_PLANE_AUTO) && tryLoad() != null;
    }

    @Override
    public org.yax.core.solve.ThroughPlaneNetwork throughPlane(org.yax.core.task.ThroughPlaneRecipe recipe,
                                                               org.yax.core.solve.SliceRows thick, int depth,
                                                               int height, int width,
                                                               double sigma, int steps) {
        return model().throughPlane(recipe, thick, depth, height, width, sigma, steps);
    }

    @Override
    public synchronized void close() {
        if (loaded != null) {
            loaded.close();
        }
    }
}
