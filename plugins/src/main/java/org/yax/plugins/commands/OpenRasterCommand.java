package org.yax.plugins.commands;

import ij.ImagePlus;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.yax.io.ImageFileException;
import org.yax.plugins.ImageFiles;

/** Plugins&gt;yax&gt;Open georeferenced raster... Macro: run("Open georeferenced raster...", "path=[/data/file]"). Cancelled with the reason if unreadable. */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Open georeferenced raster...", headless = true)
public class OpenRasterCommand extends ContextCommand {
    @Parameter(label = "Raster file", style = FileWidget.OPEN_STYLE)
    private File path;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus image;

    @Override
    public void run() {
        try {
            image = ImageFiles.openRaster(path.toPath());
        } catch (ImageFileException e) {
            cancel(e.getMessage());
        }
    }
}
