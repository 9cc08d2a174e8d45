package org.yax.plugins.commands;

import ij.IJ;
import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.yax.core.Progress;

/** yax progress on SciJava's status bar; cancelled by the command's cancel() or by Esc in ImageJ. */
final class CommandProgress implements Progress {
    private static final int STEPS = 1000;
    private final StatusService status;
    private final Cancelable command;
    private int lastStep = -1;
    private String lastMessage = "";

    CommandProgress(StatusService status, Cancelable command) {
        this.status = status;
        this.command = command;
        IJ.resetEscape();
    }

    @Override
    public void report(double fraction, String message) {
        int step = (int) Math.round(Math.max(0, Math.min(1, fraction)) * STEPS);
        String text = message == null ? "" : message;
        if (status == null || (step == lastStep && text.equals(lastMessage))) {
            return; // solvers report every iteration; the status bar needs no repeats
        }
        lastStep = step;
        lastMessage = text;
        status.showStatus(step, STEPS, "yax: " + text);
    }

    @Override
    public boolean isCancelled() {
        return command.isCanceled() || IJ.escapePressed();
    }

    void clear() {
        if (status != null) {
            status.clearStatus();
        }
    }
}
