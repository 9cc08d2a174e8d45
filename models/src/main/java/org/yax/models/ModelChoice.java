package org.yax.models;

import ai.djl.engine.Engine;
import java.io.IOException;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;

/**
 * Which learned model a front end uses ({@code --model NAME|PATH|none}, a dialog's "model" field) given the
 * method: learned methods need one (a model that cannot be loaded is the user's error); auto uses it when it
 * loads and otherwise falls back to the classical solver with a note; classical methods load nothing.
 *
 * @param model the model (the caller closes this choice), or null; for auto it may load on first use
 * @param note  why auto runs without a model, or null
 */
public record ModelChoice(RestorationNetwork model, String note) implements AutoCloseable {
    /** The model option that means "no learned model". */
    public static final String NONE = "none";

    public static ModelChoice none() {
        return new ModelChoice(null, null);
    }

    /**
     * @param needsModel load it even for a classical method (e.g. an evaluation that lists learned methods)
     * @throws IllegalArgumentException when a learned method is asked for and the model cannot be loaded
     */
    public static ModelChoice of(String modelOption, Method method, boolean needsModel) {
        boolean none = NONE.equalsIgnoreCase(modelOption);
        if (method.isLearned() || needsModel) {
            if (none) {
                throw new IllegalArgumentException("method " + method.cliName()
                        + " needs a model: --model NAME|PATH (see yax models)");
            }
            try {
                return new ModelChoice(ModelRegistry.load(modelOption, Engine.getInstance().defaultDevice()), null);
            } catch (IOException e) {
                throw new IllegalArgumentException(oneLine(e), e);
            }
        }
        if (method != Method.AUTO || none) {
            return none();
        }
        try {
            return new ModelChoice(ModelRegistry.load(modelOption, Engine.getInstance().defaultDevice()), null);
        } catch (IOException | RuntimeException e) {
            return new ModelChoice(null, unavailable(modelOption, e));
        }
    }

    /**
     * As {@link #of(String, Method, boolean)} for a front end that knows the task and scale. For auto nothing is
     * loaded up front: when the model's card says auto uses the classical solver for them
     * ({@link ModelCard#autoMethod}) there is no model at all, otherwise the weights (and the engine) load when
     * a solve first asks for the model ({@link DeferredModel}), so work that stays on the host (e.g. the CPU
     * volume path of a DICOM series) never pays the engine's memory.
     */
    public static ModelChoice of(String modelOption, Method method, org.yax.core.task.Task task, int scale) {
        if (method == Method.AUTO && !NONE.equalsIgnoreCase(modelOption)) {
            ModelCard card;
            try {
                card = ModelRegistry.card(modelOption);
            } catch (IOException | RuntimeException unreadable) {
                return of(modelOption, method, false); // loading reports it (a note for auto), as before
            }
            return card.autoMethod(task, scale) == null ? none()
                    : new ModelChoice(new DeferredModel(modelOption, card), null);
        }
        return of(modelOption, method, false);
    }

    /**
     * The model for through-plane super-resolution ({@code --axes z|xyz}): loaded for the network method; for auto
     * deferred when the card's validation chose the learned method along z ("sr-z" in its auto list), else none (auto
     * is then TV); none for cubic and tv.
     */
    public static ModelChoice ofThroughPlane(String modelOption, Method method) {
        if (method == Method.NETWORK) {
            return of(modelOption, method, false);
        }
        if (method != Method.AUTO || NONE.equalsIgnoreCase(modelOption)) {
            return none();
        }
        try {
            ModelCard card = ModelRegistry.card(modelOption);
            return card.autoUses(LearnedModel.THROUGH_PLANE_AUTO)
                    ? new ModelChoice(new DeferredModel(modelOption, card), null) : none();
        } catch (IOException | RuntimeException unreadable) {
            return new ModelChoice(null, unavailable(modelOption, unreadable));
        }
    }

    /** Why auto runs without a model: set up front, or when a deferred model's weights failed to load. */
    @Override
    public String note() {
        return note != null ? note : model instanceof DeferredModel deferred ? deferred.note() : null;
    }

    static String unavailable(String modelOption, Throwable e) {
        return "model " + modelOption + " unavailable (" + oneLine(e) + "): auto used the classical solver";
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
