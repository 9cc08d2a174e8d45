package org.yax.plugins.commands;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.models.ModelRegistry;
import org.yax.plugins.BatchReconstruction;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Batch reconstruct: every DICOM file, DICOM series and raster under a folder (sub-folders
 * included) into another folder, on the same batch engine as {@code yax reconstruct}, with the same report.
 * Macro: run("Batch reconstruct", "input=/in output=/out task=denoise scale=2 psf=gaussian:1.5 sigma=auto
 * method=auto model=yax-mt-small adapt=0 resume=false reportfile= nohtml=false").
 * Cancelled (with the reason) if any item failed, so a macro sees the failure; the others are still written.
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Batch reconstruct", headless = true,
        initializer = "initChoices")
public class BatchReconstructCommand extends DynamicCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(label = "Input folder", style = FileWidget.DIRECTORY_STYLE)
    private File input;

    @Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
    private File output;

    @Parameter(label = "Task")
    private String task = "denoise";

    @Parameter(label = "Scale factor (super-resolution)", min = "2", max = "8")
    private int scale = 2;

    @Parameter(label = "PSF (deblur)", description = "point-spread function in pixels: " + Parameters.PSF_FORMS)
    private String psf = Parameters.DEFAULT_PSF;

    @Parameter(label = "Noise sigma", description = "'auto' to estimate it, or the noise standard deviation in image units")
    private String sigma = "auto";

    @Parameter(label = "Method", description = "the solver; auto follows the model's card for the task")
    private String method = "auto";

    @Parameter(label = "Model", description = "learned model for the methods network, pnp and auto: a built-in name "
            + "(yax-mt-small), a .params or TorchScript .pt file with its .json card, or none")
    private String model = ModelRegistry.DEFAULT_MODEL;

    @Parameter(label = "Adaptation steps", min = "0", max = "500",
            description = "self-supervised test-time adaptation of the network on each image first (0: none)")
    private int adapt = 0;

    @Parameter(label = "Resume", description = "skip items already done in the output folder with the same input "
            + "and parameters")
    private boolean resume = false;

    @Parameter(label = "Report file (.json, .csv or .html)", required = false,
            description = "blank: report.json in the output folder; a .json or .csv report gets the HTML page with "
                    + "thumbnails beside it (report.html)")
    private String reportfile = "";

    @Parameter(label = "No HTML report", required = false,
            description = "make no thumbnails and no HTML page (only the .json or .csv report)")
    private boolean nohtml = false;

    /** One line per item. */
    @Parameter(type = ItemIO.OUTPUT)
    private String report;

    private void initChoices() {
        Choices.set(this, "task", Parameters.TASKS);
        Choices.set(this, "method", Parameters.METHODS);
    }

    @Override
    public void run() {
        CommandProgress progress = new CommandProgress(status, this);
        List<String> lines = new ArrayList<>();
        try {
            ReconstructionSettings settings = Parameters.settings(Parameters.task(task), scale, sigma, method, psf,
                    adapt);
            BatchReconstruction.Outcome outcome = BatchReconstruction.run(input.toPath(), output.toPath(), settings,
                    model, resume, reportfile == null || reportfile.isBlank() ? null : Path.of(reportfile.trim()),
                    nohtml, progress, line -> {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (log != null) {
                            log.info("yax batch: " + line);
                        }
                    });
            report = String.join("\n", lines);
            if (outcome.cancelled()) {
                cancel("yax batch cancelled: " + outcome.report().summary() + "; rerun with resume to finish");
            } else if (outcome.failed() > 0) {
                cancel("yax batch: " + outcome.report().summary() + " (report: " + outcome.reportFile() + "):\n"
                        + report);
            }
        } catch (Progress.CancelledException e) {
            cancel("yax batch cancelled");
        } catch (IOException | IllegalArgumentException e) {
            cancel("yax batch: " + e.getMessage());
        } finally {
            progress.clear();
        }
    }
}
