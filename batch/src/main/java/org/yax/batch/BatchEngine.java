package org.yax.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.Version;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.ThroughPlane;
import org.yax.io.Formats;
import org.yax.io.ImageFormat;
import org.yax.io.RunStamp;

/**
 * Runs one reconstruction recipe over many items, the same way for every face (the command line, Fiji, a cluster
 * job): a failed item is reported with its reason and the batch goes on; inputs are only read; every output is
 * written atomically; {@code resume} skips what an earlier run finished with the same input and parameters.
 * Items are {@link FileProcessor single files} (rasters above the streaming threshold window by window) or
 * {@link SeriesProcessor DICOM series}; each gives one report row (a series also a row per broken slice).
 */
public final class BatchEngine {
    /** Rasters whose result has more pixels per band than this are streamed window by window. */
    public static final long DEFAULT_STREAM_ABOVE_PIXELS = 64L << 20;

    private final ReconstructionSettings settings;
    private final Path outputRoot;
    private final Path referenceRoot;
    private final int jobs;
    private final boolean resume;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private boolean dryRun;
    private boolean perSlice;
    private boolean pictures = true;
    private List<ImageFormat> formats = Formats.all();
    private long streamAbovePixels = DEFAULT_STREAM_ABOVE_PIXELS;
    private String writeOptions;
    private RestorationNetwork network;
    private Supplier<String> methodNote = () -> null;
    private ThroughPlane throughPlane = ThroughPlane.IN_PLANE;
    private BatchListener listener = BatchListener.NONE;
    private java.util.function.BooleanSupplier stopAsked = () -> false;

