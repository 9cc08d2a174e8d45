package org.yax.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yax.batch.html.SeriesPictures;
import org.yax.core.Derivation;
import org.yax.core.PlaneStatistics;
import org.yax.core.Provenance;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.metric.ImageQuality;
import org.yax.core.task.Method;
import org.yax.core.task.MethodResolver;
import org.yax.io.ImageFileException;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomSeries;
import org.yax.io.dicom.DicomSeriesSource;
import org.yax.io.dicom.DicomSeriesWriter;
import org.yax.io.dicom.SeriesAssembler;
import org.yax.io.dicom.SeriesAssembly;
import org.yax.io.dicom.SkippedFile;

/**
 * One DICOM series item of a batch: its slices are assembled into uniform stacks from their headers, each slice is
 * decoded once into a scratch file ({@link DicomSeriesSource}; a broken slice is reported and left out, which may
 * split its stack), and each stack is reconstructed as a volume (3-D TV, z differences weighted by pixel /
 * slice spacing) or slice by slice when a volume does not apply (super-resolution, --per-slice, a single
 * slice, colour, no positions); the report row says which and why. Every output slice mirrors its source's
 * relative path and all share one derived Series UID (one Derivation for the whole series).
 */
final class SeriesProcessor {
    private static final DicomFormat DICOM = new DicomFormat();

    private final BatchRun run;

    SeriesProcessor(BatchRun run) {
        this.run = run;
    }

    /** The series' rows: the first is the series, then its failed or left-out slices; whatever breaks. */
    List<ItemResult> process(Item item) {
        long t0 = System.nanoTime();
        List<ItemResult> rows;
        ItemResult r = ItemResult.of(item);
        r.series = item.seriesUid();
        r.slices = item.slices().size();
        try {
            rows = processChecked(item);
            r = rows.get(0);
        } catch (Exception | OutOfMemoryError e) {
            // cancelled: the slices written so far were removed, the next resume redoes the series
            rows = List.of(Failures.isCancel(e) ? r.skip(BatchRun.INTERRUPTED) : r.fail(Failures.reasonNamingFile(e)));
        }
        r.secondsTotal = BatchRun.seconds(t0);
        return rows;
    }

    /** How one stack is reconstructed, decided from its headers. */
    private record Plan(DicomSeries stack, boolean volume, String how, double zWeight) { }

