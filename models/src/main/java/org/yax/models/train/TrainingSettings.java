package org.yax.models.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yax.models.net.Head;

/**
 * What {@code yax train} does.
 *
 * @param data         folders of clean training images (recursive)
 * @param outDir       checkpoints, loss curves and the exported model go here; an existing checkpoint resumes
 * @param steps        total optimisation steps (a resumed run continues up to this count)
 * @param patchesPerHead patches per head in each step (every step trains every head with positive weight)
 * @param patch        patch side in output pixels (multiple of 4)
 * @param learningRate peak Adam learning rate; cosine decay to 1% of it at {@code steps}
 * @param seed         seed of the patch stream: step k always sees the same patches, resumed or not
 * @param headWeights  weight of each head's L1 loss in the sum (0 leaves a head untrained)
 * @param widths       trunk channels at full, half and quarter resolution (ignored when {@code init} is set)
 * @param init         parameters to start from (fine-tuning a shipped or user model), or null for random
 * @param checkpointEvery steps between checkpoints
 * @param resetHeads   heads given fresh random weights before a run that starts from {@code init} (to revive
 *                     or retrain a head on a trained trunk)
 */
public record TrainingSettings(List<Path> data, Path outDir, int steps, int patchesPerHead, int patch,
                               double learningRate, long seed, Map<Head, Double> headWeights, int[] widths,
                               Path init, int checkpointEvery, List<Head> resetHeads) {
    public TrainingSettings(List<Path> data, Path outDir, int steps, int patchesPerHead, int patch,
                            double learningRate, long seed, Map<Head, Double> headWeights, int[] widths,
                            Path init, int checkpointEvery) {
        this(data, outDir, steps, patchesPerHead, patch, learningRate, seed, headWeights, widths, init,
                checkpointEvery, List.of());
    }

    public TrainingSettings {
        if (!resetHeads.isEmpty() && init == null) {
            throw new IllegalArgumentException("resetting heads needs a model to start from (--init)");
        }
        resetHeads = List.copyOf(resetHeads);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no training data folders");
        }
        if (steps < 1 || patchesPerHead < 1 || checkpointEvery < 1) {
            throw new IllegalArgumentException("steps, patches per head and checkpoint interval must be >= 1");
        }
        if (patch < 16 || patch % 4 != 0) {
            throw new IllegalArgumentException("patch must be a multiple of 4 and >= 16, got " + patch);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (headWeights.values().stream().allMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("at least one head needs a positive weight");
        }
        data = List.copyOf(data);
        headWeights = Map.copyOf(headWeights);
    }

    /** Cosine decay from the peak to 1% of it over {@code steps}. */
    public double learningRateAt(int step) {
        double t = Math.min(1.0, (double) step / steps);
        return learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
}
