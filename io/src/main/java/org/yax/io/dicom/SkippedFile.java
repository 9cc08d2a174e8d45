package org.yax.io.dicom;

import java.nio.file.Path;

/** A file that series assembly left out, and why (one line). */
public record SkippedFile(Path file, String reason) {
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
