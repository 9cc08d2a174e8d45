package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yax.core.task.Method;
import org.yax.core.task.Task;
import org.yax.models.ModelCard;
import org.yax.models.ModelRegistry;
import org.yax.models.net.Head;
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
            out.println("  auto:     " + autoChoices(card));
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

    /** What --method auto does with this model, task by task (from its card's validation). */
    static String autoChoices(ModelCard card) {
        record Use(Task task, int scale) { }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Use use : new Use[] {new Use(Task.DENOISE, 1), new Use(Task.SUPER_RESOLUTION, 2),
            new Use(Task.SUPER_RESOLUTION, 4), new Use(Task.INPAINT, 1), new Use(Task.DEBLUR, 1),
            new Use(Task.MRI, 1)}) {
            Task task = use.task();
            int scale = use.scale();
            Method m = card.autoMethod(task, scale);
            Head head = Head.of(task, scale);
            boolean fromHead = m == Method.PNP && head != null && card.heads().contains(head.cliName());
            parts.add(task.cliName() + (scale > 1 ? " x" + scale : "") + ": "
                    + (m == null ? "tv" : fromHead ? "pnp from its head" : m.cliName()));
        }
        return String.join(", ", parts) + " (DICOM series on the volume path: 3-D TV)";
    }
}
