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

/**
 * Plugins&gt;yax&gt;Super-resolve: a new image scale times finer, in-plane (axes xy) or, for a stack with a voxel
 * depth, through the plane too (z: scale times as many slices; xyz: both). Macro: run("Super-resolve",
 * "scale=2 sigma=auto method=auto axes=xy").
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Super-resolve", headless = true,
        initializer = "initChoices")
public class SuperResolveCommand extends DynamicCommand {
    @Parameter
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Parameter(persist = false)
    private ImagePlus input;

    @Parameter(label = "Scale factor", min = "2", max = "8")
    private int scale = 2;

    @Parameter(label = "Noise sigma", description = "'auto' to estimate it, or the noise standard deviation in image units")
    private String sigma = "auto";

    @Parameter(label = "Method", description = "auto picks the best available; the list follows the core's methods")
    private String method = "auto";

    @Parameter(label = "Axes", description = "xy: in-plane; z: through the plane (a stack with a voxel depth: scale "
            + "times as many slices; methods cubic, tv, network, auto); xyz: both")
    private String axes = "xy";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus output;

    private void initChoices() {
        Choices.set(this, "method", Parameters.METHODS);
        Choices.set(this, "axes", Parameters.AXES);
    }

    @Override
    public void run() {
        output = Reconstructing.run(this, status, log, input, Task.SUPER_RESOLUTION.cliName(),
                () -> Parameters.settings(Task.SUPER_RESOLUTION, scale, sigma, method, null),
                org.yax.models.ModelRegistry.DEFAULT_MODEL, axes);
    }
}
