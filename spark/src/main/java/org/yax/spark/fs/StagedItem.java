package org.yax.spark.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One item's local scratch space on an executor: {@link #inputDir()} receives the staged input files (at their
 * paths relative to the input root, so series grouping and output names work as locally), {@link #outputDir()}
 * is where the batch engine writes, {@link #publish} moves the results to the target file system atomically,
 * and {@link #close()} deletes everything local, whether the item succeeded or not.
 *
 * <pre>{@code
 * try (StagedItem s = staging.newItem(localSpace, item.relativeTo())) {
 *     List<Path> local = s.stage(inputRoot, relatives);      // copies root/rel -> inputDir/rel
 *     ... run the engine on inputDir (or on `local`) with output root s.outputDir() ...
 *     s.publish(outputRoot);                                 // temp name + rename, per file
 * }
 * }</pre>
 */
public final class StagedItem implements AutoCloseable {
    private final HadoopStaging staging;
    private final Path dir;
    private final Path in;
    private final Path out;

    StagedItem(HadoopStaging staging, Path dir) throws IOException {
        this.staging = staging;
        this.dir = dir;
        this.in = Files.createDirectories(dir.resolve("in"));
        this.out = Files.createDirectories(dir.resolve("out"));
    }

    /** The local copy of the item's inputs (relative paths as below the input root). */
    public Path inputDir() {
        return in;
    }

    /** Where the item's outputs are written locally before {@link #publish}. */
    public Path outputDir() {
        return out;
    }

    /** Copies {@code root/rel} to {@code inputDir()/rel} for each relative path; returns the local files. */
    public List<Path> stage(String root, List<String> relatives) throws IOException {
        return staging.stage(root, relatives, in);
    }

    /** Publishes {@code outputDir()} to {@code targetRoot} (see {@link HadoopStaging#publish}). */
    public List<String> publish(String targetRoot) throws IOException {
        return staging.publish(out, targetRoot);
    }

    /** Deletes the local scratch space. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
