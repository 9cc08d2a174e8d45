package org.yax.plugins.ij1;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.plugins.BatchReconstruction;
import org.yax.plugins.Parameters;

/** Plugins&gt;yax&gt;Batch reconstruct: keys input, output, task, scale, psf, sigma, method; results in the Log. */
public class BatchPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Ij1Support.guard("Batch reconstruct", () -> runGuarded(arg));
    }

    private void runGuarded(String arg) {
        GenericDialog gd = new GenericDialog("yax batch reconstruct");
        Ij1Support.addPathField(gd, "Input folder", true);
        Ij1Support.addPathField(gd, "Output folder", true);
        gd.addChoice("Task", Parameters.TASKS, "denoise");
        gd.addNumericField("Scale factor (super-resolution)", 2, 0);
        gd.addStringField("PSF (deblur)", Parameters.DEFAULT_PSF, 16);
        gd.addStringField("Sigma (noise SD, or auto)", Parameters.AUTO, 10);
        gd.addChoice("Method", Parameters.METHODS, Parameters.AUTO);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String input = gd.getNextString().trim();
        String output = gd.getNextString().trim();
        String taskName = gd.getNextChoice();
        int scale = (int) Math.round(gd.getNextNumber());
        String psf = gd.getNextString();
        String sigma = gd.getNextString();
        String method = gd.getNextChoice();
        if (input.isEmpty() || output.isEmpty()) {
            Ij1Support.fail("batch needs an input and an output folder (input=... output=...)");
            return;
        }
        try {
            ReconstructionSettings settings = Parameters.settings(Parameters.task(taskName), scale, sigma, method,
                    psf);
            List<BatchReconstruction.Outcome> outcomes = BatchReconstruction.run(Path.of(input), Path.of(output),
                    settings, Ij1Support.progress("batch"));
            outcomes.forEach(o -> IJ.log("yax batch: " + BatchReconstruction.describe(o)));
            long failed = outcomes.stream().filter(o -> o.status() == BatchReconstruction.Status.FAILED).count();
            if (failed > 0) {
                Ij1Support.fail(failed + " of " + outcomes.size() + " file(s) failed (see the Log window)");
            }
        } catch (Progress.CancelledException e) {
            Ij1Support.fail("batch cancelled");
        } catch (IOException | IllegalArgumentException e) {
            Ij1Support.fail(e.getMessage());
        }
    }
}
