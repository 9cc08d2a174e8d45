package org.yax.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.yax.batch.BatchEngine;
import org.yax.batch.Inputs;
import org.yax.batch.Report;
import org.yax.core.ReconstructionSettings;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.task.Method;
import org.yax.core.task.MethodResolver;
import org.yax.core.task.Task;
import org.yax.core.task.Axes;
import org.yax.core.task.ThroughPlane;
import org.yax.core.task.ThroughPlaneRecipe;
import org.yax.core.op.SliceProfile;
import org.yax.io.Formats;
import org.yax.io.gdal.GdalWriteOptions;
import org.yax.models.ModelChoice;
import org.yax.models.ModelRegistry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every option of {@code yax reconstruct}, as a picocli mixin, with what turns them into a configured
 * {@link BatchEngine}: shared by every face that runs the reconstruct recipe over an archive ({@code yax reconstruct},
 * {@code yax spark} and its executors), so they accept the same options and build the same engine from them.
 */
public final class ReconstructOptions {
    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Files or folders (walked recursively).")
    public List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUTDIR", required = true,
            description = "Output folder (created if missing; must not be inside an input folder).")
    public Path outputRoot;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "denoise",
            description = "denoise | sr | inpaint | deblur (default: ${DEFAULT-VALUE}).")
    String task;

    @Mixin
    PsfOption psf;

    @Option(names = "--scale", paramLabel = "N", description = "Upscaling factor for --task sr, 2..8 (default 2; "
            + "2..6 with --axes z or xyz).")
    Integer scale;

    @Option(names = "--axes", paramLabel = "xy|z|xyz", defaultValue = "xy",
            description = "Axes --task sr refines: xy (in-plane, default), z (DICOM series: scale times as many "
                    + "thinner slices, the slice profile from SliceThickness and the measured spacing as A) or xyz "
                    + "(both). Methods along z: cubic (B-spline baseline), tv (3-D TV with the z operator), network, "
                    + "auto (default: ${DEFAULT-VALUE}).")
    String axes;

    @Option(names = "--slice-profile", paramLabel = "box|gaussian", defaultValue = "box",
            description = "Slice profile along z for --axes z|xyz: a box as wide as SliceThickness, or a Gaussian "
                    + "with that full width at half maximum (default: ${DEFAULT-VALUE}).")
    String sliceProfile;

    @Option(names = "--sigma", paramLabel = "S|auto", defaultValue = "auto",
            description = "Noise standard deviation in the image's own units (HU, digital numbers), or auto to "
                    + "estimate it per plane from the data (default: ${DEFAULT-VALUE}).")
    String sigma;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "auto",
            description = "auto | tv | tikhonov | nlm | network | pnp | cubic (default: ${DEFAULT-VALUE}; auto: what the "
                    + "model's card prefers for the task (yax models), else tv; nlm: non-local means, --task denoise "
                    + "only; network: the model's direct head; pnp: plug-and-play with the model as the prior; cubic: B-spline "
                    + "along z, --axes z|xyz only).")
    String method;

    @Option(names = "--model", paramLabel = "NAME|PATH|none", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "Learned model for --method network|pnp|auto: a built-in name (yax models), a .params file "
                    + "from yax train, or none (auto then means tv) (default: ${DEFAULT-VALUE}).")
    public String model;

    @Option(names = "--adapt", paramLabel = "N", defaultValue = "0",
            description = "Test-time adaptation: N self-supervised steps of the network on each image before it is "
                    + "used (method network; the stored weights are not changed) (default: ${DEFAULT-VALUE}).")
    int adapt;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Items processed in parallel (default: ${DEFAULT-VALUE}).")
    public int jobs;

    @Option(names = "--resume", description = "Skip items already done in OUTDIR with the same input and parameters.")
    public boolean resume;

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
    public boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv|FILE.html",
            description = "Write one row per item: status, reason, timings and, with --reference, PSNR/SSIM. A .json "
                    + "or .csv report also gets the HTML page beside it (report.json: report.html): one self-contained "
                    + "file with thumbnails of each input, output and their difference, and a summary.")
    public Path reportFile;

    @Option(names = "--no-html",
            description = "Make no thumbnails and no HTML page (only the .json or .csv report).")
    public boolean noHtml;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "Ground truth: a folder mirroring the inputs' relative paths; items that have a "
                    + "counterpart there get PSNR/SSIM before and after in the report.")
    public Path referenceRoot;


    /**
     * Checks what picocli's parser cannot (usage errors as {@link Yax.UsageException}) and returns the recipe.
     * Does not touch the file system beyond the checks.
     */
    public ReconstructionSettings validate() {
        ReconstructionSettings settings = settings();
        throughPlane(settings);
        rasterOptions();
        streamAbovePixels();
        if (jobs < 1) {
            throw new Yax.UsageException("--jobs must be >= 1, got " + jobs);
        }
        if (reportFile != null && !Report.isSupported(reportFile)) {
            throw new Yax.UsageException("--report must end in .json, .csv or .html, got " + reportFile);
        }
        if (reportFile != null && noHtml && Report.isHtml(reportFile)) {
            throw new Yax.UsageException("--no-html leaves nothing for --report " + reportFile
                    + ": name a .json or .csv report");
        }
        try {
            Inputs.checkOutputOutside(outputRoot, inputs);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        if (referenceRoot != null && !Files.isDirectory(referenceRoot)) {
            throw new Yax.UsageException("--reference is not a folder: " + referenceRoot);
        }
        return settings;
    }

    /** The learned model these options ask for (loaded lazily, on the first solve that needs it). */
    public ModelChoice modelChoice(ReconstructionSettings settings) {
        if (dryRun) {
            return ModelChoice.none();
        }
        try {
            if (throughPlane(settings).axes().throughPlane()) {
                return ModelChoice.ofThroughPlane(model, settings.method());
            }
            return ModelChoice.of(model, settings.method(), settings.task(), settings.scale());
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
    }

    /** The engine these options describe, with {@code jobs} items at once (the listener is the caller's). */
    public BatchEngine engine(ReconstructionSettings settings, ModelChoice choice, int jobs) {
        GdalWriteOptions rasterOptions = rasterOptions();
        return new BatchEngine(settings, outputRoot, referenceRoot, jobs, resume).dryRun(dryRun)
                .perSlice(perSlice)
                .formats(Formats.with(rasterOptions), rasterOptions.toString())
                .streamAbove(streamAbovePixels())
                .pictures(!noHtml && reportFile != null)
                .throughPlane(throughPlane(settings))
                .network(choice.model(), choice::note);
    }

    /** Creates the output folder (not in a dry run); a message for the user if it cannot. */
    public String createOutputFolder() {
        if (!dryRun) {
            try {
                Files.createDirectories(outputRoot);
            } catch (IOException e) {
                return "cannot create output folder " + outputRoot + ": " + Yax.oneLine(e);
            }
        }
        return null;
    }

    ReconstructionSettings settings() {
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

    /** --axes and --slice-profile, checked against the settings (z needs --task sr and a scale of 2..6). */
    public ThroughPlane throughPlane(ReconstructionSettings settings) {
        ThroughPlane how;
        try {
            how = new ThroughPlane(Axes.fromName(axes), SliceProfile.Shape.fromName(sliceProfile));
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        if (how.axes().throughPlane()) {
            if (settings.task() != Task.SUPER_RESOLUTION) {
                throw new Yax.UsageException("--axes " + axes + " applies to --task sr, not --task " + task);
            }
            if (settings.scale() > 6) {
                throw new Yax.UsageException("--scale must be 2..6 with --axes " + axes + ", got " + settings.scale());
            }
        } else if (settings.method() == Method.CUBIC) {
            throw new Yax.UsageException(ThroughPlaneRecipe.CUBIC_ONLY);
        }
        return how;
    }

    long streamAbovePixels() {
        if (!(streamAboveMegapixels >= 0)) {
            throw new Yax.UsageException("--stream-above must be >= 0 megapixels, got " + streamAboveMegapixels);
        }
        return Math.round(streamAboveMegapixels * 1024 * 1024);
    }

    GdalWriteOptions rasterOptions() {
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
