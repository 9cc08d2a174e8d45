package org.yax.plugins.commands;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.core.task.Task;
import org.yax.plugins.BatchReconstruction;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Batch reconstruct: every DICOM file and raster in a folder into another folder.
 * Macro: run("Batch reconstruct", "input=/in output=/out task=denoise scale=2 sigma=auto method=auto").
 * Cancelled (with the reason) if any file failed, so a macro sees the failure; the others are still written.
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Batch reconstruct", headless = true)
public class BatchReconstructCommand extends ContextCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(label = "Input folder", style = FileWidget.DIRECTORY_STYLE)
    private File input;

    @Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
    private File output;

    @Parameter(label = "Task", choices = {"denoise", "sr", "inpaint"})
    private String task = "denoise";

    @Parameter(label = "Scale factor (super-resolution)", min = "2", max = "8")
    private int scale = 2;

    @Parameter(label = "Noise sigma", description = "'auto' to estimate it, or the noise standard deviation in image units")
    private String sigma = "auto";

    @Parameter(label = "Method", choices = {"auto", "tv", "tikhonov"})
    private String method = "auto";

    /** One line per file. */
    @Parameter(type = ItemIO.OUTPUT)
    private String report;

    @Override
    public void run() {
        CommandProgress progress = new CommandProgress(status, this);
        try {
            Task t = Parameters.task(task);
            ReconstructionSettings settings = new ReconstructionSettings(t, Parameters.scaleFor(t, scale),
                    Parameters.sigma(sigma), Parameters.method(method));
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
