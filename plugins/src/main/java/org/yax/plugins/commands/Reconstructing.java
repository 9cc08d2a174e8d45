package org.yax.plugins.commands;

import ij.ImagePlus;
import java.util.function.Supplier;
import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.plugins.ImageReconstruction;

/** What the reconstructing commands share: parse, run with progress, cancel with a reason. */
final class Reconstructing {
    private Reconstructing() { }

    /**
     * The result, or null after {@code command.cancel(reason)} (bad input, or the user cancelled).
     *
     * @param what     the task's name for messages
     * @param settings parses the dialog's values; an IllegalArgumentException there cancels with its message
     */
    static ImagePlus run(Cancelable command, StatusService status, LogService log, ImagePlus input, String what,
                         Supplier<ReconstructionSettings> settings) {
        return run(command, status, log, input, what, settings, org.yax.models.ModelRegistry.DEFAULT_MODEL);
    }

    /** With a learned model for the network, pnp and auto methods (a name, a file, or "none"). */
    static ImagePlus run(Cancelable command, StatusService status, LogService log, ImagePlus input, String what,
                         Supplier<ReconstructionSettings> settings, String model) {
        return run(command, status, log, input, what, settings, model, "xy");
    }

    /** With the axes super-resolution refines ("xy", "z" or "xyz"; z and xyz need a stack with a voxel depth). */
    static ImagePlus run(Cancelable command, StatusService status, LogService log, ImagePlus input, String what,
                         Supplier<ReconstructionSettings> settings, String model, String axes) {
        if (input == null) {
            command.cancel("yax " + what + ": no input image");
            return null;
        }
        CommandProgress progress = new CommandProgress(status, command);
        try {
            ImagePlus output = ImageReconstruction.run(input, settings.get(), model,
                    org.yax.core.task.Axes.fromName(axes), progress);
            if (log != null) {
                log.info("yax " + output.getTitle() + ": " + output.getProperty("yax.derivation"));
            }
            return output;
        } catch (Progress.CancelledException e) {
            command.cancel("yax " + what + " of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            command.cancel("yax " + what + " of '" + input.getTitle() + "': " + e.getMessage());
        } finally {
            progress.clear();
        }
        return null;
    }
}
