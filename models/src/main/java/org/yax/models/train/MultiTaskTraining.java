package org.yax.models.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.yax.core.Progress;
import org.yax.io.AtomicFiles;
import org.yax.models.ModelCard;
import org.yax.models.ModelFiles;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;

/**
 * Trains {@link MultiTaskNet} with DJL's Trainer: every step draws patches for each head from the
 * training images, degrades them with the core's operators ({@link Degradation}), and minimises the
 * weighted sum of the heads' L1 losses with Adam. Checkpoints (parameters, optimizer moments, step) are
 * written atomically every few steps and on cancel; a run pointed at an output folder that holds one
 * resumes from it and takes exactly the steps an uninterrupted run would have taken.
 */
public final class MultiTaskTraining {
    private static final String CHECKPOINT = "checkpoint";
    private static final int LOG_EVERY = 10;

    private final TrainingSettings settings;

    public MultiTaskTraining(TrainingSettings settings) {
        this.settings = settings;
    }

    /** Trains up to settings.steps(); returns the exported model's parameter file (OUT/NAME.params). */
    public Path run(ModelCard baseCard, Progress progress) throws IOException {
        Path out = settings.outDir();
        Files.createDirectories(out);
        TrainingImages images = TrainingImages.load(settings.data(), settings.patch());
        PatchSampler sampler = new PatchSampler(images);
        ModelCard card = baseCard;
        MultiTaskNet net;
        Path checkpoint = out.resolve(CHECKPOINT);
        recoverCheckpoint(checkpoint);
        boolean resuming = Files.isRegularFile(checkpoint.resolve("model.params"));
        try (Model model = Model.newInstance(card.name())) {
            NDManager manager = model.getNDManager();
            if (resuming) {
                card = ModelCard.fromJson(Files.readString(checkpoint.resolve("model.json"), StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(checkpoint.resolve("model.params"))) {
                    net = ModelFiles.load(card, in, manager, checkpoint.toString());
                }
            } else if (settings.init() != null) {
                ModelCard initCard = ModelCard.fromJson(Files.readString(ModelFiles.cardPath(settings.init()),
                        StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(settings.init())) {
                    net = ModelFiles.load(initCard, in, manager, settings.init().toString());
                }
                card = initCard.fineTuned(baseCard.name(), baseCard.trainingData());
            } else {
                Engine.getInstance().setRandomSeed((int) settings.seed()); // reproducible initial weights
                net = new MultiTaskNet(settings.widths());
                card = new ModelCard(card.name(), card.description(), settings.widths(), card.heads(), card.channels(),
                        card.trainingData(), card.recipe(), 0, card.validation());
            }
            int stepsBefore = card.steps();
            model.setBlock(net);
            ResumableAdam adam = new ResumableAdam(settings::learningRateAt);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss())
                    .optOptimizer(adam)
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                            XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
            int p = settings.patch();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.patchesPerHead(), MultiTaskNet.INPUT_CHANNELS, p, p), new Shape());
                if (!resuming && settings.init() == null) {
                    net.dampenResidualBranches(0.1f);
                }
                if (!resuming) {
                    for (Head h : settings.resetHeads()) {
                        net.resetHead(h, settings.seed() + h.ordinal());
                    }
                }
                if (resuming) {
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                            Files.newInputStream(checkpoint.resolve("optimizer.bin"))))) {
                        adam.load(in, manager, parametersByName(net));
                    }
                    stepsBefore = card.steps() - adam.step(); // steps of the model this run started from
                }
                LossLog log = new LossLog(out);
                double[] sums = new double[Head.values().length];
                int logged = 0;
                long t0 = System.nanoTime();
                while (adam.step() < settings.steps()) {
                    int step = adam.step();
                    if (progress.isCancelled()) {
                        break;
                    }
                    double[] losses = trainStep(trainer, sampler, new Random(settings.seed() * 1_000_003L + step), p);
                    adam.endStep();
                    for (int h = 0; h < sums.length; h++) {
                        sums[h] += losses[h];
                    }
                    logged++;
                    if (adam.step() % LOG_EVERY == 0 || adam.step() % settings.checkpointEvery() == 0
                            || adam.step() == settings.steps()) {
                        for (int h = 0; h < sums.length; h++) {
                            sums[h] /= logged;
                        }
                        log.append(adam.step(), settings.learningRateAt(step), sums, (System.nanoTime() - t0) / 1e9);
                        progress.report((double) adam.step() / settings.steps(), String.format(Locale.ROOT,
                                "step %d/%d, loss %s", adam.step(), settings.steps(), formatLosses(sums)));
                        java.util.Arrays.fill(sums, 0);
                        logged = 0;
                    }
                    if (adam.step() % settings.checkpointEvery() == 0) {
                        card = card.withProgress(stepsBefore + adam.step(), recipe());
                        saveCheckpoint(checkpoint, net, card, adam);
                        log.plot();
                    }
                }
                card = card.withProgress(stepsBefore + adam.step(), recipe());
                saveCheckpoint(checkpoint, net, card, adam);
                if (Files.exists(out.resolve("loss.csv"))) {
                    log.plot();
                }
                Path exported = out.resolve(card.name() + ".params");
                ModelFiles.save(net, card, exported);
                return exported;
            }
        }
    }

    private double[] trainStep(Trainer trainer, PatchSampler sampler, Random random, int p) {
        double[] losses = new double[Head.values().length];
        int n = settings.patchesPerHead();
        try (NDManager step = trainer.getManager().newSubManager();
             GradientCollector collector = trainer.newGradientCollector()) {
            collector.zeroGradients();
            NDArray total = null;
            for (Head head : Head.values()) {
                double weight = settings.headWeights().getOrDefault(head, 0.0);
                if (weight <= 0) {
                    continue;
                }
                PatchSampler.Batch batch = sampler.sample(head, n, p, random, step);
                NDArray x = step.create(batch.inputs(), new Shape(n, MultiTaskNet.INPUT_CHANNELS, p, p));
                NDArray target = step.create(batch.targets(), new Shape(n, 1, p, p));
                NDArray estimate = trainer.forward(MultiTaskNet.input(x, head)).singletonOrThrow();
                NDArray loss = estimate.sub(target).abs().mean();
                losses[head.ordinal()] = loss.getFloat();
                NDArray weighted = loss.mul(weight);
                total = total == null ? weighted : total.add(weighted);
            }
            collector.backward(total);
        }
        trainer.step();
        return losses;
    }

    private String recipe() {
        return String.format(Locale.ROOT, "yax train: %d steps, %d patches of %d px per head, Adam lr %.2g cosine, "
                        + "L1, head weights %s, seed %d", settings.steps(), settings.patchesPerHead(), settings.patch(),
                settings.learningRate(), settings.headWeights(), settings.seed());
    }

    private static String formatLosses(double[] losses) {
        StringBuilder b = new StringBuilder();
        for (Head h : Head.values()) {
            b.append(b.length() == 0 ? "" : " ").append(h.cliName()).append('=')
                    .append(String.format(Locale.ROOT, "%.4f", losses[h.ordinal()]));
        }
        return b.toString();
    }

    static Map<String, Parameter> parametersByName(MultiTaskNet net) {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> pair : net.getParameters()) {
            byName.put(pair.getKey(), pair.getValue());
        }
        return byName;
    }

    /**
     * Writes parameters, card and optimizer state into a fresh folder, then swaps it in by renames, so a
     * run killed at any moment leaves either the previous or the new checkpoint, whole
     * ({@link #recoverCheckpoint} finishes an interrupted swap).
     */
    private static void saveCheckpoint(Path dir, MultiTaskNet net, ModelCard card, ResumableAdam adam) throws IOException {
        Path fresh = dir.resolveSibling(dir.getFileName() + ".new");
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        deleteTree(fresh);
        Files.createDirectories(fresh);
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> pair : net.getParameters()) {
            names.put(pair.getValue().getId(), pair.getKey());
        }
        AtomicFiles.write(fresh.resolve("optimizer.bin"), tmp -> {
            try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                adam.save(o, names);
            }
        });
        ModelFiles.save(net, card, fresh.resolve("model.params"));
        deleteTree(old);
        if (Files.exists(dir)) {
            Files.move(dir, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /** After a kill between the two renames of {@link #saveCheckpoint}, only checkpoint.old is whole. */
    static void recoverCheckpoint(Path dir) throws IOException {
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        if (!Files.exists(dir) && Files.isRegularFile(old.resolve("model.params"))) {
            Files.move(old, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The heads named in a card, for a base card. */
    public static List<String> allHeads() {
        return java.util.Arrays.stream(Head.values()).map(Head::cliName).toList();
    }
}
