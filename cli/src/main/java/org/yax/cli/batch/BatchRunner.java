package org.yax.cli.batch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import org.yax.cli.Yax;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.PlaneStatistics;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.Version;
import org.yax.core.metric.ImageQuality;
import org.yax.core.task.Method;
import org.yax.io.Formats;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;
import org.yax.io.gdal.GdalFormat;
import org.yax.io.gdal.GdalPlaneStatistics;
import org.yax.io.gdal.GdalTiledProcessing;

/**
 * Runs one reconstruction recipe over many items: a failed item is reported with its reason and the
 * batch goes on; inputs are only read; every output is written atomically.
 */
public final class BatchRunner {
    /** Extensions of files that claim to be images: if no format can read them, that is a failure, not a skip. */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("dcm", "dicom", "ima", "tif", "tiff", "gtiff", "png",
            "jpg", "jpeg", "jp2", "img", "hdr", "vrt", "nc", "h5", "hdf", "bil", "bsq", "asc");

    private final ReconstructionSettings settings;
    private final Path outputRoot;
    private final Path referenceRoot;
    private final int jobs;
    private final boolean resume;
    private final PrintWriter log;
    private final Map<Path, Path> claimedOutputs = new HashMap<>();
    /** First input seen with each content checksum: byte-identical copies are done but noted. */
    private final Map<String, Path> inputsBySha = new HashMap<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private boolean dryRun;
    private boolean perSlice;
    private List<ImageFormat> formats = Formats.all();
    private long streamAbovePixels = DEFAULT_STREAM_ABOVE_PIXELS;
    private String parameterHash;
    private String writeOptions;
    private RestorationNetwork network;
    private java.util.function.Supplier<String> methodNote = () -> null;

    public BatchRunner(ReconstructionSettings settings, Path outputRoot, Path referenceRoot, int jobs, boolean resume,
                       PrintWriter log) {
        this.settings = settings;
        this.outputRoot = outputRoot;
        this.referenceRoot = referenceRoot;
        this.jobs = jobs;
        this.resume = resume;
        this.log = log;
    }

    /**
     * The formats to read and write with (e.g. rasters as COG); {@code writeOptions} describes what differs
     * from the defaults and joins the parameter hash, so {@code --resume} redoes outputs written otherwise.
     */
    /** Rasters whose result has more pixels per band than this are streamed window by window. */
    public static final long DEFAULT_STREAM_ABOVE_PIXELS = 64L << 20;

