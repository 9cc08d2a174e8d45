package org.yax.plugins.commands;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.yax.plugins.Parameters;

/**
 * Plugins&gt;yax&gt;Reconstruct (advanced): every setting in one dialog, the forward operator (task and its
 * scale or PSF) and the solver (method). Fields a task does not use are ignored.
 * Macro: run("Reconstruct (advanced)", "task=deblur scale=2 psf=motion:9:30 sigma=auto method=tv").
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

    // the lead adds the network fields `model` and `adapt` here (issue #6), passed on through Parameters.settings

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus output;

    private void initChoices() {
        Choices.set(this, "task", Parameters.TASKS);
        Choices.set(this, "method", Parameters.METHODS);
    }

    @Override
    public void run() {
        output = Reconstructing.run(this, status, log, input, task,
                () -> Parameters.settings(Parameters.task(task), scale, sigma, method, psf));
    }
}