    private List<ItemResult> processChecked(Item item) throws IOException {
        Reconstruction reconstruction = run.reconstruction();
        ResumeManifest manifest = run.manifest();
        Progress progress = run.progress();
        ItemResult r = ItemResult.of(item);
        r.format = DicomFormat.NAME + " series";
        r.series = item.seriesUid();
        r.slices = item.slices().size();
        List<ItemResult> rows = new ArrayList<>();
        rows.add(r);
        Map<Path, Item> byFile = new LinkedHashMap<>();
        Map<Path, Path> outputs = new HashMap<>();
        List<Path> outputList = new ArrayList<>();
        for (Item slice : item.slices()) {
            Path out = run.outputs().root().resolve(OutputPlan.relative(slice, DICOM));
            String clash = run.outputs().claim(out, slice.input());
            if (clash != null) {
                r.fail("slice " + slice.input() + ": " + clash);
                return rows;
            }
            byFile.put(slice.input(), slice);
            outputs.put(slice.input(), out);
            outputList.add(out);
        }
        r.output = SeriesGrouping.commonFolder(outputList).toString();
        String inputSha = SeriesItems.inputSha(item);
        String key = SeriesItems.key(item);
        if (run.resume() && manifest.isDone(key, inputSha, run.parameterHash(), outputList)) {
            return List.of(r.skip("already done with the same input and parameters (--resume)"));
        }
        if (run.dryRun()) {
            // headers only: the plan as far as they tell (a slice whose pixels are broken shows up in the real run)
            SeriesAssembly assembly = SeriesAssembler.assemble(new ArrayList<>(byFile.keySet()));
            r.reconstruction = describe(plans(assembly.series()), assembly.series());
            r.status = ItemResult.Status.planned;
            r.reason = item.slices().size() + " slices, series " + item.seriesUid() + ": " + r.reconstruction;
            return rows;
        }

        // every slice is decoded once, here, into a scratch file beside the outputs; the solve reads it back
        long tRead = System.nanoTime();
        SeriesAssembly assembly = SeriesAssembler.assemble(new ArrayList<>(byFile.keySet()));
        List<DicomSeriesSource> opened = new ArrayList<>();
        List<SkippedFile> broken = new ArrayList<>();
        List<DicomSeriesSource> parts = new ArrayList<>();
        try {
            for (DicomSeries stack : assembly.series()) {
                DicomSeriesSource source = DicomSeriesSource.open(stack, run.outputs().writeRoot(),
                        progress.range(0, 0));
                opened.add(source);
                broken.addAll(source.broken());
                parts.addAll(source.parts());
            }
            rows.addAll(SeriesItems.brokenRows(item, byFile, broken));
            r.secondsRead = BatchRun.seconds(tRead);
            if (parts.isEmpty()) {
                r.fail("no slice of the series could be read (each is listed with its reason)");
                return rows;
            }
            rows.addAll(SeriesItems.leftOutRows(item, byFile, assembly.skipped()));
            List<Plan> plans = plans(parts.stream().map(DicomSeriesSource::series).toList());
            r.reconstruction = describe(plans, parts.stream().map(DicomSeriesSource::series).toList());
            List<StackNoise> noise = new ArrayList<>();
            for (int k = 0; k < plans.size(); k++) {
                noise.add(noise(plans.get(k), parts.get(k)));
            }
            Derivation derivation = derivation(plans, noise, r);
            solve(item, plans, parts, noise, derivation, outputs, r);
        } finally {
            for (DicomSeriesSource source : opened) {
                source.close();
            }
        }
        r.slices = parts.stream().mapToInt(DicomSeriesSource::depth).sum();
        List<String> notes = new ArrayList<>();
        long failed = rows.stream().filter(x -> x.status == ItemResult.Status.failed).count();
        if (failed > 0) {
            notes.add(failed + " of " + item.slices().size() + " slices failed (listed with their reasons); the other "
                    + r.slices + " reconstructed");
        }
        if (!assembly.skipped().isEmpty()) {
            notes.add(assembly.skipped().size() + " slice(s) left out (listed)");
        }
        String methodNote = run.methodNote().get();
        if (methodNote != null) {
            notes.add(methodNote);
        }
        r.reason = notes.isEmpty() ? null : String.join("; ", notes);
        if (failed == 0) {
            // a series with a broken slice is redone by --resume, so the failure is reported again
            manifest.markDone(key, inputSha, run.parameterHash());
        }
        r.status = ItemResult.Status.done;
        return rows;
    }

    /**
     * The noise a stack is solved with, known before any slice is written (the series' provenance records it and the
     * derived Series UID is a function of that): a volume's sigma (given, or the median of per-slice estimates; NaN
     * when no voxel is observed), or each slice's plane statistics. The solve is handed these, so it uses exactly
     * what the provenance says.
     */
    private record StackNoise(double volumeSigma, List<List<PlaneStatistics>> slices) {
        /** The volume path's settings: the estimated sigma as the given one. */
        ReconstructionSettings volumeSettings(ReconstructionSettings s) {
            return Double.isNaN(volumeSigma) ? s : new ReconstructionSettings(s.task(), s.scale(),
                    NoiseLevel.given(volumeSigma), s.method(), s.psf(), s.adaptSteps());
        }
    }

    private StackNoise noise(Plan plan, DicomSeriesSource part) throws IOException {
        NoiseLevel level = run.settings().noise();
        if (plan.volume()) {
            return new StackNoise(Reconstruction.volumeSigma(part, level, run.progress()), null);
        }
        List<List<PlaneStatistics>> slices = new ArrayList<>();
        for (int z = 0; z < part.depth(); z++) {
            slices.add(Reconstruction.planeStatistics(part.image(z), level));
        }
        return new StackNoise(Double.NaN, slices);
    }

