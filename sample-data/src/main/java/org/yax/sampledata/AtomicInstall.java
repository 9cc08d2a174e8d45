package org.yax.sampledata;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Puts freshly written outputs in place with renames inside the target's own directory, so a reader sees
 * either the complete old output or the complete new one, never a half-written file.
 */
final class AtomicInstall {
    private AtomicInstall() {
    }

    /** A fresh empty sibling of {@code target} to write into before {@link #replace}. */
    static Path stagingDirectory(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".new-");
    }

    /** A path for a sibling temporary file of {@code target} (not created: GDAL creates it). */
    static Path stagingFile(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path file = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".new-", ".tmp");
        Files.delete(file);
        return file;
    }

    /** Replaces {@code target} (file or directory) by {@code staged}. */
    static void replace(Path staged, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            move(target, old);
            move(staged, target);
            deleteRecursively(old);
        } else {
            move(staged, target);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + ": cannot replace atomically: " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
