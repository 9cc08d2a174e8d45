package org.yax.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yax.batch.html.SeriesPictures;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Provenance;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.ThroughPlaneReconstruction;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.solve.Interpolation;
import org.yax.core.task.Axes;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomSeries;
import org.yax.io.dicom.DicomSeriesSource;
import org.yax.io.dicom.DicomSeriesWriter;
import org.yax.io.dicom.SeriesAssembler;
import org.yax.io.dicom.SeriesAssembly;
import org.yax.io.dicom.SkippedFile;
import org.yax.io.dicom.ThinSlice;
import org.yax.io.dicom.ThroughPlaneGeometry;

/**
 * One DICOM series item of a run with {@code --axes z|xyz}: each uniform stack (the assembler splits a series at
 * non-uniform spacing or another orientation, and says so) becomes scale times as many thin slices along its
 * normal ({@link ThroughPlaneReconstruction}; for xyz each thin slice is then refined in-plane), written as one
 * derived series ({@link ThroughPlaneGeometry} places them). A stack that cannot be refined (a single slice, no
 * positions, a multi-frame file, colour) is left out with its reason in the series' row while the others go on;
 * if none can be, the series fails with the reasons. The report's thumbnails show the stack with the most slices,
 * as the in-plane series path shows its series ({@link SeriesPreview}).
 */
final class ThroughPlaneSeriesProcessor {
    private static final DicomFormat DICOM = new DicomFormat();

    private final BatchRun run;

    ThroughPlaneSeriesProcessor(BatchRun run) {
        this.run = run;
    }

    List<ItemResult> process(Item item) {
        long t0 = System.nanoTime();
        ItemResult r = ItemResult.of(item);
        r.series = item.seriesUid();
        r.slices = item.slices().size();
        List<ItemResult> rows;
        try {
            rows = processChecked(item, r);
        } catch (Exception | OutOfMemoryError e) {
            rows = List.of(Failures.isCancel(e) ? r.skip(BatchRun.INTERRUPTED) : r.fail(Failures.reasonNamingFile(e)));
        }
        rows.get(0).secondsTotal = BatchRun.seconds(t0);
        return rows;
    }

    /** Output k (0-based stack), thin slice j: beside where the slices' mirrored outputs would be. */
    private static Path thinOutput(Path folder, String tag, int stack, int j) {
        return folder.resolve(String.format(Locale.ROOT, "%s_S%d_%04d.dcm", tag, stack + 1, j + 1));
    }

