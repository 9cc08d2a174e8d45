package org.yax.io;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * What one batch run stamps into the files it derives, so that writing an output twice in the same run (a retried
 * or speculative cluster task, a resumed run) gives the same bytes: the run's id, from which derived DICOM
 * instance UIDs are made (with the source's UIDs, the derivation and the output's relative path), and the run's
 * start, used as the instance creation date and time. A fresh run gets a fresh id, hence fresh UIDs.
 *
 * @param runId   an opaque id, unique per run (a random UUID)
 * @param started when the run started (microsecond precision: what a DICOM TM holds)
 */
public record RunStamp(String runId, LocalDateTime started) implements Serializable {
    private static final long serialVersionUID = 1L;

    public RunStamp {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(started, "started");
        started = started.truncatedTo(ChronoUnit.MICROS);
    }

    /** A new run: a random id, started now. */
    public static RunStamp fresh() {
        return new RunStamp(UUID.randomUUID().toString(), LocalDateTime.now());
    }
}
