package org.yax.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import org.yax.core.task.Method;
import org.yax.models.LearnedModel;
import org.yax.models.ModelRegistry;

/**
 * Which learned model a command uses (--model NAME|PATH|none) given the method: learned methods need one
 * (a model that cannot be loaded is a usage error); auto uses it when it loads and otherwise falls back to
 * the classical solver with a note; classical methods load nothing.
 *
 * @param model the loaded model, or null
 * @param note  why auto runs without a model, or null
 */
record ModelChoice(LearnedModel model, String note) implements AutoCloseable {
    static final String NONE = "none";

    static ModelChoice of(String modelOption, Method method, boolean needsModel) {
        boolean none = NONE.equalsIgnoreCase(modelOption);
        if (method.isLearned() || needsModel) {
            if (none) {
                throw new Yax.UsageException("method " + method.cliName() + " needs a model: --model NAME|PATH (see yax models)");
            }
            try {
                return new ModelChoice(ModelRegistry.load(modelOption, Engine.getInstance().defaultDevice()), null);
            } catch (IOException e) {
                throw new Yax.UsageException(Yax.oneLine(e));
            }
        }
        if (method != Method.AUTO || none) {
            return new ModelChoice(null, null);
        }
        try {
            return new ModelChoice(ModelRegistry.load(modelOption, Engine.getInstance().defaultDevice()), null);
        } catch (IOException | RuntimeException e) {
            return new ModelChoice(null, "model " + modelOption + " unavailable (" + Yax.oneLine(e)
                    + "): auto used the classical solver");
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
