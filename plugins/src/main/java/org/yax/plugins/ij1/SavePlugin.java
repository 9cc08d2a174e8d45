package org.yax.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.yax.io.ImageFileException;
import org.yax.plugins.ImageFiles;

/** Plugins&gt;yax&gt;Save as DICOM... ("dicom") and Save as GeoTIFF... ("geotiff"); macro key: path. */
public class SavePlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Ij1Support.guard("Save as " + arg, () -> runGuarded(arg));
    }

    private void runGuarded(String arg) {
        boolean dicom = "dicom".equals(arg);
        ImagePlus imp = IJ.getImage();
        GenericDialog gd = new GenericDialog(dicom ? "Save as DICOM" : "Save as GeoTIFF");
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
            if (dicom) {
                ImageFiles.saveDicom(imp, Path.of(path));
            } else {
                ImageFiles.saveGeoTiff(imp, Path.of(path));
            }
            IJ.showStatus("yax: saved " + path);
        } catch (ImageFileException e) {
            Ij1Support.fail(e.getMessage());
        }
    }
}
