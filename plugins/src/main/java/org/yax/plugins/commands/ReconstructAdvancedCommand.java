package org.yax.plugins.commands;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.yax.models.ModelRegistry;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Reconstruct (advanced): every setting in one dialog, the forward operator (task and its
 * scale or PSF), the solver (method), the learned model and test-time adaptation. Fields a task does not use
 * are ignored. Macro: run("Reconstruct (advanced)", "task=deblur scale=2 psf=motion:9:30 sigma=auto method=tv
 * model=yax-mt-small adapt=0 axes=xy").
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Reconstruct (advanced)", headless = true,
        initializer = "initChoices")
public class ReconstructAdvancedCommand extends DynamicCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(persist = false)
    private ImagePlus input;

    @Parameter(label = "Task", description = "the forward operator A: denoise (identity), sr (area downsampling), "
            + "inpaint (mask of NaN pixels), deblur (convolution with the PSF)")
    private String task = "denoise";

    @Parameter(label = "Scale factor (sr)", min = "2", max = "8")
    private int scale = 2;

    @Parameter(label = "PSF (deblur)", description = "point-spread function in pixels: " + Parameters.PSF_FORMS)
    private String psf = Parameters.DEFAULT_PSF;

    @Parameter(label = "Noise sigma", description = "'auto' to estimate it, or the noise standard deviation in image units")
    private String sigma = "auto";

    @Parameter(label = "Method", description = "the solver; auto picks the best available for the task")
    private String method = "auto";

    @Parameter(label = "Model", description = "learned model for the methods network, pnp and auto: a built-in name "
            + "(yax-mt-small), a .params or TorchScript .pt file with its .json card, or none")
    private String model = ModelRegistry.DEFAULT_MODEL;

    @Parameter(label = "Adaptation steps", min = "0", max = "500",
            description = "self-supervised test-time adaptation of the network on this image first (0: none)")
    private int adapt = 0;

    @Parameter(label = "Axes (sr)", description = "xy: in-plane; z: through the plane (a stack with a voxel depth: "
            + "scale times as many slices; methods cubic, tv, network, auto); xyz: both")
    private String axes = "xy";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus output;

    private void initChoices() {
        Choices.set(this, "task", Parameters.TASKS);
        Choices.set(this, "method", Parameters.METHODS);
        Choices.set(this, "axes", Parameters.AXES);
    }

    @Override
    public void run() {
        output = Reconstructing.run(this, status, log, input, task,
                () -> Parameters.settings(Parameters.task(task), scale, sigma, method, psf, adapt), model, axes);
    }
}
