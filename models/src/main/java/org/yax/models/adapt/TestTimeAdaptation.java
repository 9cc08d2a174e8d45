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
import org.yax.core.op.Downsample;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;
import org.yax.models.net.NetworkInput;
import org.yax.models.train.ResumableAdam;

/**
 * A few self-supervised steps on the measurement itself, from the shipped weights: losses that need no
 * ground truth, built from the known forward model and noise level.
 * <ul>
 *   <li>denoise: Recorrupted-to-Recorrupted (Pang et al. 2021): input y + n, target y - n with n ~ N(0, sigma^2);
 *       the two noises are independent, so the loss is an unbiased estimate of the supervised one (input
 *       noise level sqrt(2) sigma, told to the network through its noise map).</li>
 *   <li>super-resolution: re-degradation (ZSSR, Shocher et al. 2018): the measurement downsampled again with
 *       the same A is the input, the measurement the target.</li>
 *   <li>inpainting: hold-out (as in Noise2Self): a fifth of the observed pixels are hidden and predicted.</li>
 * </ul>
 * Crops are drawn with a fixed seed, so an adaptation is reproducible.
 */
public final class TestTimeAdaptation {
    /** Adam learning rate of adaptation: small, so a few steps refine rather than overwrite. */
    static final double LEARNING_RATE = 1e-4;
    static final int CROPS = 4;
    static final int CROP = 64;
    static final long SEED = 20261123L;

    private final Head head;
    private final int steps;

    public TestTimeAdaptation(Head head, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("adaptation needs >= 1 step, got " + steps);
        }
        this.head = head;
        this.steps = steps;
    }

    /**
     * Adapts {@code net} (whose parameters live in {@code manager}) in place to the normalised measurement y.
     *
     * @param observed null when every pixel is observed
     */
    public void adapt(MultiTaskNet net, NDManager manager, float[] y, boolean[] observed, int h, int w, double sigma) {
        int s = head.scale();
        // crop side in measurement pixels: a multiple of the network's size multiple at the output grid
        int crop = Math.min(CROP, Math.min(h, w) / (s * MultiTaskNet.SIZE_MULTIPLE) * (s * MultiTaskNet.SIZE_MULTIPLE));
        if (crop < s * MultiTaskNet.SIZE_MULTIPLE * 2) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is too small to adapt the network on");
        }
        Random random = new Random(SEED);
        try (Model model = Model.newInstance("adapt")) {
            model.setBlock(net);
            ResumableAdam adam = new ResumableAdam(step -> LEARNING_RATE);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(CROPS, MultiTaskNet.INPUT_CHANNELS, crop, crop), new Shape());
                for (int k = 0; k < steps; k++) {
                    step(trainer, y, observed, h, w, sigma, crop, random);
                    adam.endStep();
                }
            } finally {
                // back to inference: no autograd graph (and its memory) for later forward passes
                net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            }
        }
    }

    private void step(Trainer trainer, float[] y, boolean[] observed, int h, int w, double sigma, int crop,
                      Random random) {
        int s = head.scale();
        int n = crop * crop;
        float[] inputs = new float[CROPS * 3 * n];
        float[] targets = new float[CROPS * n];
        float[] weights = new float[CROPS * n];
        for (int c = 0; c < CROPS; c++) {
            int r0 = random.nextInt(h - crop + 1);
            int c0 = random.nextInt(w - crop + 1);
            float[] patch = new float[n];
            boolean[] seen = new boolean[n];
            for (int r = 0; r < crop; r++) {
                for (int q = 0; q < crop; q++) {
                    int i = (r0 + r) * w + c0 + q;
                    patch[r * crop + q] = y[i];
                    seen[r * crop + q] = observed == null || observed[i];
                }
            }
            float[] in;
            float[] target = patch;
            float[] weight = new float[n];
            switch (head) {
                case DENOISE -> {
                    float[] noisier = new float[n];
                    target = new float[n];
                    for (int i = 0; i < n; i++) {
                        float e = (float) (sigma * random.nextGaussian());
                        noisier[i] = patch[i] + e;
                        target[i] = patch[i] - e;
                        weight[i] = seen[i] ? 1 : 0;
                    }
                    in = NetworkInput.build(head, noisier, observed == null ? null : seen, crop, crop,
                            Math.sqrt(2) * sigma);
                }
                case SR2, SR4 -> {
                    float[] low;
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        low = new Downsample(new Shape(crop, crop), s).forward(m.create(patch, new Shape(crop, crop)))
                                .toFloatArray();
                    }
                    in = NetworkInput.build(head, low, null, crop / s, crop / s, sigma);
                    for (int i = 0; i < n; i++) {
                        weight[i] = seen[i] ? 1 : 0;
                    }
                }
                case INPAINT -> {
                    boolean[] kept = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        kept[i] = seen[i] && random.nextDouble() >= 0.2;
                        weight[i] = seen[i] && !kept[i] ? 1 : 0;
                    }
                    in = NetworkInput.build(head, patch, kept, crop, crop, sigma);
                }
                default -> throw new IllegalStateException(head.toString());
            }
            System.arraycopy(in, 0, inputs, c * 3 * n, 3 * n);
            System.arraycopy(target, 0, targets, c * n, n);
            System.arraycopy(weight, 0, weights, c * n, n);
        }
        try (NDManager m = trainer.getManager().newSubManager();
             GradientCollector collector = trainer.newGradientCollector()) {
            collector.zeroGradients();
            NDArray x = m.create(inputs, new Shape(CROPS, 3, crop, crop));
            NDArray t = m.create(targets, new Shape(CROPS, 1, crop, crop));
            NDArray wt = m.create(weights, new Shape(CROPS, 1, crop, crop));
            NDArray estimate = trainer.forward(MultiTaskNet.input(x, head)).singletonOrThrow();
            NDArray loss = estimate.sub(t).square().mul(wt).sum().div(wt.sum().maximum(1f));
            collector.backward(loss);
        }
        trainer.step();
    }
}