    /**
     * One derivation for every slice of the series: the derived Series UID is a function of it, so the series stays
     * one. The volume path is TV whatever was asked (auto, tv); slice by slice auto is resolved with the model.
     */
    private Derivation derivation(List<Plan> plans, List<StackNoise> noise, ItemResult r) {
        ReconstructionSettings settings = run.settings();
        boolean anyPerSlice = plans.stream().anyMatch(p -> !p.volume());
        boolean anyVolume = plans.stream().anyMatch(Plan::volume);
        Method perSliceMethod = anyPerSlice ? MethodResolver.forPlanes(settings, run.network()) : null;
        Method method = !anyVolume ? perSliceMethod : perSliceMethod == null || perSliceMethod == Method.TV
                ? Method.TV : Method.AUTO; // stacks that differ: "auto", and the series parameter says how each went
        if (method == Method.AUTO) {
            r.reconstruction = r.reconstruction + "; per-slice stacks: " + perSliceMethod.cliName();
        }
        Provenance p = Provenance.of(settings, method, run.network());
        if (method == Method.AUTO && perSliceMethod.isLearned()) {
            p.with("model", run.network().name());
        }
        for (int k = 0; k < plans.size(); k++) {
            StackNoise n = noise.get(k);
            if (plans.get(k).volume()) {
                if (!Double.isNaN(n.volumeSigma())) {
                    p.estimated(NoiseLevel.Estimate.PER_STACK, n.volumeSigma());
                }
            } else {
                p.estimated(NoiseLevel.Estimate.PER_PLANE, n.slices().stream().flatMap(List::stream)
                        .filter(s -> !s.empty()).mapToDouble(PlaneStatistics::sigma).toArray());
            }
        }
        return p.with("series", truncate(r.reconstruction, 300)).derivation();
    }

    /**
     * Reconstructs every stack as its plan says and writes the derived slices; on failure or cancel no slice of the
     * derived series is left behind (each was written atomically, the writer rolls them back).
     */
    private void solve(Item item, List<Plan> plans, List<DicomSeriesSource> parts, List<StackNoise> noise,
                       Derivation derivation, Map<Path, Path> outputs, ItemResult r) throws IOException {
        ReconstructionSettings settings = run.settings();
        Reconstruction reconstruction = run.reconstruction();
        boolean keep = run.referenceRoot() != null;
        Map<Path, float[]> inputs = new HashMap<>();
        Map<Path, float[]> results = new HashMap<>();
        List<String> sigmas = new ArrayList<>();
        int iterations = 0;
        long tSolve = System.nanoTime();
        int done = 0;
        int total = parts.stream().mapToInt(DicomSeriesSource::depth).sum();
        int shown = SeriesPreview.largest(parts);
        SeriesPictures pictures = run.pictures()
                ? SeriesPreview.collector(parts.get(shown), parts.get(shown).depth()) : null;
        try (DicomSeriesWriter writer = new DicomSeriesWriter(derivation, run.stamp())) {
            for (int k = 0; k < plans.size(); k++) {
                Plan plan = plans.get(k);
                DicomSeriesSource part = parts.get(k);
                Progress stackProgress = run.progress().range((double) done / total,
                        (double) (done + part.depth()) / total);
                done += part.depth();
                SeriesPictures preview = k == shown ? pictures : null;
                if (plan.volume()) {
                    Reconstruction.VolumeResult v = reconstruction.runVolume(SeriesPreview.tapped(part, preview),
                            noise.get(k).volumeSettings(settings), plan.zWeight(), (z, px) -> {
                        Path file = part.file(z);
                        if (preview != null) {
                            preview.output(z, px, part.height(), part.width());
                        }
                        writer.write(part, z, px, run.outputs().writePath(outputs.get(file)),
                                run.outputs().key(outputs.get(file)));
                        if (keep) {
                            inputs.put(file, part.slice(z));
                            results.put(file, px);
                        }
                    }, stackProgress);
                    sigmas.add(String.format(Locale.ROOT, "%.4g", v.sigma()));
                    iterations += v.iterations();
                } else {
                    for (int z = 0; z < part.depth(); z++) {
                        Path file = part.file(z);
                        Image in = part.image(z);
                        Reconstruction.Result one = reconstruction.run(in, settings, noise.get(k).slices().get(z),
                                stackProgress.range((double) z / part.depth(), (double) (z + 1) / part.depth()));
                        if (preview != null) {
                            preview.input(z, in.pixels());
                            preview.output(z, one.image().pixels(), one.image().height(), one.image().width());
                        }
                        writer.write(one.image(), run.outputs().writePath(outputs.get(file)),
                                run.outputs().key(outputs.get(file)));
                        for (double s : one.sigmas()) {
                            sigmas.add(String.format(Locale.ROOT, "%.4g", s));
                        }
                        iterations += one.iterations();
                        if (keep) {
                            inputs.put(file, in.pixels());
                            results.put(file, one.image().pixels());
                        }
                    }
                }
            }
            writer.commit();
            if (pictures != null) {
                r.pictures = SeriesPreview.picturesOf(pictures, parts.get(shown));
            }
        }
        r.secondsSolve = BatchRun.seconds(tSolve);
        r.task = derivation.task();
        r.method = derivation.method();
        r.scale = derivation.scale();
        r.sigma = String.join(";", sigmas);
        r.iterations = iterations;
        if (keep) {
            compareWithReference(item, plans, inputs, results, r);
        }
    }

