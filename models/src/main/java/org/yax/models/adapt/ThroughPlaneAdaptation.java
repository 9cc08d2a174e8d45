package org.yax.models.adapt;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.Random;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.CubicBSpline;
import org.yax.core.solve.SliceRows;
import org.yax.core.task.ThroughPlaneRecipe;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;
import org.yax.models.train.ResumableAdam;

/**
 * Adapts an sr head to through-plane super-resolution of one volume from the volume alone (the idea of SMORE and
 * ECLARE): the in-plane directions are sharp, so crops of the thick slices, degraded along one in-plane axis by the
 * same slice profile A that made the slices thick (and brought back by the same cubic interpolation the head starts
 * from), are inputs whose targets are the crops themselves. Either in-plane axis serves (crops are transposed at
 * random), so the head learns to undo A along the first axis of any plane, which is z in the coronal and sagittal
 * planes it then refines. The crop's pixels stand for the fine grid's slices: exact where pixel spacing equals the
 * thin slice spacing, an approximation otherwise. Crops are drawn with a fixed seed (reproducible).
 */
public final class ThroughPlaneAdaptation {
    /** Adam learning rate: larger than single-image adaptation's, since the degradation along one axis is new. */
    static final double LEARNING_RATE = 3e-4;
    static final int CROPS = 8;
    /** Crop side: a multiple of every scale 2..6 and of the network's size multiple. */
    static final int CROP = 60;
    static final long SEED = 20261203L;

    private final Head head;
    private final ThroughPlaneRecipe recipe;
    private final int steps;

    public ThroughPlaneAdaptation(Head head, ThroughPlaneRecipe recipe, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("adaptation needs >= 1 step, got " + steps);
        }
        this.head = head;
        this.recipe = recipe;
        this.steps = steps;
    }

    /**
     * The degraded crop the head sees for a sharp one: A along axis 0 (crop / scale thick samples), then cubic
     * interpolation back to crop rows.
     */
    public static float[] degradeAlongRows(float[] crop, int rows, int columns, SliceProfile a) {
        float[] thick = new float[a.depth() * columns];
        a.applyHost(crop, thick, columns);
        float[] back = new float[rows * columns];
        CubicBSpline.alongAxis(thick, a.depth(), columns, a.scale(), back);
        return back;
    }

    /** Adapts {@code net} (parameters in {@code manager}) in place on the normalised thick slices. */
    public void adapt(MultiTaskNet net, NDManager manager, SliceRows thick, int depth, int h, int w, double sigma) {
        int unit = lcm(recipe.scale(), MultiTaskNet.SIZE_MULTIPLE);
        int crop = Math.min(CROP, Math.min(h, w) / unit * unit);
        if (crop < 2 * unit) {
            throw new IllegalArgumentException("slices of " + w + "x" + h + " are too small to adapt the network on");
        }
        SliceProfile a = recipe.operator(crop / recipe.scale(), null);
        Random random = new Random(SEED);
        try (Model model = Model.newInstance("adapt-z")) {
            model.setBlock(net);
            ResumableAdam adam = new ResumableAdam(step -> LEARNING_RATE);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adam);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(CROPS, MultiTaskNet.INPUT_CHANNELS, crop, crop), new Shape());
                for (int k = 0; k < steps; k++) {
                    step(trainer, thick, depth, h, w, sigma, crop, a, random);
                    adam.endStep();
                }
            } finally {
                net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            }
        }
    }

    private void step(Trainer trainer, SliceRows thick, int depth, int h, int w, double sigma, int crop, SliceProfile a,
                      Random random) {
        int n = crop * crop;
        float[] inputs = new float[CROPS * 3 * n];
        float[] targets = new float[CROPS * n];
        for (int c = 0; c < CROPS; c++) {
            int z = random.nextInt(depth);
            int r0 = random.nextInt(h - crop + 1);
            int c0 = random.nextInt(w - crop + 1);
            boolean transpose = random.nextBoolean();
            float[] patch = new float[n];
            float[] row = new float[crop];
            for (int r = 0; r < crop; r++) {
                thick.copy(z, (r0 + r) * w + c0, row, 0, crop);
                for (int q = 0; q < crop; q++) {
                    patch[transpose ? q * crop + r : r * crop + q] = row[q];
                }
            }
            float[] degraded = degradeAlongRows(patch, crop, crop, a);
            System.arraycopy(degraded, 0, inputs, c * 3 * n, n);
            java.util.Arrays.fill(inputs, c * 3 * n + n, c * 3 * n + 2 * n, (float) sigma);
            java.util.Arrays.fill(inputs, c * 3 * n + 2 * n, c * 3 * n + 3 * n, 1f);
            System.arraycopy(patch, 0, targets, c * n, n);
        }
        try (NDManager m = trainer.getManager().newSubManager();
             GradientCollector collector = trainer.newGradientCollector()) {
            collector.zeroGradients();
            NDArray x = m.create(inputs, new Shape(CROPS, 3, crop, crop));
            NDArray t = m.create(targets, new Shape(CROPS, 1, crop, crop));
            NDArray estimate = trainer.forward(MultiTaskNet.input(x, head)).singletonOrThrow();
            collector.backward(estimate.sub(t).abs().mean());
        }
        trainer.step();
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
