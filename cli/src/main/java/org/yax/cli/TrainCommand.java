package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yax.core.Progress;
import org.yax.models.ModelCard;
import org.yax.models.net.Head;
import org.yax.models.train.MultiTaskTraining;
import org.yax.models.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yax train}: trains (or fine-tunes) the multi-task network on folders of clean images. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the multi-task network (shared trunk; denoise, sr2, sr4 and inpaint heads) on patches of "
                + "clean images degraded on the fly with the same operators reconstruct inverts. Checkpoints go to "
                + "OUTDIR/checkpoint; running again with the same OUTDIR resumes. Loss curves: OUTDIR/loss.csv and "
                + "OUTDIR/loss.png; the model: OUTDIR/NAME.params + NAME.json (use it with --model)."},
        footer = {"", "Exit codes: 0 done, 1 fatal error, 2 usage error, 130 interrupted (checkpoint kept)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", split = ",",
            description = "Folders of clean images, recursive (default: the sample data's training/ folder).")
    List<Path> data;

    @Option(names = {"-o", "--output"}, paramLabel = "OUTDIR", required = true,
            description = "Checkpoints, loss curves and the trained model.")
    Path output;

    @Option(names = "--name", defaultValue = "yax-mt-user", description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--steps", defaultValue = "20000", description = "Total optimisation steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--patches", defaultValue = "4", description = "Patches per head and step (default: ${DEFAULT-VALUE}).")
    int patches;

    @Option(names = "--patch", defaultValue = "64", description = "Patch side in pixels, multiple of 4 (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak Adam learning rate, cosine decay (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the patch stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--weights", paramLabel = "head=w,...", split = ",", defaultValue = "denoise=1,sr2=1,sr4=1,inpaint=1",
            description = "Loss weight per head; 0 leaves a head as it is (default: ${DEFAULT-VALUE}).")
    List<String> weights;

    @Option(names = "--widths", paramLabel = "c1,c2,c3", split = ",", defaultValue = "32,64,96",
            description = "Trunk channels at full, half and quarter resolution (default: ${DEFAULT-VALUE}).")
    int[] widths;

    @Option(names = "--init", paramLabel = "MODEL",
            description = "Start from a model (a built-in name or a .params file): fine-tuning.")
    String init;

    @Option(names = "--reset-heads", paramLabel = "head,...", split = ",",
            description = "With --init: give these heads fresh random weights first (revive or retrain a head).")
    List<String> resetHeads = List.of();

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<Head, Double> headWeights = new EnumMap<>(Head.class);
        try {
            for (String w : weights) {
                String[] kv = w.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--weights entries look like denoise=1, got '" + w + "'");
                }
                headWeights.put(Head.fromName(kv[0].trim()), Double.parseDouble(kv[1].trim()));
            }
            if (widths.length != 3) {
                throw new IllegalArgumentException("--widths needs three numbers, got " + widths.length);
            }
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        List<Path> folders = data != null ? data : List.of(DataFolders.sampleData().resolve("training"));
        Path initParams = init == null ? null : Path.of(init);
        TrainingSettings settings;
        try {
            settings = new TrainingSettings(folders, output, steps, patches, patch, learningRate, seed, headWeights,
                    widths, initParams, checkpointEvery, resetHeads.stream().map(Head::fromName).toList());
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        ModelCard base = new ModelCard(name, "multi-task restoration network trained with yax train", widths,
                MultiTaskTraining.allHeads(), "1 (multi-band images are processed band by band)",
                folders.stream().map(Path::toString).toList(), "", 0, Map.of());
        try (Interrupts interrupts = Interrupts.install()) {
            return train(settings, base, interrupts, out);
        }
    }

    private int train(TrainingSettings settings, ModelCard base, Interrupts interrupts, PrintWriter out)
            throws IOException {
        Progress progress = new Progress() {
            @Override
            public void report(double fraction, String message) {
                out.println(String.format(Locale.ROOT, "train: %5.1f%% %s", 100 * fraction, message));
                out.flush();
            }

            @Override
            public boolean isCancelled() {
                return interrupts.requested();
            }
        };
        Path model = new MultiTaskTraining(settings).run(base, progress);
        out.println("train: model written to " + model + " (card " + org.yax.models.ModelFiles.cardPath(model) + ")");
        return interrupts.requested() ? Yax.EXIT_INTERRUPTED : Yax.EXIT_OK;
    }
}
