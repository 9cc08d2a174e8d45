package org.yax.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.yax.core.Evaluation;
import org.yax.core.Progress;
import org.yax.plugins.ImageEvaluation;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Evaluate in plain ImageJ 1: the active image is the clean ground truth; the rows go to the
 * Results table. Macro keys: task, psf, sigma, scale, missing, acceleration, seed, methods, images.
 */
public class EvaluatePlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Ij1Support.guard("yax evaluate", this::runGuarded);
    }

    private void runGuarded() {
        ImagePlus input = IJ.getImage();
        GenericDialog gd = new GenericDialog("yax evaluate");
        gd.addChoice("Task", Parameters.EVALUATION_TASKS, "denoise");
        gd.addStringField("PSF (deblur)", Parameters.DEFAULT_PSF, 16);
        gd.addStringField("Sigma (image units or % of range; empty: task default)", "", 8);
        gd.addNumericField("Scale factor (sr, 2-8)", 2, 0);
        gd.addNumericField("Missing share (inpaint, 0-0.99)", 0.5, 2);
        gd.addNumericField("Acceleration (mri, 2-8)", 4, 0);
        gd.addNumericField("Seed", 0, 0);
        gd.addStringField("Methods (comma-separated; empty: all)", "", 24);
        gd.addCheckbox("Images (show the measurement and estimates)", false);
        gd.addCheckbox("Estimate sigma (the solvers read it from the measurement, as a run does; not mri)", false);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String task = gd.getNextChoice();
        String psf = gd.getNextString();
        String sigma = gd.getNextString();
        int scale = (int) Math.round(gd.getNextNumber());
        double missing = gd.getNextNumber();
        int acceleration = (int) Math.round(gd.getNextNumber());
        long seed = Math.round(gd.getNextNumber());
        String methods = gd.getNextString();
        boolean images = gd.getNextBoolean();
        boolean estimateSigma = gd.getNextBoolean();
        try {
            Evaluation.Settings settings = Parameters.evaluation(Parameters.task(task), sigma, scale, missing,
                    acceleration, psf, seed, methods, estimateSigma);
            ImageEvaluation.Outcome outcome = ImageEvaluation.run(input, settings, images,
                    Ij1Support.progress("evaluate"));
            ImageEvaluation.publish(input.getTitle(), settings, outcome.rows());
            outcome.images().forEach(ImagePlus::show);
            IJ.showProgress(1.0);
            IJ.showStatus("yax: evaluated " + outcome.rows().size() + " method(s) on " + input.getTitle());
        } catch (Progress.CancelledException e) {
            Ij1Support.fail("evaluate of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            Ij1Support.fail("evaluate of '" + input.getTitle() + "': " + e.getMessage());
        }
    }
}
