package org.yax.batch;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.io.AtomicFiles;
import org.yax.io.RunStamp;

/**
 * Processes the items of a run driven elsewhere, one call per item (a cluster job's executor: one worker per JVM,
 * shared by the tasks running there). The rows are those {@link BatchEngine#run} gives for the item, and so are the
 * outputs, byte for byte when the run's {@link RunStamp} is the same; the resume manifest is only read here: what
 * an item finished comes back in its {@link Outcome} for the driver to {@link ResumeManifest#record record}.
 *
 * <p>Output names and clashes are planned per item (a clash between two items' outputs is the driver's to find);
 * byte-identical duplicate inputs are not noted.
 *
 * <p>With a staging folder, an item's outputs (and a series' scratch) are written below it and published into the
 * output folder only when the item is done: each file by an atomic rename, so no partial file and no temporary name
 * ever appears under a final name, and a failed, cancelled or killed attempt leaves nothing in the output folder (it
 * only ever deletes its own staging folder, never another attempt's published files). Publishing a series is one
 * rename per slice, not one rename for the series; two attempts of one item (a retry after a crash mid-publish, a
 * speculative copy) still never split a series, because every file an attempt writes is a function of the run's
 * stamp, the inputs and the parameters: the same path gets the same bytes whichever attempt renames it last.
 */
public final class BatchWorker implements AutoCloseable {
    private final BatchEngine engine;
    private final RunStamp stamp;
    private final ResumeManifest manifest;
    private final Reconstruction reconstruction;

    BatchWorker(BatchEngine engine, RunStamp stamp) throws IOException {
        this.engine = engine;
        this.stamp = stamp;
        this.manifest = ResumeManifest.load(engine.outputRoot());
        this.reconstruction = engine.isDryRun() ? null : new Reconstruction().withNetwork(engine.network());
    }

    /** One item's report rows (the first is the item's own) and what it finished, for the driver's manifest. */
    public record Outcome(List<ItemResult> rows, List<ResumeManifest.Done> done) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Outcome {
            rows = new ArrayList<>(rows);
            done = new ArrayList<>(done);
        }
    }

    /**
     * Processes one item.
     *
     * @param staging   a folder of this attempt's own (empty or missing) on the output folder's file system, below
     *                  which outputs are written and from which they are published when the item is done (then
     *                  deleted, whatever happened); null writes in place, as {@link BatchEngine#run} does
     * @param cancelled polled by the solvers besides the engine's own cancellation (e.g. a killed cluster task)
     */
    public Outcome process(Item item, Path staging, BooleanSupplier cancelled) {
        return process(item, staging, cancelled, published -> { });
    }

    /**
     * As {@link #process(Item, Path, BooleanSupplier)}; {@code published} is told each file published into the
     * output folder (a test hook may throw from it to fail the attempt half way through publishing).
     */
    public Outcome process(Item item, Path staging, BooleanSupplier cancelled,
                           java.util.function.Consumer<Path> published) {
        Progress progress = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return engine.isCancelled() || cancelled.getAsBoolean(); }
        };
        ResumeManifest recorder = manifest.recorder();
        BatchRun run = engine.newRun(new OutputPlan(engine.outputRoot(), staging), recorder, reconstruction, progress,
                stamp);
        List<ItemResult> rows = new ArrayList<>(BatchEngine.process(item, run));
        List<ResumeManifest.Done> done = recorder.recorded();
        if (staging != null) {
            ItemResult first = rows.get(0);
            try {
                if (first.status == ItemResult.Status.done) {
                    publish(staging, engine.outputRoot(), published);
                }
            } catch (IOException | UncheckedIOException e) {
                first.status = ItemResult.Status.failed;
                first.reason = "cannot publish the output into " + engine.outputRoot() + ": " + Failures.reason(e);
                done = List.of();
            } finally {
                deleteTree(staging);
            }
        }
        return new Outcome(rows, done);
    }

    /** Moves every file below {@code staging} to the same relative path below {@code root}, each atomically. */
    static void publish(Path staging, Path root, java.util.function.Consumer<Path> published) throws IOException {
        if (!Files.isDirectory(staging)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).sorted().toList();
        }
        for (Path f : files) {
            Path target = root.resolve(staging.relativize(f).toString());
            Files.createDirectories(target.toAbsolutePath().getParent());
            try {
                Files.move(f, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // only where staging and root are on different file systems, which callers avoid
                Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
            published.accept(target);
        }
    }

    /** Deletes a folder and everything below it, as far as it can (a leftover is a hidden .yax-tmp- folder). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the driver removes the run's staging folder at the end
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }

    /** Whether this worker only plans (a --dry-run): nothing is written, so no staging is needed. */
    public boolean isDryRun() {
        return engine.isDryRun();
    }

    @Override
    public void close() {
        if (reconstruction != null) {
            reconstruction.close();
        }
    }
}