    /**
     * @param referenceRoot ground truth mirroring the inputs' relative paths (PSNR/SSIM in the report), or null
     * @param jobs          items processed at once, sharing one engine
     */
    public BatchEngine(ReconstructionSettings settings, Path outputRoot, Path referenceRoot, int jobs, boolean resume) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
        this.settings = settings;
        this.outputRoot = outputRoot;
        this.referenceRoot = referenceRoot;
        this.jobs = jobs;
        this.resume = resume;
    }

    /** Streams rasters whose result has more than {@code pixels} pixels per band (input x scale^2). */
    public BatchEngine streamAbove(long pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("stream threshold must be >= 0 pixels, got " + pixels);
        }
        this.streamAbovePixels = pixels;
        return this;
    }

    /**
     * The formats to read and write with (e.g. rasters as COG); {@code writeOptions} describes what differs
     * from the defaults and joins the parameter hash, so {@code resume} redoes outputs written otherwise.
     */
    public BatchEngine formats(List<ImageFormat> chosen, String writeOptions) {
        this.formats = List.copyOf(chosen);
        this.writeOptions = writeOptions;
        return this;
    }

    /**
     * Reconstructs every slice of a DICOM series on its own (2-D) instead of each uniform stack as a volume;
     * joins the parameter hash, so resume redoes series made the other way.
     */
    public BatchEngine perSlice(boolean on) {
        this.perSlice = on;
        return this;
    }

    /**
     * The learned model for the network, pnp and auto methods (the caller keeps ownership; its name joins the
     * parameter hash), and a note every done item carries (e.g. why auto fell back to a classical method; asked
     * after each item, since a model that auto loads on first use may fail then).
     */
    public BatchEngine network(RestorationNetwork model, Supplier<String> note) {
        this.network = model;
        this.methodNote = note;
        return this;
    }

    /**
     * Whether each item makes thumbnails (input, output, difference) for the HTML report while its pixels are in
     * memory (default on; --no-html turns it off). Not part of the parameter hash: outputs do not depend on it.
     */
    public BatchEngine pictures(boolean on) {
        this.pictures = on;
        return this;
    }

    /**
     * Super-resolution along z too ({@code --axes z|xyz}): DICOM series get more, thinner slices; joins the
     * parameter hash.
     */
    public BatchEngine throughPlane(ThroughPlane how) {
        this.throughPlane = how;
        return this;
    }

    /** Only plans: every item is detected and named, nothing is read fully, solved or written. */
    public BatchEngine dryRun(boolean on) {
        this.dryRun = on;
        return this;
    }

    /** Who is told as items finish (a progress line, a status bar). */
    public BatchEngine listener(BatchListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Asks the run to stop (e.g. on Ctrl-C): items not started are reported as skipped ("interrupted"),
     * items in progress stop at their solver's next cancellation check; no partial output is left.
     */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get() || stopAsked.getAsBoolean();
    }

    /** Also stop when {@code asked} says so (e.g. Fiji's Esc key or a cancelled command); polled by the solvers. */
    public BatchEngine cancelledWhen(java.util.function.BooleanSupplier asked) {
        this.stopAsked = asked;
        return this;
    }

    /** The hash of everything that makes an output what it is (resume compares it). */
    String parameterHash() {
        return ResumeManifest.sha256("yax " + Version.get() + " " + settings
                + (writeOptions == null ? "" : " " + writeOptions) + (perSlice ? " per-slice" : "") + throughPlane.describe()
                + (network == null ? "" : " model=" + network.name()));
    }

    public Report run(List<Item> items) throws IOException {
        long start = System.nanoTime();
        Progress solverProgress = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return BatchEngine.this.isCancelled(); }
        };
        List<ItemResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try (Reconstruction reconstruction = dryRun ? null : new Reconstruction().withNetwork(network)) {
            ResumeManifest manifest = ResumeManifest.load(outputRoot);
            RunStamp stamp = manifest.startRun(resume);
            BatchRun run = newRun(new OutputPlan(outputRoot), manifest, reconstruction, solverProgress, stamp);
            List<Future<List<ItemResult>>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    List<ItemResult> r = process(item, run);
                    listener.finished(r);
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.addAll(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(ItemResult.of(items.get(i)).fail(Failures.internal(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
            listener.closed();
        }
        return new Report(results, (System.nanoTime() - start) / 1e9);
    }

    BatchRun newRun(OutputPlan outputs, ResumeManifest manifest, Reconstruction reconstruction, Progress progress,
                    RunStamp stamp) {
        return new BatchRun(settings, outputs, referenceRoot, resume, dryRun, perSlice, formats, streamAbovePixels,
                parameterHash(), network, methodNote, manifest, reconstruction, progress, stamp, pictures && !dryRun,
                throughPlane);
    }

    Path outputRoot() {
        return outputRoot;
    }

    boolean isDryRun() {
        return dryRun;
    }

    RestorationNetwork network() {
        return network;
    }

    /**
     * A worker that processes items one at a time for a run driven elsewhere (a cluster job's executor): it owns
     * one engine (and uses this engine's model) for all the items it is given, reads the output folder's resume
     * manifest once, and leaves writing the manifest and the report to the driver. See {@link BatchWorker}.
     *
     * @param stamp the run's stamp, as the driver's {@link ResumeManifest#startRun} chose it
     */
    public BatchWorker worker(RunStamp stamp) throws IOException {
        return new BatchWorker(this, stamp);
    }

    /** One item's rows, whatever breaks: the first row is the item's own. */
    static List<ItemResult> process(Item item, BatchRun run) {
        if (run.cancelled()) {
            return List.of(ItemResult.of(item).skip(BatchRun.INTERRUPTED));
        }
        try {
            if (run.throughPlane().axes().throughPlane()) {
                return item.isSeries() ? new ThroughPlaneSeriesProcessor(run).process(item)
                        : List.of(ItemResult.of(item).fail("through-plane super-resolution (--axes "
                                + run.throughPlane().axes().cliName() + ") needs a DICOM series of at least two "
                                + "slices with positions (ImagePositionPatient); this file is not part of one: a "
                                + "single slice, a slice without a position, or not DICOM"));
            }
            return item.isSeries() ? new SeriesProcessor(run).process(item) : List.of(new FileProcessor(run).process(item));
        } catch (Error | RuntimeException e) {
            // still one reported line per item, whatever broke
            return List.of(ItemResult.of(item).fail(Failures.internal(e)));
        }
    }
}
