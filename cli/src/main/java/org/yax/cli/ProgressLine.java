package org.yax.cli;

import org.yax.batch.BatchListener;
import org.yax.batch.ItemResult;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Tells the user how far a batch is: on a terminal one bar redrawn in place (counts and ETA) with a line
 * per skipped or failed item above it; otherwise one plain line per item with counts and ETA (logs, pipes).
 */
public final class ProgressLine implements BatchListener {
    private static final int BAR_WIDTH = 24;

    private final int total;
    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int finished;
    private int done;
    private int skipped;
    private int failed;
    private boolean barShown;

    public ProgressLine(int total, PrintWriter out, boolean terminal) {
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    /** One item finished: its row, then rows of its parts that failed or were left out (a series' slices). */
    @Override
    public synchronized void finished(java.util.List<ItemResult> rows) {
        finished(rows.get(0));
        for (ItemResult part : rows.subList(1, rows.size())) {
            line(part, false);
        }
    }

    synchronized void finished(ItemResult r) {
        line(r, true);
    }

    private void line(ItemResult r, boolean counts) {
        if (counts) {
            finished++;
        }
        switch (r.status) {
            case done, planned -> done++;
            case skipped -> skipped++;
            case failed -> failed++;
        }
        String what = switch (r.status) {
            case done -> String.format(Locale.ROOT, "done    %s%s (%.1f s)", r.input, r.series == null ? ""
                    : " [series " + r.series + ", " + r.slices + " slices: " + r.reconstruction + "]"
                    + (r.reason != null ? ": " + r.reason : ""), r.secondsTotal == null ? 0.0 : r.secondsTotal);
            case planned -> "plan    " + r.input + " -> " + r.output + " (" + r.format + ")"
                    + (r.reason != null ? ": " + r.reason : "");
            case skipped -> "skipped " + r.input + ": " + r.reason;
            case failed -> "FAILED  " + r.input + ": " + r.reason;
        };
        if (terminal) {
            if (r.status != ItemResult.Status.done || r.series != null) {
                out.print("\r\033[K");
                out.println(what);
            }
            out.print("\r\033[K" + bar());
            barShown = true;
        } else {
            out.printf("[%d/%d] %s%s%n", finished, total, what, counts && finished < total ? ", " + eta() : "");
        }
        out.flush();
    }

    @Override
    public synchronized void closed() {
        if (barShown) {
            out.println();
            out.flush();
        }
    }

    private String bar() {
        int filled = total == 0 ? BAR_WIDTH : finished * BAR_WIDTH / total;
        return String.format(Locale.ROOT, "[%s%s] %d/%d (%d done, %d skipped, %d failed) %s",
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), finished, total, done, skipped, failed,
                finished < total ? eta() : "");
    }

    /** Remaining time from the mean time per finished item so far (items differ: an estimate). */
    String eta() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        long remaining = Math.round(elapsed / Math.max(1, finished) * (total - finished));
        return String.format(Locale.ROOT, "ETA %d:%02d", remaining / 60, remaining % 60);
    }
}
