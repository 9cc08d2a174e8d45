package org.yax.plugins.ij1;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import org.yax.core.Progress;

/** ImageJ 1 status bar progress, Esc to cancel, and errors that stop a running macro. */
final class Ij1Support {
    private Ij1Support() { }

    /** Progress on ImageJ's status bar and progress bar; cancelled by Esc. */
    static Progress progress(String what) {
        IJ.resetEscape();
        return new Progress() {
            @Override
            public void report(double fraction, String message) {
                IJ.showStatus("yax " + what + ": " + (message == null ? "" : message));
                IJ.showProgress(Math.max(0, Math.min(1, fraction)));
            }

            @Override
            public boolean isCancelled() {
                return IJ.escapePressed();
            }
        };
    }

    /**
     * A path field read back with getNextString(): with a Browse button in the GUI, a plain string field
     * headless (ij1-patcher's headless dialog keeps file fields apart from the strings).
     */
    static void addPathField(GenericDialog gd, String label, boolean directory) {
        if (GraphicsEnvironment.isHeadless()) {
            gd.addStringField(label, "", 40);
        } else if (directory) {
            gd.addDirectoryField(label, "");
        } else {
            gd.addFileField(label, "");
        }
    }

    /**
     * Runs a command body so that an unexpected error (a bug, a jar missing from plugins/jars) is reported
     * like any other failure and stops the macro; ImageJ 1 would print it and let the macro go on.
     */
    static void guard(String command, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            if (Macro.MACRO_CANCELED.equals(e.getMessage())) {
                throw e; // Macro.abort() unwinding
            }
            fail(command + " failed: " + e);
        } catch (LinkageError e) {
            fail(command + ": yax is not installed completely (" + e + "); see the yax plugins README");
        }
    }

    /** Shows the message (the log in headless/batch mode) and aborts the calling macro, if any. */
    static void fail(String message) {
        IJ.showProgress(1.0);
        IJ.showStatus("");
        if (IJ.getInstance() == null) {
            IJ.log("yax error: " + message); // headless -batch: stdout
        }
        IJ.error("yax", message);
        if (Macro.getOptions() != null || ij.macro.Interpreter.getInstance() != null) {
            Macro.abort();
        }
    }
}
