package org.yax.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Task;
import org.yax.models.adapt.TestTimeAdaptation;
import org.yax.models.adapt.ThroughPlaneAdaptation;
import org.yax.core.solve.ThroughPlaneNetwork;
import org.yax.core.task.ThroughPlaneRecipe;
import org.yax.models.net.Bfloat16;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;
import org.yax.models.net.NetworkInput;

/**
 * A loaded {@link MultiTaskNet} with its card, serving reconstruction: direct heads, the denoiser for
 * plug-and-play, and adapted copies for test-time adaptation. Inputs are padded by reflection to the
 * network's size multiple; every call works in a sub-manager of its input, so nothing accumulates
 * (see the NDManager memory trap in the project's FACTS).
 */
public final class LearnedModel implements RestorationNetwork {
    /** Receptive reach of the trunk in output pixels, rounded up (two factor-2 levels of 3x3 convolutions). */
    static final int HALO = 40;

    private final ModelCard card;
    private final String name;
    private final NDManager manager;
    /** The yax network, or null for a TorchScript model. */
    private final MultiTaskNet net;
    /** A TorchScript module taking (N, 3, H, W) for the card's single head, or null. */
    private final ai.djl.nn.Block script;
    private final ai.djl.Model scriptModel;
    /** The network inference runs: {@link #net}, or its bfloat16 copy where {@link Bfloat16#suits} the device. */
    private volatile MultiTaskNet inference;

    LearnedModel(ModelCard card, String name, NDManager manager, MultiTaskNet net) {
        this.card = card;
        this.name = name;
        this.manager = manager;
        this.net = net;
        this.script = null;
        this.scriptModel = null;
    }

    /** A user's TorchScript module serving the one head its card names (see {@link ModelRegistry}). */
    LearnedModel(ModelCard card, String name, ai.djl.Model scriptModel) {
        this.card = card;
        this.name = name;
        this.manager = scriptModel.getNDManager();
        this.net = null;
        this.script = scriptModel.getBlock();
        this.scriptModel = scriptModel;
    }

    public ModelCard card() {
        return card;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The parameters by name, in the network's order (for exporting weights to other frameworks). */
    public ai.djl.util.PairList<String, ai.djl.nn.Parameter> parameters() {
        return net != null ? net.getParameters() : script.getParameters();
    }

    /** One forward pass of a head on a prepared (N, 3, H, W) input, H and W multiples of 4 (benchmarks). */
    public NDArray forwardRaw(NDArray x, Head head, ParameterStore ps) {
        if (script != null) {
            return script.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
        }
        return inferenceNet().forward(ps, MultiTaskNet.input(x, head), false).singletonOrThrow();
    }

    /**
     * Made at the first inference, after any test-time adaptation of this copy has changed the weights (adaptation
     * trains {@link #net} itself and never calls this).
     */
    private MultiTaskNet inferenceNet() {
        MultiTaskNet n = inference;
        if (n == null) {
            synchronized (this) {
                n = inference;
                if (n == null) {
                    n = Bfloat16.suits(manager.getDevice()) ? net.inBfloat16() : net;
                    inference = n;
                }
            }
        }
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasHead(Task task, int scale) {
        Head h = Head.of(task, scale);
        return h != null && card.heads().contains(h.cliName());
    }

    @Override
    public org.yax.core.task.Method preferredMethod(Task task, int scale) {
        return card.autoMethod(task, scale);
    }

    @Override
    public int halo() {
        return HALO;
    }

    @Override
    public NDArray restore(Task task, int scale, NDArray y, NDArray observed, double sigma) {
        Head head = Head.of(task, scale);
        if (head == null || !hasHead(task, scale)) {
            throw new IllegalArgumentException("model " + name + " has no head for " + task.cliName() + " x" + scale);
        }
        Shape shape = y.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("the network takes one plane (h, w), got shape " + shape
                    + ": multi-band images are restored band by band");
        }
        int h = (int) shape.get(0);
        int w = (int) shape.get(1);
        boolean[] mask = null;
        if (observed != null) {
            float[] mv = observed.toFloatArray();
            mask = new boolean[mv.length];
            for (int i = 0; i < mv.length; i++) {
                mask[i] = mv[i] > 0.5f;
            }
        }
        float[] planes = NetworkInput.build(head, y.toFloatArray(), mask, h, w, sigma);
        try (NDManager call = y.getManager().newSubManager()) {
            NDArray x = call.create(planes, new Shape(1, MultiTaskNet.INPUT_CHANNELS, h * scale, w * scale));
            NDArray out = run(x, head, call);
            out.attach(y.getManager());
            return out;
        }
    }

    @Override
    public NDArray denoise(NDArray noisy, double sigma) {
        Shape shape = noisy.getShape();
        try (NDManager call = noisy.getManager().newSubManager()) {
            NDArray x = noisy.duplicate();
            x.attach(call);
            x = x.reshape(1, 1, shape.get(0), shape.get(1));
            NDArray input = NDArrays.concat(new NDList(x, x.onesLike().mul((float) sigma), x.onesLike()), 1);
            NDArray out = run(input, Head.DENOISE, call);
            out.attach(noisy.getManager());
            return out;
        }
    }

    /**
     * Planes up to this many pixels go through the network whole; larger ones in tiles of at most
     * {@link #TILE_SIDE} kept pixels a side. With the 1024-pixel tiles of {@code Reconstruction} alone, sr x2 made
     * 2048 x 2048 activations of 128-256 MB each, which glibc serves from fresh pages (over the 64 MB of a thread's
     * arena, whatever its thresholds): 14 million page faults and more system than user time for one 1024 x 1024
     * raster. Tiles cost their halos, so mid-size planes (the 698 x 704 of the demo's Landsat scene at sr x2) stay
     * whole (docs/MODELS.md, "Tiles").
     */
    static final long WHOLE_PIXELS = 768L * 768;
    static final int TILE_SIDE = 512;

    /** (1, 3, H, W) -> (H, W), whole or in balanced tiles (see {@link #WHOLE_PIXELS}). */
    private NDArray run(NDArray x, Head head, NDManager call) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if ((long) h * w <= WHOLE_PIXELS) {
            return runWhole(x, head, call);
        }
        return run(x, head, call, balanced(h), balanced(w));
    }

