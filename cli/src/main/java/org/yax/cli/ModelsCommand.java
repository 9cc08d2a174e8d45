package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yax.models.ModelCard;
import org.yax.models.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code yax models}: the built-in learned models with their tasks, channels, training data and scores. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Lists the built-in learned models: tasks (heads), channels, training data, recipe and "
                + "validation scores on held-out images. User models are .params files from yax train (--model PATH)."})
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        for (ModelCard card : ModelRegistry.builtins()) {
            out.println(card.name() + (card.name().equals(ModelRegistry.DEFAULT_MODEL) ? " (default)" : ""));
            out.println("  " + card.description());
            out.println("  tasks:    " + String.join(", ", card.heads()) + " (direct heads); pnp: any operator");
            out.println("  channels: " + card.channels());
            out.println("  trunk:    widths " + card.widths()[0] + "/" + card.widths()[1] + "/" + card.widths()[2]
                    + ", " + card.steps() + " training steps");
            out.println("  training: " + String.join(", ", card.trainingData()));
            out.println("  recipe:   " + card.recipe());
            out.println("  validation (held-out images, PSNR dB):");
            for (Map.Entry<String, Double> e : card.validation().entrySet()) {
                out.printf(java.util.Locale.ROOT, "    %-50s %7.2f%n", e.getKey(), e.getValue());
            }
        }
        out.flush();
        return Yax.EXIT_OK;
    }
}
