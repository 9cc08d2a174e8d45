package org.yax.plugins.ij1;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.yax.io.ImageFileException;
import org.yax.plugins.ImageFiles;

/** Plugins&gt;yax&gt;Open DICOM... ("dicom") and Open georeferenced raster... ("raster"); macro key: path. */
public class OpenPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Ij1Support.guard("Open " + arg, () -> runGuarded(arg));
    }

    private void runGuarded(String arg) {
        boolean dicom = "dicom".equals(arg);
        GenericDialog gd = new GenericDialog(dicom ? "Open DICOM" : "Open georeferenced raster");
        Ij1Support.addPathField(gd, "Path", false);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String path = gd.getNextString().trim();
        if (path.isEmpty()) {
            Ij1Support.fail("no file given (path=...)");
            return;
        }
        try {
            ImagePlus imp = dicom ? ImageFiles.openDicom(Path.of(path)) : ImageFiles.openRaster(Path.of(path));
            imp.show();
        } catch (ImageFileException e) {
            Ij1Support.fail(e.getMessage());
        }
    }
}
