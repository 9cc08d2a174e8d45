package org.yax.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    private ExecutorState(JobSpec spec) {
        SparkCommand command = new SparkCommand();
        new CommandLine(command).parseArgs(spec.args().toArray(String[]::new));
        command.options.outputRoot = Path.of(spec.outputRoot());
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

    @Override
    public void close() {
        worker.close();
        choice.close();
    }
}