    private List<ItemResult> processChecked(Item item, ItemResult r) throws IOException {
        ReconstructionSettings settings = run.settings();
        Axes axes = run.throughPlane().axes();
        r.format = DicomFormat.NAME + " series";
        List<ItemResult> rows = new ArrayList<>();
        rows.add(r);
        if (settings.task() != org.yax.core.task.Task.SUPER_RESOLUTION) {
            r.fail("--axes " + axes.cliName() + " applies to --task sr, not " + settings.task().cliName());
            return rows;
        }
        Map<Path, Item> byFile = new LinkedHashMap<>();
        List<Path> mirrored = new ArrayList<>();
        for (Item slice : item.slices()) {
            byFile.put(slice.input(), slice);
            mirrored.add(run.outputs().root().resolve(OutputPlan.relative(slice, DICOM)));
        }
        Path folder = SeriesGrouping.commonFolder(mirrored);
        String tag = "SRZ" + ResumeManifest.sha256(item.seriesUid() + " " + item.relative()).substring(0, 8).toUpperCase(Locale.ROOT);
        r.output = folder.toString();
        int scale = settings.scale();
        SeriesAssembly headers = SeriesAssembler.assemble(new ArrayList<>(byFile.keySet()));
        List<Path> expected = new ArrayList<>();
        for (int k = 0; k < headers.series().size(); k++) {
            DicomSeries s = headers.series().get(k);
            for (int j = 0; s.slices() > 1 && j < s.slices() * scale; j++) {
                expected.add(thinOutput(folder, tag, k, j));
            }
        }
        String inputSha = SeriesItems.inputSha(item);
        String key = SeriesItems.key(item);
        if (run.resume() && run.manifest().isDone(key, inputSha, run.parameterHash(), expected)) {
            return List.of(r.skip("already done with the same input and parameters (--resume)"));
        }
        if (run.dryRun()) {
            r.status = ItemResult.Status.planned;
            r.reconstruction = headers.series().size() + " stack(s) to refine x" + scale + " along z";
            r.reason = item.slices().size() + " slices, series " + item.seriesUid() + ": " + r.reconstruction;
            return rows;
        }
        long tRead = System.nanoTime();
        List<DicomSeriesSource> opened = new ArrayList<>();
        List<DicomSeriesSource> parts = new ArrayList<>();
        List<SkippedFile> broken = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> how = new ArrayList<>();
        List<String> sigmas = new ArrayList<>();
        int iterations = 0;
        try {
            for (DicomSeries stack : headers.series()) {
                DicomSeriesSource source = DicomSeriesSource.open(stack, run.outputs().writeRoot(), run.progress().range(0, 0));
                opened.add(source);
                broken.addAll(source.broken());
                parts.addAll(source.parts());
            }
            rows.addAll(SeriesItems.brokenRows(item, byFile, broken));
            rows.addAll(SeriesItems.leftOutRows(item, byFile, headers.skipped()));
            r.secondsRead = BatchRun.seconds(tRead);
            if (parts.size() > 1) {
                List<String> why = new ArrayList<>();
                for (DicomSeriesSource p : parts) {
                    for (String w : p.series().warnings()) {
                        if (!why.contains(w)) {
                            why.add(w);
                        }
                    }
                }
                notes.add(parts.size() + " stacks, each refined on its own (" + String.join("; ", why) + ")");
            }
            long tSolve = System.nanoTime();
            int written = 0;
            List<Plan> plans = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                DicomSeriesSource part = parts.get(k);
                try {
                    plans.add(plan(k, part, scale));
                } catch (IllegalArgumentException bad) {
                    notes.add("stack " + (k + 1) + " of " + parts.size() + " (" + part.depth() + " slice"
                            + (part.depth() == 1 ? "" : "s") + ", " + part.file(0).getFileName() + "...) left out: "
                            + bad.getMessage());
                }
            }
            if (plans.isEmpty()) {
                r.fail("no stack of the series can be refined along z: " + String.join("; ", notes));
                return rows;
            }
            Method method = ThroughPlaneRecipe.method(settings.method(), run.network(), settings.adaptSteps());
            Provenance provenance = Provenance.throughPlane(settings, axes, plans.get(0).recipe(), method, run.network());
            Derivation derivation = provenance.with("series", truncate(describe(plans), 300)).derivation();
            int shown = SeriesPreview.largest(plans.stream().map(Plan::part).toList());
            SeriesPictures pictures = run.pictures()
                    ? SeriesPreview.collector(plans.get(shown).part(), plans.get(shown).part().depth() * scale) : null;
            try (DicomSeriesWriter writer = new DicomSeriesWriter(derivation, run.stamp())) {
                for (Plan plan : plans) {
                    SeriesPictures preview = plan == plans.get(shown) ? pictures : null;
                    List<ThinSlice> thin = ThroughPlaneGeometry.of(plan.part(), scale, plan.recipe().thicknessMm());
                    List<String> claimed = new ArrayList<>();
                    for (int j = 0; j < thin.size(); j++) {
                        Path out = thinOutput(folder, tag, plan.index(), j);
                        String clash = run.outputs().claim(out, plan.part().file(0));
                        if (clash != null) {
                            claimed.add(clash);
                        }
                    }
                    if (!claimed.isEmpty()) {
                        throw new IllegalArgumentException(claimed.get(0));
                    }
                    ReconstructionSettings inPlane = axes.inPlane() ? settings : null;
                    int outScale = inPlane == null ? 1 : scale;
                    ThroughPlaneReconstruction.Result result = ThroughPlaneReconstruction.run(
                            SeriesPreview.tapped(plan.part(), preview), plan.recipe(), method, settings.noise(),
                            run.network(), settings.adaptSteps(), run.outputs().writeRoot(),
                            (j, pixels) -> {
                                float[] px = inPlane == null ? pixels
                                        : refineInPlane(pixels, plan.part(), inPlane, method);
                                if (preview != null) {
                                    preview.output(j, px, plan.part().height() * outScale,
                                            plan.part().width() * outScale);
                                }
                                Path out = thinOutput(folder, tag, plan.index(), j);
                                writer.write(plan.part(), thin.get(j), px, run.outputs().writePath(out),
                                        run.outputs().key(out));
                            }, run.progress());
                    sigmas.add(NoiseLevel.format(result.sigma()));
                    if (result.adaptSeconds() > 0) {
                        notes.add(String.format(Locale.ROOT, "stack %d: network adaptation %.1f s", plan.index() + 1,
                                result.adaptSeconds()));
                    }
                    iterations += result.iterations();
                    written += thin.size();
                }
                writer.commit();
                if (pictures != null) {
                    r.pictures = SeriesPreview.picturesOf(pictures, plans.get(shown).part());
                }
            }
            r.secondsSolve = BatchRun.seconds(tSolve);
            r.task = derivation.task() + "-z";
            r.method = derivation.method();
            r.scale = scale;
            r.sigma = String.join(";", sigmas);
            r.iterations = iterations;
            r.reconstruction = describe(plans) + " -> " + written + " slices";
        } finally {
            for (DicomSeriesSource source : opened) {
                source.close();
            }
        }
        long failed = rows.stream().filter(x -> x.status == ItemResult.Status.failed).count();
        if (failed > 0) {
            notes.add(failed + " of " + item.slices().size() + " slices failed (listed with their reasons)");
        }
        String methodNote = run.methodNote().get();
        if (methodNote != null) {
            notes.add(methodNote);
        }
        r.reason = notes.isEmpty() ? null : String.join("; ", notes);
        if (failed == 0) {
            run.manifest().markDone(key, inputSha, run.parameterHash());
        }
        r.status = ItemResult.Status.done;
        return rows;
    }

    /** A stack that can be refined: its index among the series' stacks and its recipe from the header. */
    private record Plan(int index, DicomSeriesSource part, ThroughPlaneRecipe recipe) { }

    /** @throws IllegalArgumentException with the reason a stack cannot be refined along z */
    private Plan plan(int index, DicomSeriesSource part, int scale) throws IOException {
        if (part.depth() < 2) {
            throw new IllegalArgumentException("a single slice has no through-plane direction to refine");
        }
        if (part.samplesPerPixel() != 1) {
            throw new IllegalArgumentException("colour (" + part.samplesPerPixel() + " samples per pixel)");
        }
        if (part.series().normal() == null || part.series().orientation() == null) {
            throw new IllegalArgumentException("no ImageOrientationPatient: the slice normal is unknown");
        }
        for (int z = 0; z < part.depth(); z++) {
            if (part.imagePosition(z) == null) {
                throw new IllegalArgumentException("slice " + part.file(z).getFileName()
                        + " has no ImagePositionPatient (a multi-frame file or missing positions)");
            }
        }
        double[] spacing = part.pixelSpacing();
        double pixel = spacing != null && spacing[0] > 0 && spacing[1] > 0 ? (spacing[0] + spacing[1]) / 2 : Double.NaN;
        double thickness = ThroughPlaneGeometry.sliceThickness(part, 0);
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(scale, run.throughPlane().profile(),
                new ThroughPlaneRecipe.Geometry(part.sliceSpacing(), thickness, pixel));
        return new Plan(index, part, recipe);
    }

    /** One line for the report: each stack's slices and recipe. */
    private static String describe(List<Plan> plans) {
        List<String> parts = new ArrayList<>();
        for (Plan p : plans) {
            parts.add(p.part().depth() + " slices, " + p.recipe().describe());
        }
        return String.join(" + ", parts);
    }

    /** xyz: the thin slice refined in-plane by the same scale (cubic: bicubic; else the in-plane method). */
    private float[] refineInPlane(float[] pixels, DicomSeriesSource part, ReconstructionSettings settings,
                                  Method method) {
        int h = part.height();
        int w = part.width();
        if (method == Method.CUBIC) {
            return Interpolation.bicubic(pixels, h, w, settings.scale());
        }
        ReconstructionSettings inPlane = new ReconstructionSettings(settings.task(), settings.scale(),
                settings.noise(), method == Method.NETWORK && !run.network().hasHead(settings.task(), settings.scale())
                ? Method.PNP : method, settings.psf(), 0);
        Reconstruction.Result one = run.reconstruction().run(new Image(pixels, 1, 1, h, w, null), inPlane,
                run.progress());
        return one.image().pixels();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
