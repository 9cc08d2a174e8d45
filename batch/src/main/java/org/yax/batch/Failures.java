package org.yax.batch;

import org.yax.core.Progress;
import org.yax.io.ImageFileException;

/** The one place that turns what went wrong with an item into the reason its report row gives. */
public final class Failures {
    private Failures() { }

    /** One line for the report row of a single-file item (a file's reason alone: the row names the file). */
    public static String reason(Throwable e) {
        return reason(e, false);
    }

    /** As {@link #reason(Throwable)} for an item of several files (a series): a file's reason names the file. */
    public static String reasonNamingFile(Throwable e) {
        return reason(e, true);
    }

    private static String reason(Throwable e, boolean nameFile) {
        if (e instanceof ImageFileException f) {
            return nameFile ? f.file() + ": " + f.reason() : f.reason();
        }
        if (e instanceof IllegalArgumentException) {
            return oneLine(e);
        }
        if (e instanceof java.io.IOException) {
            return "I/O error: " + oneLine(e);
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (raise -Xmx in JAVA_OPTS)";
        }
        if (e instanceof Error) {
            return internal(e);
        }
        return e.getClass().getSimpleName() + ": " + oneLine(e);
    }

    /** What broke outside an item processor's own handling: a bug, still reported on the item's row. */
    public static String internal(Throwable e) {
        return "internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e);
    }

    /** Whether the item stopped because the run was cancelled (a skip, not a failure). */
    public static boolean isCancel(Throwable e) {
        return e instanceof Progress.CancelledException;
    }

    /** The message on one line (or the exception's type when it has none). */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
