package org.yax.models.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The multi-task restoration network: one shared residual U-Net trunk and a small head per task
 * ({@link Head}). Input (N, 3, H, W): the measurement on the output grid, a noise-level map (sigma in
 * the normalised [0, 1] units of the image) and the observation mask; H and W multiples of 4. Output
 * (N, 1, H, W): the estimate, as input channel 0 plus the head's residual.
 *
 * <p>Two strided convolutions go down; pixel shuffle goes up (DJL's PyTorch engine has no transposed
 * convolution); skip connections add encoder features. The forward input is
 * {@code NDList(x, headIndex)} with headIndex a scalar int32 array holding {@link Head#ordinal()}, so
 * DJL's Trainer can drive any head.
 */
public final class MultiTaskNet extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Input channels: measurement, noise-level map, mask. */
    public static final int INPUT_CHANNELS = 3;
    /** H and W must be multiples of this (two factor-2 levels). */
    public static final int SIZE_MULTIPLE = 4;

    /**
     * Negative slope of the heads' activation: with a plain ReLU a head whose units all went negative early in
     * training stayed dead for good (the inpaint head of a first run did).
     */
    static final float HEAD_SLOPE = 0.1f;

    private final int[] widths;
    /** The casts of a bfloat16 copy ({@link #inBfloat16}), null for float32. */
    private final Bfloat16 casts;
    private final Block stem;
    private final Block enc1;
    private final Block down1;
    private final Block enc2;
    private final Block down2;
    private final Block middle;
    private final Block up2;
    private final Block dec2;
    private final Block up1;
    private final Block dec1;
    private final Block[] heads = new Block[Head.values().length];

    /** @param widths channels at full, half and quarter resolution, e.g. {32, 64, 96} */
    public MultiTaskNet(int... widths) {
        this(null, widths);
    }

    private MultiTaskNet(Bfloat16 casts, int... widths) {
        super(VERSION);
        this.casts = casts;
        if (widths.length != 3) {
            throw new IllegalArgumentException("need 3 widths (full, half, quarter resolution)");
        }
        this.widths = widths.clone();
        int c1 = widths[0];
        int c2 = widths[1];
        int c3 = widths[2];
        stem = addChildBlock("stem", conv(c1, 1));
        enc1 = addChildBlock("enc1", new ResidualBlock(c1));
        down1 = addChildBlock("down1", conv(c2, 2));
        enc2 = addChildBlock("enc2", new ResidualBlock(c2));
        down2 = addChildBlock("down2", conv(c3, 2));
        middle = addChildBlock("middle", new SequentialBlock().add(new ResidualBlock(c3)).add(new ResidualBlock(c3)));
        up2 = addChildBlock("up2", conv(c2 * 4, 1));
        dec2 = addChildBlock("dec2", new ResidualBlock(c2));
        up1 = addChildBlock("up1", conv(c1 * 4, 1));
        dec1 = addChildBlock("dec1", new ResidualBlock(c1));
        for (Head h : Head.values()) {
            heads[h.ordinal()] = addChildBlock("head_" + h.cliName(), new SequentialBlock()
                    .add(conv(c1, 1)).add(x -> Activation.leakyRelu(x, HEAD_SLOPE)).add(conv(1, 1)));
        }
    }

    /**
     * Shrinks the last convolution of every residual branch (residual blocks and heads) after random
     * initialisation, so a fresh network starts close to the identity and He-initialised branches do not
     * blow up the activations of the deep sum (as in Fixup / "zero-init residual").
     */
    public void dampenResidualBranches(float factor) {
        for (Block b : new Block[] {enc1, enc2, dec2, dec1}) {
            ((ResidualBlock) b).dampen(factor);
        }
        for (Block b : middle.getChildren().values()) {
            ((ResidualBlock) b).dampen(factor);
        }
        for (Block head : heads) {
            Block last = head.getChildren().get(head.getChildren().size() - 1).getValue();
            last.getParameters().values().forEach(p -> scaleInPlace(p.getArray(), factor));
        }
    }

    /**
     * Scales a parameter in place through a detached view, whatever the thread's autograd state: DJL's PyTorch
     * engine turns recording off only on the thread that loaded the engine, and on any other thread an in-place
     * change of a parameter that requires gradients fails ("a leaf Variable that requires grad is being used in
     * an in-place operation"), e.g. training after a reconstruction loaded the engine on a worker thread.
     */
    static void scaleInPlace(NDArray parameter, float factor) {
        try (NDArray view = parameter.stopGradient()) {
            view.muli(factor);
        }
    }

    /**
     * Fresh random weights for one head (He-normal, last layer dampened like a new network's), e.g. to
     * revive or retrain it on top of a trained trunk; in place, whatever the parameters' gradient state.
     */
    public void resetHead(Head head, long seed) {
        Block b = heads[head.ordinal()];
        java.util.Random random = new java.util.Random(seed);
        int index = 0;
        int last = b.getChildren().size() - 1;
        for (ai.djl.util.Pair<String, Block> child : b.getChildren()) {
            for (ai.djl.nn.Parameter p : child.getValue().getParameters().values()) {
                NDArray arr = p.getArray();
                long n = arr.getShape().size();
                float[] v = new float[(int) n];
                if (p.getType() == ai.djl.nn.Parameter.Type.WEIGHT) {
                    long fanIn = n / arr.getShape().get(0);
                    double std = Math.sqrt(2.0 / fanIn) * (index == last ? 0.1 : 1);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (std * random.nextGaussian());
                    }
                }
                NDArray view = arr.stopGradient();
                view.muli(0).addi(arr.getManager().create(v, arr.getShape()));
            }
            index++;
        }
    }

    /**
     * A copy for inference in bfloat16 ({@link Bfloat16}): the same blocks with the weights cast, except the stem,
     * which convolves the float32 input, so the measurement is not rounded to bfloat16's 8 significant bits before
     * the network sees it; the heads' residual comes back as float32 and is added to the float32 input. Inference
     * only: the copy's weights are not trained, and later changes to this network's weights do not reach it.
     */
    public MultiTaskNet inBfloat16() {
        Bfloat16 c = Bfloat16.casts();
        MultiTaskNet copy = new MultiTaskNet(c, widths);
        PairList<String, ai.djl.nn.Parameter> from = getParameters();
        PairList<String, ai.djl.nn.Parameter> to = copy.getParameters();
        for (int i = 0; i < from.size(); i++) {
            NDArray weights = from.get(i).getValue().getArray();
            boolean stemWeights = stem.getParameters().values().contains(from.get(i).getValue());
            ai.djl.nn.Parameter p = to.get(i).getValue();
            p.setArray(stemWeights ? weights.duplicate() : c.lower(weights));
            p.getArray().setRequiresGradient(false);
        }
        return copy;
    }

    public int[] widths() {
        return widths.clone();
    }

    static Conv2d conv(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).setFilters(filters).build();
    }

    /** The forward input for {@code head}: x plus the head index as a scalar in x's manager. */
    public static NDList input(NDArray x, Head head) {
        return new NDList(x, x.getManager().create(head.ordinal()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = channelsLast(inputs.get(0));
        Head head = Head.values()[inputs.get(1).toType(DataType.INT32, false).getInt()];
        NDArray e1 = stage(x, training,
                v -> apply(enc1, ps, Activation.relu(lower(apply(stem, ps, v, training))), training));
        NDArray e2 = stage(e1, training,
                v -> apply(enc2, ps, Activation.relu(apply(down1, ps, v, training)), training));
        NDArray m = stage(e2, training,
                v -> apply(middle, ps, Activation.relu(apply(down2, ps, v, training)), training));
        NDArray d2 = stage(m, training, v -> apply(dec2, ps, pixelShuffle(apply(up2, ps, v, training)).add(e2),
                training));
        NDArray d1 = stage(d2, training, v -> apply(dec1, ps, pixelShuffle(apply(up1, ps, v, training)).add(e1),
                training));
        NDArray residual = stage(d1, training, v -> raise(apply(heads[head.ordinal()], ps, v, training)));
        return new NDList(x.get(new NDIndex(":, 0:1")).add(residual));
    }

    /**
     * One stage of the forward pass. In inference it runs in its own scope and only its result is kept, so its
     * intermediates are freed at once: an op's result belongs to its first operand's manager, and without this a
     * whole pass held every intermediate until the caller's manager closed (about 20 full-size activations of a
     * 180 x 512 plane). Training keeps them for the backward pass. The same ops run either way.
     */
    private static NDArray stage(NDArray in, boolean training, java.util.function.UnaryOperator<NDArray> f) {
        if (training) {
            return f.apply(in);
        }
        ai.djl.ndarray.NDManager owner = in.getManager();
        try (ai.djl.ndarray.NDManager scope = owner.newSubManager()) {
            in.tempAttach(scope);
            NDArray out = f.apply(in);
            out.attach(owner);
            return out;
        }
    }

    /** The stem's output in the copy's precision (see {@link #inBfloat16}). */
    private NDArray lower(NDArray x) {
        return casts == null ? x : casts.lower(x);
    }

    /** The heads' residual as float32. */
    private NDArray raise(NDArray x) {
        return casts == null ? x : casts.raise(x);
    }

    private static NDArray apply(Block b, ParameterStore ps, NDArray x, boolean training) {
        return b.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * The same values in channels-last memory order (NHWC), still indexed (N, C, H, W). oneDNN convolves NHWC
     * tensors as they are; on (N, C, H, W) memory PyTorch reordered every convolution's input and output to a
     * blocked layout and back, which took about as long as the convolution itself (docs/BENCHMARKS.md,
     * "Plug-and-play and NLM"). Convolutions, activations and sums keep the order, so one conversion of the input
     * serves the whole pass. DJL cannot name a memory format: reshaping the NHWC view across W and C forces the copy.
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n, h, w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /**
     * (N, 4C, H, W) -> (N, C, 2H, 2W), as torch.nn.functional.pixel_shuffle with factor 2: output (2y + i, 2x + j)
     * of channel c is input channel 4c + 2i + j at (y, x). Built on the NHWC view, so a channels-last input gives a
     * channels-last result (see {@link #channelsLast}); the values do not depend on the memory order.
     */
    static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / 4;
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n, h, w, c, 2, 2).transpose(0, 1, 4, 2, 5, 3)
                .reshape(n, h * 2, w * 2, c).transpose(0, 3, 1, 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        int c1 = widths[0];
        int c2 = widths[1];
        int c3 = widths[2];
        stem.initialize(manager, dataType, s);
        enc1.initialize(manager, dataType, new Shape(n, c1, h, w));
        down1.initialize(manager, dataType, new Shape(n, c1, h, w));
        enc2.initialize(manager, dataType, new Shape(n, c2, h / 2, w / 2));
        down2.initialize(manager, dataType, new Shape(n, c2, h / 2, w / 2));
        middle.initialize(manager, dataType, new Shape(n, c3, h / 4, w / 4));
        up2.initialize(manager, dataType, new Shape(n, c3, h / 4, w / 4));
        dec2.initialize(manager, dataType, new Shape(n, c2, h / 2, w / 2));
        up1.initialize(manager, dataType, new Shape(n, c2, h / 2, w / 2));
        dec1.initialize(manager, dataType, new Shape(n, c1, h, w));
        for (Block head : heads) {
            head.initialize(manager, dataType, new Shape(n, c1, h, w));
        }
    }
}
