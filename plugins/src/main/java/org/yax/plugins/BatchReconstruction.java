package org.yax.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.yax.batch.BatchEngine;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.models.ModelChoice;

/**
 * Fiji's "Batch reconstruct" on the same batch engine as {@code yax reconstruct}: the input folder walked
 * recursively (the output tree mirrors it), DICOM series grouped and reconstructed as volumes, large rasters
 * streamed, the learned model used as the method asks (auto, network, pnp, adaptation), resume, and the same
 * report (JSON or CSV, and the HTML page with thumbnails beside it unless {@code noHtml}).
 */
public final class BatchReconstruction {
    /** What a run did: the report, where it was written (and the HTML page, or null), whether it was cancelled. */
    public record Outcome(Report report, Path reportFile, Path htmlFile, boolean cancelled) {
        public long failed() {
            return report.count(ItemResult.Status.failed);
        }
    }

    /** The report's default name in the output folder. */
    public static final String REPORT_NAME = "report.json";

    private BatchReconstruction() { }

    /**
     * @param model      the learned model for network, pnp and auto: a built-in name, a file, or "none"
     * @param reportFile where the report goes (.json, .csv or .html), or null for {@link #REPORT_NAME} in the output
     *                   folder; a .json or .csv report gets the HTML page beside it ({@link Report#htmlBeside})
     * @param noHtml     make no thumbnails and no HTML page
     * @param log        receives one line per finished item (and per broken slice of a series)
     * @throws IllegalArgumentException for bad settings: the output inside the input, a model a learned method
     *                                  needs that cannot be loaded, a report name that is not .json, .csv or
     *                                  .html (or is .html with noHtml)
     */
    public static Outcome run(Path input, Path output, ReconstructionSettings settings, String model, boolean resume,
                              Path reportFile, boolean noHtml, Progress progress, Consumer<String> log)
            throws IOException {
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException(input + ": not a folder");
        }
        Inputs.checkOutputOutside(output, List.of(input));
        Path report = reportFile != null ? reportFile : output.resolve(REPORT_NAME);
        if (!Report.isSupported(report) || noHtml && Report.isHtml(report)) {
            throw new IllegalArgumentException("the report must end in .json or .csv"
                    + (noHtml ? " with nohtml" : " (or .html)") + ", got " + report);
        }
        Files.createDirectories(output);
        List<Item> items = Inputs.items(List.of(input));
        try (ModelChoice choice = ModelChoice.of(model, settings.method(), settings.task(), settings.scale())) {
            if (choice.note() != null) {
                log.accept("note: " + choice.note());
            }
            int[] finished = {0};
            BatchEngine engine = new BatchEngine(settings, output, null, 1, resume)
                    .network(choice.model(), choice::note)
                    .cancelledWhen(progress::isCancelled)
                    .pictures(!noHtml)
                    .listener(rows -> {
                        synchronized (finished) {
                            finished[0]++;
                            progress.report((double) finished[0] / Math.max(1, items.size()),
                                    finished[0] + " of " + items.size() + " items");
                        }
                        rows.forEach(r -> log.accept(describe(r)));
                    });
            Report done = engine.run(items);
            List<Path> written = done.write(report, !noHtml);
            progress.report(1, done.summary());
            return new Outcome(done, report, noHtml ? null : written.get(written.size() - 1), engine.isCancelled());
        }
    }

    /** One line per report row, e.g. for ImageJ's Log window. */
    public static String describe(ItemResult r) {
        return switch (r.status) {
            case done -> "done " + r.input + " -> " + r.output + " (" + r.method
                    + (r.reconstruction != null ? ", " + r.reconstruction : "") + ")"
                    + (r.reason != null ? ": " + r.reason : "");
            case planned -> "planned " + r.input + " -> " + r.output;
            case skipped -> "skipped " + r.input + ": " + r.reason;
            case failed -> "FAILED " + r.input + ": " + r.reason;
        };
    }
}
