package org.yax.plugins.commands;

import ij.ImagePlus;
import java.io.File;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.yax.io.ImageFileException;
import org.yax.plugins.ImageFiles;

/**
 * Plugins&gt;yax&gt;Save as GeoTIFF... Writes the image as a derived file of the one it was opened from, keeping that
 * file's metadata. Macro: run("Save as GeoTIFF...", "path=[/out/file]"). Cancelled with the reason on failure.
 */
@Plugin(type = Command.class, menuPath = "Plugins>yax>Save as GeoTIFF...", headless = true)
public class SaveGeoTiffCommand extends ContextCommand {
    @Parameter(persist = false)
    private ImagePlus input;

    @Parameter(label = "GeoTIFF file", style = FileWidget.SAVE_STYLE)
    private File path;

    @Override
    public void run() {
        try {
            ImageFiles.saveGeoTiff(input, path.toPath());
        } catch (ImageFileException e) {
            cancel(e.getMessage());
        }
    }
}
