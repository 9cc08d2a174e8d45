package org.yax.plugins.commands;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
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
import org.yax.plugins.BatchReconstruction;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Batch reconstruct: every DICOM file and raster in a folder into another folder.
 * Macro: run("Batch reconstruct", "input=/in output=/out task=denoise scale=2 psf=gaussian:1.5 sigma=auto method=auto").
 * Cancelled (with the reason) if any file failed, so a macro sees the failure; the others are still written.
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

    @Parameter(label = "Method", description = "auto picks the best available; the list follows the core's methods")
    private String method = "auto";

    /** One line per file. */
    @Parameter(type = ItemIO.OUTPUT)
    private String report;

    private void initChoices() {
        Choices.set(this, "task", Parameters.TASKS);
        Choices.set(this, "method", Parameters.METHODS);
    }

    @Override
    public void run() {
        CommandProgress progress = new CommandProgress(status, this);
        try {
            ReconstructionSettings settings = Parameters.settings(Parameters.task(task), scale, sigma, method, psf);
            List<BatchReconstruction.Outcome> outcomes = BatchReconstruction.run(input.toPath(), output.toPath(),
                    settings, progress);
            report = outcomes.stream().map(BatchReconstruction::describe).collect(Collectors.joining("\n"));
            if (log != null) {
                log.info("yax batch:\n" + report);
            }
            long failed = outcomes.stream().filter(o -> o.status() == BatchReconstruction.Status.FAILED).count();
            if (failed > 0) {
                cancel("yax batch: " + failed + " of " + outcomes.size() + " file(s) failed:\n" + report);
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
