package org.yax.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.core.task.Task;
import org.yax.plugins.ImageReconstruction;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Denoise / Super-resolve / Inpaint in plain ImageJ 1 (the argument is the task name).
 * Dialog labels start with the macro keys: scale, sigma, method.
 */
public class ReconstructPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Ij1Support.guard("yax " + arg, () -> runGuarded(arg));
    }

    private void runGuarded(String arg) {
        Task task = Parameters.task(arg);
        ImagePlus input = IJ.getImage();
        GenericDialog gd = new GenericDialog("yax " + task.cliName());
        if (task == Task.SUPER_RESOLUTION) {
            gd.addNumericField("Scale factor (2-8)", 2, 0);
        }
        gd.addStringField("Sigma (noise SD, or auto)", Parameters.AUTO, 10);
        gd.addChoice("Method", Parameters.METHODS, Parameters.AUTO);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        int scale = task == Task.SUPER_RESOLUTION ? (int) Math.round(gd.getNextNumber()) : 1;
        String sigma = gd.getNextString();
        String method = gd.getNextChoice();
        try {
            ReconstructionSettings settings = new ReconstructionSettings(task, scale, Parameters.sigma(sigma),
                    Parameters.method(method));
            ImagePlus output = ImageReconstruction.run(input, settings, Ij1Support.progress(task.cliName()));
            IJ.showProgress(1.0);
            IJ.showStatus("yax: " + output.getTitle());
            output.show();
        } catch (Progress.CancelledException e) {
            Ij1Support.fail(task.cliName() + " of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            Ij1Support.fail(task.cliName() + " of '" + input.getTitle() + "': " + e.getMessage());
        }
    }
}
