package org.yax.plugins.ij1;

import ij.IJ;
import ij.Macro;
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
