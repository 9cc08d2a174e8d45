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
 * Plugins&gt;yax&gt;Denoise / Super-resolve / Inpaint / Deblur in plain ImageJ 1 (the argument is the task name),
 * and Reconstruct (advanced) (argument "advanced": the task is a field too). Dialog labels start with the
 * macro keys: task, scale, psf, sigma, method, axes.
 */
public class ReconstructPlugin implements PlugIn {
    private static final String ADVANCED = "advanced";

    @Override
    public void run(String arg) {
        Ij1Support.guard("yax " + arg, () -> runGuarded(arg));
    }

    private void runGuarded(String arg) {
        boolean advanced = ADVANCED.equals(arg);
        Task fixed = advanced ? null : Parameters.task(arg);
        ImagePlus input = IJ.getImage();
        GenericDialog gd = new GenericDialog("yax " + (advanced ? "reconstruct (advanced)" : fixed.cliName()));
        if (advanced) {
            gd.addChoice("Task", Parameters.TASKS, Task.DENOISE.cliName());
        }
        if (advanced || fixed == Task.SUPER_RESOLUTION) {
            gd.addNumericField(advanced ? "Scale factor (sr, 2-8)" : "Scale factor (2-8)", 2, 0);
        }
        if (advanced || fixed == Task.DEBLUR) {
            gd.addStringField(advanced ? "PSF (deblur)" : "PSF", Parameters.DEFAULT_PSF, 16);
        }
        gd.addStringField("Sigma (noise SD, or auto)", Parameters.AUTO, 10);
        gd.addChoice("Method", Parameters.METHODS, Parameters.AUTO);
        boolean axesField = advanced || fixed == Task.SUPER_RESOLUTION;
        if (axesField) {
            // macro key "axes": z and xyz refine a stack with a voxel depth through the plane
            gd.addChoice("Axes (sr: xy, z, xyz)", Parameters.AXES, Parameters.AXES[0]);
        }
        if (advanced) {
            // macro keys "model" and "adapt": ImageJ 1 keys are the labels' first words, lower-cased
            gd.addStringField("Model (name, file or none)", org.yax.models.ModelRegistry.DEFAULT_MODEL, 16);
            gd.addNumericField("Adapt (self-supervised steps)", 0, 0);
        }
        if (advanced || fixed == Task.DEBLUR) {
            gd.addMessage("PSF: " + Parameters.PSF_FORMS + " (pixels, degrees)");
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String taskName = advanced ? gd.getNextChoice() : fixed.cliName();
        int scale = advanced || fixed == Task.SUPER_RESOLUTION ? (int) Math.round(gd.getNextNumber()) : 1;
        String psf = advanced || fixed == Task.DEBLUR ? gd.getNextString() : null;
        String sigma = gd.getNextString();
        String method = gd.getNextChoice();
        String axes = axesField ? gd.getNextChoice() : Parameters.AXES[0];
        String model = advanced ? gd.getNextString() : org.yax.models.ModelRegistry.DEFAULT_MODEL;
        int adapt = advanced ? (int) Math.round(gd.getNextNumber()) : 0;
        try {
            Task task = Parameters.task(taskName);
            ReconstructionSettings settings = Parameters.settings(task, scale, sigma, method, psf, adapt);
            ImagePlus output = ImageReconstruction.run(input, settings, model,
                    org.yax.core.task.Axes.fromName(axes), Ij1Support.progress(task.cliName()));
            IJ.showProgress(1.0);
            IJ.showStatus("yax: " + output.getTitle());
            output.show();
        } catch (Progress.CancelledException e) {
            Ij1Support.fail(taskName + " of '" + input.getTitle() + "' cancelled");
        } catch (IllegalArgumentException e) {
            Ij1Support.fail(taskName + " of '" + input.getTitle() + "': " + e.getMessage());
        }
    }
}
