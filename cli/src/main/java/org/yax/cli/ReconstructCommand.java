package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.yax.batch.BatchEngine;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.core.ReconstructionSettings;
import org.yax.models.ModelChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    ReconstructOptions options;

    @Override
    public Integer call() throws IOException {
        ReconstructionSettings settings = options.validate();
        String cannot = options.createOutputFolder();
        if (cannot != null) {
            spec.commandLine().getErr().println("yax: fatal: " + cannot);
            return Yax.EXIT_FATAL;
        }
        try (ModelChoice choice = options.modelChoice(settings)) {
            if (choice.note() != null) {
                spec.commandLine().getErr().println("yax: note: " + choice.note());
            }
            return runBatch(settings, choice);
        }
    }

    private int runBatch(ReconstructionSettings settings, ModelChoice choice) throws IOException {
        // slices of one DICOM series (in any folders) become one item: reconstructed as a volume, one derived series
        List<Item> items = Inputs.items(options.inputs);
        PrintWriter err = spec.commandLine().getErr();
        Path reportFile = options.reportFile;
        BatchEngine runner = options.engine(settings, choice, options.jobs)
                .listener(new ProgressLine(items.size(), err, System.console() != null));
        // Ctrl-C / SIGINT / SIGTERM stop the batch; the exit waits until the report of what was done is written
        Interrupts signals = Interrupts.install(runner::cancel);
        try {
            Report report = runner.run(items);
            List<Path> written = reportFile != null ? report.write(reportFile, !options.noHtml) : List.of();
            err.println("yax: " + (runner.isCancelled() ? "interrupted: " : "") + report.summary()
                    + (runner.isCancelled() ? " (" + report.interrupted() + " interrupted; rerun with --resume)" : "")
                    + (written.isEmpty() ? "" : "; report: " + written.stream().map(Path::toString)
                            .collect(java.util.stream.Collectors.joining(", "))));
            err.flush();
            if (runner.isCancelled()) {
                return Yax.EXIT_INTERRUPTED;
            }
            return report.count(ItemResult.Status.failed) > 0 ? Yax.EXIT_PARTIAL : Yax.EXIT_OK;
        } finally {
            signals.close();
        }
    }

}
