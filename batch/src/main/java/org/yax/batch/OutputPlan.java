package org.yax.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yax.io.ImageFormat;

/**
 * Where each item's output goes (the input tree mirrored under the output root, file names kept as far as the
 * format allows) and which outputs are taken: no output may overwrite an input or another item's output.
 */
final class OutputPlan {
    private final Path root;
    /** Where outputs are written before they are published under root (a cluster task's attempt), or null. */
    private final Path staging;
    private final Map<Path, Path> claimed = new HashMap<>();
    /** First input seen with each content checksum: byte-identical copies are done but noted. */
    private final Map<String, Path> inputsBySha = new HashMap<>();

    OutputPlan(Path root) {
        this(root, null);
    }

    /** Outputs named under {@code root} but written below {@code staging} (mirroring root), published later. */
    OutputPlan(Path root, Path staging) {
        this.root = root;
        this.staging = staging;
    }

    Path root() {
        return root;
    }

    /** Where outputs (and a series' scratch) are written: the staging folder if any, else the root. */
    Path writeRoot() {
        return staging != null ? staging : root;
    }

    /** Where the output named {@code out} (under the root) is written. */
    Path writePath(Path out) {
        return staging == null ? out : staging.resolve(root.relativize(out).toString());
    }

    /** The output's path relative to the root, '/'-separated: what derived identifiers are made from. */
    String key(Path out) {
        return root.relativize(out).toString().replace(java.io.File.separatorChar, '/');
    }

    /** The output's path relative to the output root. */
    static Path relative(Item item, ImageFormat format) {
        Path rel = item.relative();
        String name = format.outputFileName(rel.getFileName().toString());
        return rel.getParent() == null ? Path.of(name) : rel.getParent().resolve(name);
    }

    /** Refuses an output that would overwrite an input or another item's output. Null when free. */
    synchronized String claim(Path out, Path in) throws IOException {
        Path key = out.toAbsolutePath().normalize();
        if (key.equals(in.toAbsolutePath().normalize())
                || (Files.exists(out) && Files.isSameFile(out, in))) {
            return "output " + out + " would overwrite its own input";
        }
        Path previous = claimed.putIfAbsent(key, in);
        return previous == null ? null : "output " + out + " clashes with the output of " + previous;
    }

    /**
     * Byte-identical copies (hence the same SOP Instance UID for DICOM) are each reconstructed, with fresh
     * derived UIDs each; the later one carries a note naming the first, so the duplicate is visible in the report.
     */
    synchronized String noteDuplicate(String sha, Path in) {
        Path first = inputsBySha.putIfAbsent(sha, in);
        return first == null ? null : "same content as " + first + " (duplicate input)";
    }
}
