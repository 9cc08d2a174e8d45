package org.yax.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files so that a partial file never exists under the final name (temp file + atomic move). */
public final class AtomicFiles {
    /** Temporary names start with this prefix so a crashed run's leftovers are easy to recognise. */
    public static final String TEMP_PREFIX = ".yax-tmp-";

    private AtomicFiles() { }

    /** Writes the content of a file through a callback. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    /**
     * Calls {@code writer} with a temporary path in the target's directory (keeping the target's
     * extension, which some GDAL drivers look at), flushes it to disk, then moves it over {@code target}.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        Path temp = Files.createTempFile(dir, TEMP_PREFIX + (dot > 0 ? name.substring(0, dot) : name) + "-", ext);
        boolean done = false;
        try {
            Files.delete(temp); // writers such as GDAL create the file themselves
            writer.writeTo(temp);
            if (!Files.isRegularFile(temp)) {
                throw new IOException("writer produced no file");
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
