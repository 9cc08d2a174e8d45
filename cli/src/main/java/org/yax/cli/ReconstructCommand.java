package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.yax.batch.BatchEngine;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.core.ReconstructionSettings;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.task.Method;
import org.yax.core.task.MethodResolver;
import org.yax.core.task.Task;
import org.yax.io.Formats;
import org.yax.io.gdal.GdalWriteOptions;
import org.yax.models.ModelChoice;
import org.yax.models.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yax reconstruct INPUT... -o OUTDIR}: one recipe over files and whole folders. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstructs every DICOM file and GDAL raster under the inputs and writes derived files "
                + "(DICOM: new SOP/Series UIDs, same Study; GeoTIFF: same CRS, nodata and geotransform) into "
                + "OUTDIR, mirroring the input tree and keeping file names.",
            "Other files found in folders are skipped and listed in the report."},
        footer = {"", "Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 some inputs failed (the rest done), "
                + "130 interrupted (Ctrl-C/SIGINT: items not finished are reported as skipped, 'interrupted'; "
                + "--resume finishes them)."})
final class ReconstructCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Files or folders (walked recursively).")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUTDIR", required = true,
            description = "Output folder (created if missing; must not be inside an input folder).")
    Path outputRoot;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "denoise",
            description = "denoise | sr | inpaint | deblur (default: ${DEFAULT-VALUE}).")
    String task;

    @Mixin
    PsfOption psf;

    @Option(names = "--scale", paramLabel = "N", description = "Upscaling factor for --task sr, 2..8 (default 2).")
    Integer scale;

    @Option(names = "--sigma", paramLabel = "S|auto", defaultValue = "auto",
            description = "Noise standard deviation in the image's own units (HU, digital numbers), or auto to "
                    + "estimate it per plane from the data (default: ${DEFAULT-VALUE}).")
    String sigma;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "auto",
            description = "auto | tv | tikhonov | nlm | network | pnp (default: ${DEFAULT-VALUE}; auto: what the "
                    + "model's card prefers for the task (yax models), else tv; nlm: non-local means, --task denoise "
                    + "only; network: the model's direct head; pnp: plug-and-play with the model as the prior).")
    String method;

    @Option(names = "--model", paramLabel = "NAME|PATH|none", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "Learned model for --method network|pnp|auto: a built-in name (yax models), a .params file "
                    + "from yax train, or none (auto then means tv) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--adapt", paramLabel = "N", defaultValue = "0",
            description = "Test-time adaptation: N self-supervised steps of the network on each image before it is "
                    + "used (method network; the stored weights are not changed) (default: ${DEFAULT-VALUE}).")
    int adapt;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Items processed in parallel (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--resume", description = "Skip items already done in OUTDIR with the same input and parameters.")
    boolean resume;

    @Option(names = "--layout", paramLabel = "geotiff|cog", defaultValue = "geotiff",
            description = "How rasters are written: tiled GeoTIFF, or a Cloud Optimized GeoTIFF (default: "
                    + "${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--compress", paramLabel = "deflate|zstd|lzw|none", defaultValue = "deflate",
            description = "Raster compression, with a predictor (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--float32",
            description = "Write rasters as float32 instead of the source's data type (which is kept by default, "
                    + "with rounding and clamping).")
    boolean float32;

    @Option(names = "--stream-above", paramLabel = "MPIX", defaultValue = "64",
            description = "Rasters whose result has more megapixels per band than this (for sr: input times "
                    + "scale^2) are processed window by window with bounded memory (default: ${DEFAULT-VALUE}).")
    double streamAboveMegapixels;

    @Option(names = "--per-slice",
            description = "Reconstruct each slice of a DICOM series on its own (2-D) instead of each uniformly spaced "
                    + "stack as a volume (3-D TV); the slices still form one derived series.")
    boolean perSlice;

    @Option(names = "--dry-run",
            description = "List what would be done (input -> output, format) and what would be skipped or fail "
                    + "and why; reads only headers, writes nothing into OUTDIR (a --report file is still written).")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv",
            description = "Write one row per item: status, reason, timings and, with --reference, PSNR/SSIM.")
    Path reportFile;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "Ground truth: a folder mirroring the inputs' relative paths; items that have a "
                    + "counterpart there get PSNR/SSIM before and after in the report.")
    Path referenceRoot;

    @Override
    public Integer call() throws IOException {
        ReconstructionSettings settings = settings();
        GdalWriteOptions rasterOptions = rasterOptions();
        if (jobs < 1) {
            throw new Yax.UsageException("--jobs must be >= 1, got " + jobs);
        }
        if (reportFile != null && !Report.isSupported(reportFile)) {
            throw new Yax.UsageException("--report must end in .json or .csv, got " + reportFile);
        }
        try {
            Inputs.checkOutputOutside(outputRoot, inputs);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        if (referenceRoot != null && !Files.isDirectory(referenceRoot)) {
            throw new Yax.UsageException("--reference is not a folder: " + referenceRoot);
        }
        if (!dryRun) {
            try {
                Files.createDirectories(outputRoot);
            } catch (IOException e) {
                spec.commandLine().getErr().println("yax: fatal: cannot create output folder " + outputRoot + ": "
                        + Yax.oneLine(e));
                return Yax.EXIT_FATAL;
            }
        }
        try (ModelChoice choice = dryRun ? ModelChoice.none() : modelChoice(settings)) {
            if (choice.note() != null) {
                spec.commandLine().getErr().println("yax: note: " + choice.note());
            }
            return runBatch(settings, rasterOptions, choice);
        }
    }

    private ModelChoice modelChoice(ReconstructionSettings settings) {
        try {
            return ModelChoice.of(model, settings.method(), settings.task(), settings.scale());
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
    }

    private int runBatch(ReconstructionSettings settings, GdalWriteOptions rasterOptions, ModelChoice choice)
            throws IOException {
        // slices of one DICOM series (in any folders) become one item: reconstructed as a volume, one derived series
        List<Item> items = Inputs.items(inputs);
        PrintWriter err = spec.commandLine().getErr();
        BatchEngine runner = new BatchEngine(settings, outputRoot, referenceRoot, jobs, resume).dryRun(dryRun)
                .perSlice(perSlice)
                .formats(Formats.with(rasterOptions), rasterOptions.toString())
                .streamAbove(streamAbovePixels())
                .network(choice.model(), choice::note)
                .listener(new ProgressLine(items.size(), err, System.console() != null));
        CountDownLatch reported = new CountDownLatch(1);
        // Ctrl-C / SIGINT / SIGTERM: the JVM runs this hook; it makes the runner stop and waits until the
        // report of what was done is written (the JVM then exits with 128 + signal, i.e. 130 for SIGINT)
        Thread onSignal = new Thread(() -> {
            runner.cancel();
            try {
                reported.await(SECONDS_TO_STOP, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "yax-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            Report report = runner.run(items);
            if (reportFile != null) {
                report.write(reportFile);
            }
            err.println("yax: " + (runner.isCancelled() ? "interrupted: " : "") + report.summary()
                    + (runner.isCancelled() ? " (" + report.interrupted() + " interrupted; rerun with --resume)" : "")
                    + (reportFile != null ? "; report: " + reportFile : ""));
            err.flush();
            if (runner.isCancelled()) {
                return Yax.EXIT_INTERRUPTED;
            }
            return report.count(ItemResult.Status.failed) > 0 ? Yax.EXIT_PARTIAL : Yax.EXIT_OK;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the report is written
            }
        }
    }

    /** How long a signal waits for the items in progress to stop before the JVM exits anyway. */
    private static final long SECONDS_TO_STOP = 60;

    private ReconstructionSettings settings() {
        try {
            Task t = Task.fromName(task);
            if (t == Task.MRI) {
                throw new Yax.UsageException("--task mri needs k-space data, which image files do not hold; "
                        + "'yax eval --task mri' simulates undersampled acquisitions from images");
            }
            int s = scale != null ? scale : (t == Task.SUPER_RESOLUTION ? 2 : 1);
            if (scale != null && t != Task.SUPER_RESOLUTION && scale != 1) {
                throw new Yax.UsageException("--scale applies to --task sr only (got --task " + task + " --scale "
                        + scale + ")");
            }
            NoiseLevel noise = NoiseLevel.parse(sigma);
            psf.checkFor(t, task);
            Method m = MethodResolver.requested(Method.fromName(method.toLowerCase(Locale.ROOT)), adapt);
            return new ReconstructionSettings(t, s, noise, m, psf.parse(), adapt);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
    }

    private long streamAbovePixels() {
        if (!(streamAboveMegapixels >= 0)) {
            throw new Yax.UsageException("--stream-above must be >= 0 megapixels, got " + streamAboveMegapixels);
        }
        return Math.round(streamAboveMegapixels * 1024 * 1024);
    }

    private GdalWriteOptions rasterOptions() {
        GdalWriteOptions o = GdalWriteOptions.DEFAULT;
        try {
            o = o.withLayout(GdalWriteOptions.Layout.valueOf(layout.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException("--layout must be geotiff or cog, got '" + layout + "'");
        }
        try {
            o = o.withCompression(GdalWriteOptions.Compression.valueOf(compress.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException("--compress must be deflate, zstd, lzw or none, got '" + compress + "'");
        }
        return float32 ? o.withDataType(GdalWriteOptions.DataType.FLOAT32) : o;
    }
}
