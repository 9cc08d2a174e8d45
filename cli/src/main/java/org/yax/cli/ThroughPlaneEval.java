package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.core.Progress;
import org.yax.core.ThroughPlaneEvaluation;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.io.dicom.DicomSeries;
import org.yax.io.dicom.DicomSeriesSource;
import org.yax.io.dicom.SeriesAssembler;
import org.yax.models.ModelChoice;

/**
 * {@code yax eval --task sr-z SERIES...}: each input DICOM series (thin slices) is a clean volume; thick slices are
 * simulated from it along its slice normal and every method's thin slices are scored ({@link ThroughPlaneEvaluation}).
 */
final class ThroughPlaneEval {
    private ThroughPlaneEval() { }

    static int run(List<Path> inputs, int scale, String profile, List<String> methods, String model, int adapt,
                   Path reportFile, PrintWriter out, PrintWriter err) throws IOException {
        if (scale < 2 || scale > 6) {
            throw new Yax.UsageException("--scale must be 2..6 for sr-z, got " + scale);
        }
        SliceProfile.Shape shape;
        try {
            shape = SliceProfile.Shape.fromName(profile);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
        List<String> chosen = methods != null ? methods.stream().map(m -> m.trim().toLowerCase(Locale.ROOT)).toList()
                : ModelChoice.NONE.equalsIgnoreCase(model) ? ThroughPlaneEvaluation.CLASSICAL
                : ThroughPlaneEvaluation.METHODS;
        for (String m : chosen) {
            if (!ThroughPlaneEvaluation.METHODS.contains(m)) {
                throw new Yax.UsageException("unknown method '" + m + "' for sr-z (available: "
                        + String.join(", ", ThroughPlaneEvaluation.METHODS) + ")");
            }
        }
        boolean learned = chosen.contains("network") || chosen.contains("adapted");
        long start = System.nanoTime();
        List<ItemResult> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "%-36s %-12s %9s %7s %9s %9s%n", "volume", "method", "PSNR(dB)", "SSIM", "time(s)",
                "adapt(s)");
        Path scratch = Files.createTempDirectory("yax-eval-sr-z");
        try (ModelChoice choice = learned ? ModelChoice.of(model, Method.AUTO, true) : ModelChoice.none()) {
            RestorationNetwork network = choice.model();
            for (Item item : Inputs.items(inputs)) {
                if (!item.isSeries()) {
                    continue; // sr-z scores volumes: DICOM series of thin slices
                }
                ItemResult failed = ItemResult.of(item);
                failed.task = "sr-z";
                try {
                    rows.addAll(evaluate(item, scale, shape, chosen, network, adapt, scratch, out));
                } catch (IllegalArgumentException | IOException e) {
                    failed.status = ItemResult.Status.failed;
                    failed.reason = Yax.oneLine(e);
                    err.println("yax eval: FAILED " + item.input() + ": " + failed.reason);
                    rows.add(failed);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        } finally {
            try (var left = Files.list(scratch)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scratch);
        }
        return EvalCommand.finish(rows, start, reportFile, out, err);
    }

    private static List<ItemResult> evaluate(Item item, int scale, SliceProfile.Shape shape, List<String> methods,
                                             RestorationNetwork network, int adapt, Path scratch, PrintWriter out)
            throws IOException {
        List<Path> files = item.slices().stream().map(Item::input).toList();
        List<DicomSeries> stacks = SeriesAssembler.assemble(files).series();
        if (stacks.size() != 1) {
            throw new IllegalArgumentException("a clean volume must be one uniform stack, got " + stacks.size());
        }
        List<ItemResult> rows = new ArrayList<>();
        try (DicomSeriesSource source = DicomSeriesSource.open(stacks.get(0), scratch, Progress.NONE)) {
            int d = source.depth();
            int h = source.height();
            int w = source.width();
            float[] volume = new float[d * h * w];
            for (int z = 0; z < d; z++) {
                System.arraycopy(source.slice(z), 0, volume, z * h * w, h * w);
            }
            double[] spacing = source.pixelSpacing();
            double pixel = (spacing[0] + spacing[1]) / 2;
            for (ThroughPlaneEvaluation.Row row : ThroughPlaneEvaluation.run(volume, d, h, w, source.sliceSpacing(),
                    pixel, scale, shape, methods, network, adapt, scratch, Progress.NONE)) {
                String name = item.relative().toString().isEmpty() ? item.input().getFileName().toString()
                        : item.relative().toString();
                out.printf(Locale.ROOT, "%-36s %-12s %9.2f %7.4f %9.3f %9.3f%n",
                        name.length() <= 36 ? name : "..." + name.substring(name.length() - 33), row.method(),
                        row.psnr(), row.ssim(), row.seconds(), row.adaptSeconds());
                out.flush();
                ItemResult r = ItemResult.of(item);
                r.format = "DICOM series";
                r.status = ItemResult.Status.done;
                r.task = "sr-z";
                r.method = row.method();
                r.scale = scale;
                r.slices = d;
                r.secondsSolve = Math.round(row.seconds() * 1000) / 1000.0;
                r.reason = row.adaptSeconds() > 0 ? String.format(Locale.ROOT, "adaptation %.1f s", row.adaptSeconds())
                        : null;
                r.psnrAfter = Math.round(row.psnr() * 10000) / 10000.0;
                r.ssimAfter = Math.round(row.ssim() * 10000) / 10000.0;
                rows.add(r);
            }
        }
        return rows;
    }
}
