package org.yax.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yax.batch.BatchEngine;
import org.yax.batch.BatchWorker;
import org.yax.core.ReconstructionSettings;
import org.yax.models.ModelChoice;
import picocli.CommandLine;

/**
 * What one executor JVM keeps for a job, built by the first task that needs it and shared by every task of the job
 * that runs there (concurrently, one per core): the options parsed from the job's arguments, one {@link BatchEngine}
 * and its {@link BatchWorker} (one Reconstruction), and one model, loaded lazily on the first solve that needs it.
 * GDAL's drivers and PixelMed's dictionaries are static, so they too are loaded once per JVM.
 */
final class ExecutorState implements AutoCloseable {
    private static final Map<String, ExecutorState> BY_JOB = new ConcurrentHashMap<>();

    final BatchWorker worker;
    private final ModelChoice choice;
    /** A staged job: this JVM's local space (items are copied below it), else null. */
    final Path localSpace;
    /**
     * A staged job: the worker's output root, a local folder standing in for the remote one (it holds a copy of the
     * remote resume manifest, read once, and each item's outputs until they are published), else null.
     */
    final Path localOutput;

    private ExecutorState(JobSpec spec) {
        SparkCommand command = new SparkCommand();
        new CommandLine(command).parseArgs(spec.args().toArray(String[]::new));
        if (spec.staged()) {
            try {
                localSpace = localSpace();
                localOutput = Files.createTempDirectory(localSpace, "yax-out-" + spec.stamp().runId() + "-");
                String manifest = org.yax.spark.fs.HadoopStaging.resolve(spec.outputRoot(), StagedJob.MANIFEST);
                if (spec.staging().exists(manifest)) {
                    try (var in = spec.staging().open(manifest)) {
                        Files.copy(in, localOutput.resolve(StagedJob.MANIFEST));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            command.options.outputRoot = localOutput;
        } else {
            localSpace = null;
            localOutput = null;
            command.options.outputRoot = Path.of(spec.outputRoot());
        }
        command.options.referenceRoot = spec.referenceRoot() == null ? null : Path.of(spec.referenceRoot());
        ReconstructionSettings settings = command.options.validate();
        this.choice = command.options.modelChoice(settings);
        BatchEngine engine = command.options.engine(settings, choice, 1);
        try {
            this.worker = engine.worker(spec.stamp());
        } catch (IOException e) {
            choice.close();
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's state for the job, built on first use. */
    static ExecutorState of(JobSpec spec) {
        return BY_JOB.computeIfAbsent(spec.key(), k -> new ExecutorState(spec));
    }

    /** Frees the job's state in this JVM (the driver in local mode; executors of a cluster end with the job). */
    static void release(JobSpec spec) {
        ExecutorState s = BY_JOB.remove(spec.key());
        if (s != null) {
            s.close();
        }
    }

    /** Spark's local folder for this application (SparkFiles' root, below spark.local.dir), else java.io.tmpdir. */
    static Path localSpace() throws IOException {
        try {
            String root = org.apache.spark.SparkFiles.getRootDirectory();
            if (root != null && !root.isBlank()) {
                return Files.createDirectories(Path.of(root));
            }
        } catch (RuntimeException | LinkageError noSparkEnv) {
            // not in a Spark JVM (tests): the JVM's temporary folder
        }
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Override
    public void close() {
        worker.close();
        choice.close();
        if (localOutput != null) {
            SparkBatch.deleteTree(localOutput);
        }
    }
}
