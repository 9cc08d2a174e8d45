package org.yax.plugins.ij1;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.nio.file.Path;
import org.yax.models.ModelRegistry;
import org.yax.core.Progress;
import org.yax.core.ReconstructionSettings;
import org.yax.plugins.BatchReconstruction;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Batch reconstruct: keys input, output, task, scale, psf, sigma, method, model, adapt, resume,
 * reportfile, nohtml; the batch engine of {@code yax reconstruct}; one line per item in the Log, the report as a file.
 */
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
        gd.addStringField("Model", ModelRegistry.DEFAULT_MODEL, 16);
        gd.addNumericField("Adaptation steps", 0, 0);
        gd.addCheckbox("Resume", false);
        gd.addStringField("Reportfile (.json, .csv or .html; blank: report.json in the output folder)", "", 40);
        gd.addCheckbox("Nohtml (no thumbnails, no HTML page beside the report)", false);
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
        String model = gd.getNextString().trim();
        int adapt = (int) Math.round(gd.getNextNumber());
        boolean resume = gd.getNextBoolean();
        String reportFile = gd.getNextString().trim();
        boolean noHtml = gd.getNextBoolean();
        if (input.isEmpty() || output.isEmpty()) {
            Ij1Support.fail("batch needs an input and an output folder (input=... output=...)");
            return;
        }
        try {
            ReconstructionSettings settings = Parameters.settings(Parameters.task(taskName), scale, sigma, method,
                    psf, adapt);
            BatchReconstruction.Outcome outcome = BatchReconstruction.run(Path.of(input), Path.of(output), settings,
                    model, resume, reportFile.isEmpty() ? null : Path.of(reportFile), noHtml, Ij1Support.progress("batch"),
                    line -> IJ.log("yax batch: " + line));
            IJ.log("yax batch: " + outcome.report().summary() + "; report: " + outcome.reportFile()
                    + (outcome.htmlFile() != null && !outcome.htmlFile().equals(outcome.reportFile())
                    ? ", " + outcome.htmlFile() : ""));
            if (outcome.cancelled()) {
                Ij1Support.fail("batch cancelled (rerun with resume to finish)");
            } else if (outcome.failed() > 0) {
                Ij1Support.fail(outcome.failed() + " item(s) failed (see the Log window and " + outcome.reportFile()
                        + ")");
            }
        } catch (Progress.CancelledException e) {
            Ij1Support.fail("batch cancelled");
        } catch (IOException | IllegalArgumentException e) {
            Ij1Support.fail(e.getMessage());
        }
    }
}