    /** Kept pixels per tile along an axis of n: as few tiles as TILE_SIDE allows, of equal size, on the size multiple. */
    static int balanced(int n) {
        int tiles = (n + TILE_SIDE - 1) / TILE_SIDE;
        int kept = (n + tiles - 1) / tiles;
        int m = MultiTaskNet.SIZE_MULTIPLE;
        return (kept + m - 1) / m * m;
    }

    /**
     * (1, 3, H, W) -> (H, W) in tiles keeping {@code keptRows} x {@code keptColumns} output pixels (multiples of the
     * network's size multiple) with {@link #HALO} pixels of context on each side, so each kept pixel sees what the
     * whole plane's would (the same values up to float rounding); whole when one tile covers the plane.
     */
    NDArray run(NDArray x, Head head, NDManager call, int keptRows, int keptColumns) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        int m = MultiTaskNet.SIZE_MULTIPLE;
        if (keptRows % m != 0 || keptColumns % m != 0) {
            throw new IllegalArgumentException("tile " + keptRows + " x " + keptColumns + " is not on multiples of " + m);
        }
        if (h <= keptRows + 2 * HALO && w <= keptColumns + 2 * HALO) {
            return runWhole(x, head, call);
        }
        float[] out = new float[h * w];
        for (int r0 = 0; r0 < h; r0 += keptRows) {
            int r1 = Math.min(h, r0 + keptRows);
            int top = Math.max(0, r0 - HALO);
            int bottom = Math.min(h, r1 + HALO);
            for (int c0 = 0; c0 < w; c0 += keptColumns) {
                int c1 = Math.min(w, c0 + keptColumns);
                int left = Math.max(0, c0 - HALO);
                int right = Math.min(w, c1 + HALO);
                try (NDManager tile = call.newSubManager()) {
                    NDArray part = x.get(new NDIndex(":, :, {}:{}, {}:{}", top, bottom, left, right));
                    part.attach(tile);
                    float[] y = runWhole(part, head, tile).toFloatArray();
                    int span = right - left;
                    for (int r = r0; r < r1; r++) {
                        System.arraycopy(y, (r - top) * span + c0 - left, out, r * w + c0, c1 - c0);
                    }
                }
            }
        }
        return call.create(out, new Shape(h, w));
    }

    /** (1, 3, H, W) -> (H, W) in one pass, padding by reflection to the size multiple and cropping back. */
    private NDArray runWhole(NDArray x, Head head, NDManager call) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray padded = reflectPad(reflectPad(x, 2, pad(h)), 3, pad(w));
        ParameterStore ps = new ParameterStore(call, false);
        NDArray out = forwardRaw(padded, head, ps);
        if (out.getShape().dimension() != 4 || out.getShape().get(1) != 1) {
            throw new IllegalArgumentException("model " + name + " returned shape " + out.getShape()
                    + ", expected (N, 1, H, W)");
        }
        return out.get(new NDIndex("0, 0, :{}, :{}", h, w)).duplicate();
    }

    private static long pad(long n) {
        long m = MultiTaskNet.SIZE_MULTIPLE;
        return (m - n % m) % m;
    }

    /** Appends {@code count} mirrored rows (axis 2) or columns (axis 3), edge pixel not repeated. */
    static NDArray reflectPad(NDArray x, int axis, long count) {
        if (count == 0) {
            return x;
        }
        long n = x.getShape().get(axis);
        if (count >= n) {
            throw new IllegalArgumentException("plane too small for the network: " + n + " pixels along an axis");
        }
        String range = (n - 1 - count) + ":" + (n - 1);
        NDIndex index = axis == 2 ? new NDIndex(":, :, " + range) : new NDIndex(":, :, :, " + range);
        return NDArrays.concat(new NDList(x, x.get(index).flip(axis)), axis);
    }

    @Override
    public RestorationNetwork adaptedTo(Task task, int scale, float[] y, boolean[] observed, int height, int width,
                                        double sigma, int steps) {
        Head head = Head.of(task, scale);
        if (head == null || !hasHead(task, scale)) {
            throw new IllegalArgumentException("model " + name + " has no head for " + task.cliName() + " x" + scale
                    + " to adapt");
        }
        if (net == null) {
            throw new IllegalArgumentException("test-time adaptation needs a yax model (.params from yax train); "
                    + name + " is TorchScript");
        }
        LearnedModel copy = copy();
        try {
            new TestTimeAdaptation(head, steps).adapt(copy.net, copy.manager, y, observed, height, width, sigma);
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    @Override
    public boolean preferredThroughPlane() {
        return card.autoUses(THROUGH_PLANE_AUTO);
    }

    /** The card's auto entry saying the learned method won the through-plane validation (sr-z). */
    static final String THROUGH_PLANE_AUTO = "sr-z";

    @Override
    public ThroughPlaneNetwork throughPlane(ThroughPlaneRecipe recipe, org.yax.core.solve.SliceRows thick, int depth,
                                           int height, int width, double sigma, int steps) {
        Head head = recipe.scale() <= 3 ? Head.SR2 : Head.SR4;
        if (net == null || !card.heads().contains(head.cliName())) {
            throw new IllegalArgumentException("through-plane super-resolution needs a yax model with the "
                    + head.cliName() + " head; " + name + " has " + card.heads());
        }
        if (steps == 0) {
            return new ThroughPlaneHead(this, head, false, 0);
        }
        long t0 = System.nanoTime();
        LearnedModel copy = copy();
        try {
            new ThroughPlaneAdaptation(head, recipe, steps).adapt(copy.net, copy.manager, thick, depth, height, width,
                    sigma);
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return new ThroughPlaneHead(copy, head, true, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Output pixels a through-plane tile holds, halo included (see {@link #refineOnGrid}): a plane of 180 fine slices
     * and 512 columns goes in two tiles of at most 324 columns, so its activations are about 0.6 of the whole plane's
     * for 16% more columns through the network (#16 point 7, docs/MODELS.md).
     */
    static final int TILE_PIXELS = 1 << 16;

    /**
     * A (rows, columns) plane already on the output grid, refined by the head's residual (normalised units). Wide
     * planes go through the network in tiles of whole columns with {@link #HALO} columns of context on each side,
     * starting on the network's size multiple ({@link #run(NDArray, Head, NDManager, int, int)} with one band of
     * rows), so a tile's kept columns see what the whole plane's would (the same values up to float rounding) while
     * the activations are bounded by the tile.
     */
    float[] refineOnGrid(Head head, float[] plane, int rows, int columns, double sigma) {
        // tall planes (many fine slices) keep at least 4 halos of columns per tile: at most 50% more columns
        // through the network, however tall, at the price of tiles above TILE_PIXELS
        return refineOnGrid(head, plane, rows, columns, sigma, Math.max(TILE_PIXELS, rows * 6 * HALO));
    }

    /** As above with tiles of at most {@code tilePixels} output pixels, halo included (at least 4 columns kept). */
    float[] refineOnGrid(Head head, float[] plane, int rows, int columns, double sigma, int tilePixels) {
        int m = MultiTaskNet.SIZE_MULTIPLE;
        int kept = Math.max(m, (tilePixels / rows - 2 * HALO) / m * m);
        int n = rows * columns;
        float[] planes = new float[3 * n];
        System.arraycopy(plane, 0, planes, 0, n);
        java.util.Arrays.fill(planes, n, 2 * n, (float) sigma);
        java.util.Arrays.fill(planes, 2 * n, 3 * n, 1f);
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(planes, new Shape(1, MultiTaskNet.INPUT_CHANNELS, rows, columns));
            // one band of all the rows, tiles of columns
            return run(x, head, call, (rows + m - 1) / m * m, kept).toFloatArray();
        }
    }

    /** An independent copy of the weights in a new manager on the same device. */
    LearnedModel copy() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                net.saveParameters(out);
            }
            NDManager m = NDManager.newBaseManager(manager.getDevice());
            try {
                MultiTaskNet n = ModelFiles.load(card, new ByteArrayInputStream(bytes.toByteArray()), m, name);
                return new LearnedModel(card, name + "+adapted", m, n);
            } catch (IOException | RuntimeException e) {
                m.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (scriptModel != null) {
            scriptModel.close();
        } else {
            manager.close();
        }
    }
}
