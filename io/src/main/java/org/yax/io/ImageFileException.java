package org.yax.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read or written, with the reason in words a user can act on. */
public class ImageFileException extends IOException {
    private final transient Path file;
    private final String reason;

    public ImageFileException(Path file, String reason) {
        this(file, reason, null);
    }

    public ImageFileException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() { return file; }

    /** The reason alone, without the file name. */
    public String reason() { return reason; }
}
