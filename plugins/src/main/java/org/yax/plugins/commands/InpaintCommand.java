package org.yax.plugins.commands;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.yax.core.task.Task;
import org.yax.plugins.Parameters;

/** Plugins&gt;yax&gt;Inpaint: inpaints the image into a new one. Macro: run("Inpaint", "sigma=auto method=auto"). */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Inpaint", headless = true,
        initializer = "initChoices")
public class InpaintCommand extends DynamicCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(persist = false)
    private ImagePlus input;

    @Parameter(label = "Noise sigma", description = "'auto' to estimate it, or the noise standard deviation in image units")
    private String sigma = "auto";

    @Parameter(label = "Method", description = "auto picks the best available; the list follows the core's methods")
    private String method = "auto";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus output;

    private void initChoices() {
        Choices.set(this, "method", Parameters.METHODS);
    }

    @Override
    public void run() {
        output = Reconstructing.run(this, status, log, input, Task.INPAINT.cliName(),
                () -> Parameters.settings(Task.INPAINT, 1, sigma, method, null));
    }
}
