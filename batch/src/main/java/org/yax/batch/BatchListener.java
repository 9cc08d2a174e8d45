package org.yax.batch;

import java.util.List;

/** What a face shows while a batch runs: a terminal's progress line, Fiji's status bar, a cluster driver's log. */
public interface BatchListener {
    /** One item finished: its row first, then rows of its parts that failed or were left out (a series' slices). */
    void finished(List<ItemResult> rows);

    /** The run ended (called once, also when it was cancelled or failed). */
    default void closed() { }

    BatchListener NONE = rows -> { };
}
