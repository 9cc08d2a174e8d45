package org.yax.plugins.commands;

import ij.ImagePlus;
import java.util.Locale;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.yax.core.Evaluation;
import org.yax.core.Progress;
import org.yax.plugins.ImageEvaluation;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Evaluate: takes the image as clean ground truth, simulates a measurement (task, noise),
 * runs the methods and fills ImageJ's Results table with method, PSNR, SSIM and time; with {@code images},
 * the measurement and every estimate also come out as images ("measured", and one output per method).
 * Macro: run("Evaluate", "task=deblur psf=gaussian:1.5 sigma=1% scale=2 missing=0.5 acceleration=4 seed=0
 * methods=[] images").
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Evaluate", headless = true, initializer = "initChoices")
public class EvaluateCommand extends DynamicCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(persist = false, label = "Clean image")
    private ImagePlus input;

    @Parameter(label = "Task")
    private String task = "denoise";

    @Parameter(label = "PSF (deblur)", description = "point-spread function in pixels: " + Parameters.PSF_FORMS)
    private String psf = Parameters.DEFAULT_PSF;

    @Parameter(label = "Noise sigma", required = false,
            description = "image units, or a percentage of the data range such as 10%; empty: the task's default "
                    + "(denoise 10%, deblur and mri 1%, otherwise 0)")
    private String sigma = "";

    @Parameter(label = "Scale factor (sr)", min = "2", max = "8")
    private int scale = 2;

    @Parameter(label = "Missing share (inpaint)", min = "0", max = "0.99", stepSize = "0.05")
    private double missing = 0.5;

    @Parameter(label = "Acceleration (mri)", min = "2", max = "8")
    private int acceleration = 4;

    @Parameter(label = "Seed", description = "seed of the simulated noise and missing pixels")
    private long seed = 0;

    @Parameter(label = "Methods", required = false,
            description = "comma-separated methods and baselines; empty: all of the task's (as yax eval)")
    private String methods = "";

    @Parameter(label = "Show the measurement and estimates as images")
    private boolean images = false;

    @Parameter(label = "Estimate sigma as a run does", description = "the solvers estimate the noise from the "
            + "measurement (a reconstruction's default, sigma auto) instead of being told the simulated one; not mri")
    private boolean estimateSigma = false;

    private void initChoices() {
        Choices.set(this, "task", Parameters.EVALUATION_TASKS);
    }

    @Override
    public void run() {
        if (input == null) {
            cancel("yax evaluate: no input image");
            return;
        }
        CommandProgress progress = new CommandProgress(status, this);
        try {
            Evaluation.Settings settings = Parameters.evaluation(Parameters.task(task), sigma, scale, missing,
                    acceleration, psf, seed, methods, estimateSigma);
            ImageEvaluation.Outcome outcome = ImageEvaluation.run(input, settings, images, progress);
            ImageEvaluation.publish(input.getTitle(), settings, outcome.rows());
            if (log != null) {
                outcome.rows().forEach(r -> log.info(String.format(Locale.ROOT, "yax evaluate %s %s: %s %.2f dB SSIM %.4f"
                        + " %.3f s", input.getTitle(), task, r.method(), r.psnr(), r.ssim(), r.seconds())));
            }
            for (ImagePlus imp : outcome.images()) {
                MutableModuleItem<ImagePlus> item = addOutput(imp.getTitle(), ImagePlus.class);
                item.setLabel(imp.getTitle());
                setOutput(imp.getTitle(), imp);
            }
        } catch (Progress.CancelledException e) {
            cancel("yax evaluate of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            cancel("yax evaluate of '" + input.getTitle() + "': " + e.getMessage());
        } finally {
            progress.clear();
        }
    }
}