    /** Streams rasters whose result has more than {@code pixels} pixels per band (input x scale^2). */
    public BatchRunner streamAbove(long pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("stream threshold must be >= 0 pixels, got " + pixels);
        }
        this.streamAbovePixels = pixels;
        return this;
    }

    public BatchRunner formats(List<ImageFormat> chosen, String writeOptions) {
        this.formats = List.copyOf(chosen);
        this.writeOptions = writeOptions;
        return this;
    }

    /**
     * Reconstructs every slice of a DICOM series on its own (2-D), as before series were volumes; joins the
     * parameter hash, so --resume redoes series made the other way.
     */
    public BatchRunner perSlice(boolean on) {
        this.perSlice = on;
        return this;
    }

    /**
     * The learned model for the network, pnp and auto methods (the caller keeps ownership; its name joins the
     * parameter hash), and a note every done item carries (e.g. why auto fell back to a classical method; asked
     * after each item, since a model that auto loads on first use may fail then).
     */
    public BatchRunner network(RestorationNetwork model, java.util.function.Supplier<String> note) {
        this.network = model;
        this.methodNote = note;
        return this;
    }

    /** Only plans: every item is detected and named, nothing is read fully, solved or written. */
    public BatchRunner dryRun(boolean on) {
        this.dryRun = on;
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
        return cancelled.get();
    }

    public Report run(List<Item> items) throws IOException {
        long start = System.nanoTime();
        ResumeManifest manifest = ResumeManifest.load(outputRoot);
        parameterHash = ResumeManifest.sha256("yax " + Version.get() + " " + settings
                + (writeOptions == null ? "" : " " + writeOptions) + (perSlice ? " per-slice" : "")
                + (network == null ? "" : " model=" + network.name()));
        List<ItemResult> results = new ArrayList<>();
        ProgressLine progress = new ProgressLine(items.size(), log, System.console() != null);
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        Progress solverProgress = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return cancelled.get(); }
        };
        try (Reconstruction reconstruction = dryRun ? null : new Reconstruction().withNetwork(network)) {
            List<Future<List<ItemResult>>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    List<ItemResult> r;
                    try {
                        r = cancelled.get() ? List.of(ItemResult.of(item).skip(INTERRUPTED))
                                : item.isSeries() ? processSeries(item, reconstruction, manifest, solverProgress)
                                : List.of(process(item, reconstruction, manifest, solverProgress));
                    } catch (Error | RuntimeException e) {
                        // still one reported line per item, whatever broke
                        r = List.of(ItemResult.of(item).fail("internal error: " + e.getClass().getSimpleName() + ": "
                                + Yax.oneLine(e)));
                    }
                    progress.finished(r);
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.addAll(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(ItemResult.of(items.get(i)).fail("internal error: " + Yax.oneLine(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
            progress.close();
        }
        return new Report(results, (System.nanoTime() - start) / 1e9);
    }

    static final String INTERRUPTED = "interrupted";
    static final String STREAMED = "streamed window by window (larger than --stream-above)";

    /**
     * A raster too large to hold goes through GDAL window by window (bounded memory): a first pass measures
     * each band's statistics (GdalPlaneStatistics: exact range and mean, sigma from sampled windows when
     * auto), then every window is solved with its band's statistics, as the in-memory tiles are.
     */
    private void streamRaster(GdalFormat raster, Path in, Path out, Progress progress, Reconstruction reconstruction,
                              ItemResult r) throws ImageFileException {
        Method method = reconstruction.effectiveMethod(settings);
        int scale = settings.scale();
        long t0 = System.nanoTime();
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(in, settings.sigma(), progress.range(0, 0.05));
        double[] sigmas = planes.stream().mapToDouble(PlaneStatistics::sigma).toArray();
        Map<String, String> params = new LinkedHashMap<>();
        if (settings.psf() != null) {
            params.put("psf", settings.psf().toString());
        }
        params.put("sigma", settings.sigma() == null ? "auto" : String.format(Locale.ROOT, "%.4g", settings.sigma()));
        if (settings.sigma() == null) {
            params.put("sigma_estimated", sigmaSummary(sigmas).replace(';', ','));
            params.put("sigma_estimate", "median of sampled windows");
        }
        Derivation derivation = new Derivation(settings.task().cliName(), method.cliName(), scale, params,
                Version.get());
        int halo = reconstruction.haloFor(settings);
        GdalTiledProcessing.run(in, out, (window, p) -> reconstruction.run(window, settings, planes, p).image(),
                derivation, GdalTiledProcessing.Settings.of(halo, scale), raster.writeOptions(),
                progress.range(0.05, 1));
        r.secondsSolve = seconds(t0);
        r.task = derivation.task();
        r.method = derivation.method();
        r.scale = scale;
        r.sigma = sigmaSummary(sigmas);
    }

    private ItemResult process(Item item, Reconstruction reconstruction, ResumeManifest manifest,
                               Progress solverProgress) {
        ItemResult r = ItemResult.of(item);
        long t0 = System.nanoTime();
        try {
            Path in = item.input();
            if (Files.isSymbolicLink(in) && !item.explicit()) {
                // links found in folders are not followed: a link loop or a link out of the archive stays out
                return r.skip("symbolic link (not followed)");
            }
            if (!Files.exists(in)) {
                return r.fail("no such file or folder");
            }
            if (!Files.isRegularFile(in)) {
                return r.fail("not a regular file");
            }
            if (!Files.isReadable(in)) {
                return r.fail("permission denied (cannot read)");
            }
            if (Files.size(in) == 0) {
                return r.fail("empty file");
            }
            Optional<ImageFormat> detected = Formats.detect(in, formats);
            if (detected.isEmpty()) {
                return item.explicit() || claimsToBeImage(in)
                        ? r.fail("not a DICOM file or a raster GDAL can read")
                        : r.skip("not an image (neither DICOM nor a GDAL raster)");
            }
            ImageFormat format = detected.get();
            r.format = format.name();
            Path relativeOut = outputRelative(item, format);
            Path out = outputRoot.resolve(relativeOut);
            r.output = out.toString();
            String clash = claim(out, in);
            if (clash != null) {
                return r.fail(clash);
            }
            String inputSha = ResumeManifest.sha256(in);
            String duplicate = noteDuplicate(inputSha, in);
            if (resume && manifest.isDone(relativeOut.toString(), inputSha, parameterHash, out)) {
                return r.skip("already done with the same input and parameters (--resume)");
            }
            if (dryRun) {
                String nonImage = nonImageDicom(format, in); // header only, stops before pixel data
                if (nonImage != null) {
                    r.output = null;
                    return r.skip(nonImage);
                }
                r.status = ItemResult.Status.planned;
                r.reason = joined(joined(item.note(), duplicate), methodNote.get());
                return r;
            }

            if (format instanceof GdalFormat raster
                    && raster.pixelsPerBand(in) * settings.scale() * settings.scale() > streamAbovePixels) {
                streamRaster(raster, in, out, solverProgress, reconstruction, r);
                manifest.markDone(relativeOut.toString(), inputSha, parameterHash);
                r.reason = joined(duplicate == null ? STREAMED : STREAMED + "; " + duplicate, methodNote.get());
                r.status = ItemResult.Status.done;
                return r;
            }

            long tRead = System.nanoTime();
            Image input;
            try {
                input = format.read(in);
            } catch (ImageFileException e) {
                String nonImage = nonImageDicom(format, in);
                if (nonImage != null) {
                    r.output = null;
                    return r.skip(nonImage);
                }
                throw e;
            }
            r.secondsRead = seconds(tRead);
            long tSolve = System.nanoTime();
            Reconstruction.Result result = reconstruction.run(input, settings, solverProgress);
            r.secondsSolve = seconds(tSolve);
            if (cancelled.get()) {
                r.output = null;
                return r.skip(INTERRUPTED); // solved but not written: the next --resume redoes it
            }
            long tWrite = System.nanoTime();
            format.write(result.image(), result.derivation(), out);
            r.secondsWrite = seconds(tWrite);
            manifest.markDone(relativeOut.toString(), inputSha, parameterHash);
            r.reason = joined(joined(item.note(), duplicate), methodNote.get());

            r.task = result.derivation().task();
            r.method = result.derivation().method();
            r.scale = result.derivation().scale();
            r.sigma = sigmaSummary(result.sigmas());
            r.iterations = result.iterations();
            compareWithReference(item, format, input, result.image(), r);
            r.status = ItemResult.Status.done;
            return r;
        } catch (Progress.CancelledException e) {
            r.output = null;
            return r.skip(INTERRUPTED);
        } catch (ImageFileException e) {
            return r.fail(e.reason());
        } catch (IllegalArgumentException e) {
            return r.fail(Yax.oneLine(e));
        } catch (IOException e) {
            return r.fail("I/O error: " + Yax.oneLine(e));
        } catch (OutOfMemoryError e) {
            return r.fail("out of memory (raise -Xmx in JAVA_OPTS)");
        } catch (RuntimeException e) {
            return r.fail(e.getClass().getSimpleName() + ": " + Yax.oneLine(e));
        } finally {
            r.secondsTotal = seconds(t0);
        }
    }

    private static String joined(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    /** A DICOM series: see {@link SeriesProcessing}; the first row is the series, then its failed or left-out slices. */
    private List<ItemResult> processSeries(Item item, Reconstruction reconstruction, ResumeManifest manifest,
                                           Progress solverProgress) {
        long t0 = System.nanoTime();
        List<ItemResult> rows;
        ItemResult r = ItemResult.of(item);
        r.series = item.seriesUid();
        r.slices = item.slices().size();
        try {
            rows = new SeriesProcessing(seriesContext()).process(item, reconstruction, manifest, solverProgress);
            r = rows.get(0);
        } catch (Progress.CancelledException e) {
            rows = List.of(r.skip(INTERRUPTED)); // SeriesProcessing removed the slices it had written
        } catch (ImageFileException e) {
            rows = List.of(r.fail(e.file() + ": " + e.reason()));
        } catch (IllegalArgumentException e) {
            rows = List.of(r.fail(Yax.oneLine(e)));
        } catch (IOException e) {
            rows = List.of(r.fail("I/O error: " + Yax.oneLine(e)));
        } catch (OutOfMemoryError e) {
            rows = List.of(r.fail("out of memory (raise -Xmx in JAVA_OPTS)"));
        } catch (RuntimeException e) {
            rows = List.of(r.fail(e.getClass().getSimpleName() + ": " + Yax.oneLine(e)));
        }
        r.secondsTotal = seconds(t0);
        return rows;
    }

    private SeriesProcessing.Context seriesContext() {
        return new SeriesProcessing.Context() {
            @Override public ReconstructionSettings settings() { return settings; }
            @Override public Method method() {
                return Reconstruction.effectiveMethod(settings, network);
            }
            @Override public String methodNote() { return methodNote.get(); }
            @Override public boolean perSlice() { return perSlice; }
            @Override public Path outputRoot() { return outputRoot; }
            @Override public Path referenceRoot() { return referenceRoot; }
            @Override public boolean resume() { return resume; }
            @Override public boolean dryRun() { return dryRun; }
            @Override public String parameterHash() { return parameterHash; }
            @Override public String claim(Path out, Path in) throws IOException { return BatchRunner.this.claim(out, in); }
            @Override public Path outputRelative(Item slice) {
                return BatchRunner.this.outputRelative(slice, DICOM_FORMAT);
            }
        };
    }

    private static final ImageFormat DICOM_FORMAT = new org.yax.io.dicom.DicomFormat();

    private void compareWithReference(Item item, ImageFormat format, Image input, Image output, ItemResult r) {
        if (referenceRoot == null) {
            return;
        }
        Path ref = referenceRoot.resolve(item.relative().toString());
        if (!Files.isRegularFile(ref)) {
            return;
        }
        try {
            Image truth = format.read(ref);
            double[] before = ImageQuality.measure(truth, input);
            double[] after = ImageQuality.measure(truth, output);
            if (before != null) {
                r.psnrBefore = round(before[0]);
                r.ssimBefore = round(before[1]);
            }
            if (after != null) {
                r.psnrAfter = round(after[0]);
                r.ssimAfter = round(after[1]);
            }
        } catch (ImageFileException e) {
            r.reason = "reference not readable: " + e.reason();
        }
    }

    private Path outputRelative(Item item, ImageFormat format) {
        Path rel = item.relative();
        String name = format.outputFileName(rel.getFileName().toString());
        return rel.getParent() == null ? Path.of(name) : rel.getParent().resolve(name);
    }

    /** Refuses an output that would overwrite an input or another item's output. Null when free. */
    private synchronized String claim(Path out, Path in) throws IOException {
        Path key = out.toAbsolutePath().normalize();
        if (key.equals(in.toAbsolutePath().normalize())
                || (Files.exists(out) && Files.isSameFile(out, in))) {
            return "output " + out + " would overwrite its own input";
        }
        Path previous = claimedOutputs.putIfAbsent(key, in);
        return previous == null ? null : "output " + out + " clashes with the output of " + previous;
    }

    private static boolean claimsToBeImage(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Byte-identical copies (hence the same SOP Instance UID for DICOM) are each reconstructed, with fresh
     * derived UIDs each; the later one carries a note naming the first, so the duplicate is visible in the report.
     */
    private synchronized String noteDuplicate(String sha, Path in) {
        Path first = inputsBySha.putIfAbsent(sha, in);
        return first == null ? null : "same content as " + first + " (duplicate input)";
    }

    /** A DICOM object that is not an image (RT Plan, Structure Set, SR...): a skip with a note, not a failure. */
    private static String nonImageDicom(ImageFormat format, Path in) {
        if (!"DICOM".equalsIgnoreCase(format.name())) {
            return null;
        }
        try {
            AttributeList list = new AttributeList();
            list.read(in.toFile(), TagFromName.PixelData);
            String sopClass = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list,
                    TagFromName.SOPClassUID).trim();
            if (sopClass.isEmpty() || SOPClass.isImageStorage(sopClass) || list.get(TagFromName.Rows) != null) {
                return null;
            }
            String name = com.pixelmed.dicom.SOPClassDescriptions.getDescriptionFromUID(sopClass);
            return "non-image DICOM object (" + (name == null || name.isBlank() ? sopClass : name) + "): no pixel data";
        } catch (Exception | LinkageError e) {
            return null; // not even the header reads: the original failure stands
        }
    }

    private static String sigmaSummary(double[] sigmas) {
        List<String> parts = new ArrayList<>();
        for (double s : sigmas) {
            parts.add(String.format(Locale.ROOT, "%.4g", s));
        }
        return String.join(";", parts);
    }

    static Double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1000.0;
    }

    static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }
}