    /** Volume or per slice, per stack, and why (headers only). */
    private List<Plan> plans(List<DicomSeries> stacks) {
        ReconstructionSettings settings = run.settings();
        List<Plan> plans = new ArrayList<>();
        for (DicomSeries stack : stacks) {
            double[] spacing = stack.pixelSpacing();
            double pixel = spacing != null && spacing[0] > 0 && spacing[1] > 0 ? (spacing[0] + spacing[1]) / 2
                    : Double.NaN;
            MethodResolver.StackPlan p = MethodResolver.forStack(settings, run.perSlice(), stack.slices(),
                    stack.samplesPerPixel(), stack.sliceSpacing(), pixel);
            plans.add(new Plan(stack, p.volume(), p.how(), p.zWeight()));
        }
        return plans;
    }

    /** One line for the report: the plan of each stack, and why the series was split, if it was. */
    private static String describe(List<Plan> plans, List<DicomSeries> stacks) {
        if (plans.isEmpty()) {
            return "nothing to reconstruct";
        }
        List<String> parts = plans.stream().map(Plan::how).toList();
        if (plans.size() == 1) {
            return parts.get(0);
        }
        List<String> why = new ArrayList<>();
        for (DicomSeries s : stacks) {
            for (String w : s.warnings()) {
                if (!why.contains(w)) {
                    why.add(w);
                }
            }
        }
        return plans.size() + " stacks: " + String.join(" + ", parts) + " (" + String.join("; ", why) + ")";
    }

    private void compareWithReference(Item item, List<Plan> plans, Map<Path, float[]> inputs,
                                      Map<Path, float[]> results, ItemResult r) {
        List<Path> files = new ArrayList<>();
        for (Plan p : plans) {
            files.addAll(p.stack().files());
        }
        Map<Path, Item> byFile = new HashMap<>();
        for (Item s : item.slices()) {
            byFile.put(s.input(), s);
        }
        int h = plans.get(0).stack().rows();
        int w = plans.get(0).stack().columns();
        int plane = h * w;
        List<float[]> truth = new ArrayList<>();
        for (Path f : files) {
            Path ref = run.referenceRoot().resolve(byFile.get(f).relative().toString());
            if (!Files.isRegularFile(ref) || !results.containsKey(f)) {
                return; // ground truth only for some slices: no series metric
            }
            try {
                Image t = DICOM.read(ref);
                truth.add(t.pixels());
            } catch (ImageFileException e) {
                r.reason = (r.reason == null ? "" : r.reason + "; ") + "reference not readable: " + e.reason();
                return;
            }
        }
        int d = files.size();
        float[] t = new float[d * plane];
        float[] in = new float[d * plane];
        float[] out = new float[d * plane];
        for (int z = 0; z < d; z++) {
            if (truth.get(z).length != plane || inputs.get(files.get(z)).length != plane
                    || results.get(files.get(z)).length != plane) {
                return; // super-resolved, or slices of another size: no pixel-by-pixel comparison
            }
            System.arraycopy(truth.get(z), 0, t, z * plane, plane);
            System.arraycopy(inputs.get(files.get(z)), 0, in, z * plane, plane);
            System.arraycopy(results.get(files.get(z)), 0, out, z * plane, plane);
        }
        Image truthVolume = new Image(t, 1, d, h, w, null);
        double[] before = ImageQuality.measure(truthVolume, new Image(in, 1, d, h, w, null));
        double[] after = ImageQuality.measure(truthVolume, new Image(out, 1, d, h, w, null));
        if (before != null && after != null) {
            r.psnrBefore = BatchRun.round(before[0]);
            r.psnrAfter = BatchRun.round(after[0]);
            r.ssimBefore = BatchRun.round(before[1]);
            r.ssimAfter = BatchRun.round(after[1]);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
