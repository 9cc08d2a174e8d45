package org.yax.plugins.commands;

import ij.ImagePlus;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.core.task.Task;
import org.yax.plugins.ImageReconstruction;
import org.yax.plugins.Parameters;

/** What Denoise, Super-resolve and Inpaint share: parse, run with progress, cancel with a reason. */
final class Reconstructing {
    private Reconstructing() { }

    /** The result, or null after {@code command.cancel(reason)} (bad input, or the user cancelled). */
    static ImagePlus run(ContextCommand command, StatusService status, LogService log, ImagePlus input, Task task,
                         int scale, String sigma, String method) {
        if (input == null) {
            command.cancel("yax " + task.cliName() + ": no input image");
            return null;
        }
        CommandProgress progress = new CommandProgress(status, command);
        try {
            ReconstructionSettings settings = new ReconstructionSettings(task, Parameters.scaleFor(task, scale),
                    Parameters.sigma(sigma), Parameters.method(method));
            ImagePlus output = ImageReconstruction.run(input, settings, progress);
            if (log != null) {
                log.info("yax " + output.getTitle() + ": " + output.getProperty("yax.derivation"));
            }
            return output;
        } catch (Progress.CancelledException e) {
            command.cancel("yax " + task.cliName() + " of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            command.cancel("yax " + task.cliName() + " of '" + input.getTitle() + "': " + e.getMessage());
        } finally {
            progress.clear();
        }
        return null;
    }
}
