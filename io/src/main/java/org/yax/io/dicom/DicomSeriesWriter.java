package org.yax.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.ImageFileException;
import org.yax.io.RunStamp;

/**
 * Writes the derived slices of one series, all or nothing: each slice is written atomically exactly as
 * {@link DicomFormat#write} writes it, with the one {@link Derivation} given here, so all slices share one derived
 * SeriesInstanceUID; until {@link #commit()} every written slice is on probation, and {@link #rollback()} or a
 * {@link #close()} without commit (an exception, a cancel) deletes them all. A slice written over an existing file
 * replaces it: rollback deletes the new file, the old one is gone either way. Not thread-safe.
 *
 * <pre>{@code
 * try (DicomSeriesWriter writer = new DicomSeriesWriter(derivation)) {
 *     reconstruction.runVolume(source, settings, zWeight, (z, px) -> writer.write(source, z, px, outputOf(z)), p);
 *     writer.commit();
 * } // not committed: every slice written is deleted
 * }</pre>
 */
public final class DicomSeriesWriter implements AutoCloseable {
    private final Derivation derivation;
    private final Supplier<LocalDateTime> clock;
    private final Supplier<String> instanceUids;
    private final RunStamp run;
    private final List<Path> written = new ArrayList<>();
    private boolean committed;
    private boolean rolledBack;

    /** A writer for the slices of one series derived by {@code derivation}. */
    public DicomSeriesWriter(Derivation derivation) {
        this(derivation, LocalDateTime::now, DerivedUids::newInstanceUid);
    }

    /**
     * A writer for one series of a batch run: every slice is stamped with the run's start and gets an instance
     * UID derived from the run (see {@link DicomFormat#write(Image, Derivation, Path, RunStamp, String)}), so
     * writing the series again in the same run gives the same bytes. Use the write methods taking an output key.
     */
    public DicomSeriesWriter(Derivation derivation, RunStamp run) {
        this.derivation = derivation;
        this.clock = run::started;
        this.instanceUids = null;
        this.run = run;
    }

    /** With the creation time and instance UIDs given, so tests can compare bytes. */
    DicomSeriesWriter(Derivation derivation, Supplier<LocalDateTime> clock, Supplier<String> instanceUids) {
        this.derivation = derivation;
        this.clock = clock;
        this.instanceUids = instanceUids;
        this.run = null;
    }

    /**
     * Writes slice z of {@code source}, processed into {@code pixels} (samples x rows*scale x columns*scale values,
     * scale the derivation's), derived from that slice's header, at {@code target}.
     */
    public void write(DicomSeriesSource source, int z, float[] pixels, Path target) throws IOException {
        write(source, z, pixels, target, null);
    }

    /** As above; {@code outputKey} is the output's path relative to the output folder (for a run's writer). */
    public void write(DicomSeriesSource source, int z, float[] pixels, Path target, String outputKey)
            throws IOException {
        int scale = derivation.scale();
        write(new Image(pixels, source.samplesPerPixel(), 1, source.height() * scale, source.width() * scale,
                source.header(z)), target, outputKey);
    }

    /**
     * Writes thin slice {@code thin} of a through-plane refined {@code source} ({@code pixels}: rows*scale x
     * columns*scale values, scale the derivation's in-plane one), from the header of the source slice it names,
     * placed along the normal, its SourceImageSequence naming the source slices it came from.
     */
    public void write(DicomSeriesSource source, ThinSlice thin, float[] pixels, Path target, String outputKey)
            throws IOException {
        begin(outputKey);
        int scale = derivation.scale();
        Image result = new Image(pixels, source.samplesPerPixel(), 1, source.height() * scale, source.width() * scale,
                source.header(thin.header()));
        List<DicomSource> references = new ArrayList<>();
        for (int k : thin.sources()) {
            references.add(source.header(k));
        }
        String uid = run != null ? DicomWriter.instanceUid(result, derivation, target, run, outputKey)
                : instanceUids.get();
        DicomWriter.write(result, derivation, target, clock.get(), uid, thin, references);
        written.add(target);
    }

    private void begin(String outputKey) {
        if (committed || rolledBack) {
            throw new IllegalStateException("the series was already " + (committed ? "committed" : "rolled back"));
        }
        if (run != null && outputKey == null) {
            throw new IllegalArgumentException("a run's series writer needs each output's key");
        }
    }

    /** Writes {@code result}, whose source is a {@link DicomSource} (e.g. from {@link DicomSeriesSource#image}). */
    public void write(Image result, Path target) throws ImageFileException {
        write(result, target, null);
    }

    /** As above; {@code outputKey} is the output's path relative to the output folder (for a run's writer). */
    public void write(Image result, Path target, String outputKey) throws ImageFileException {
        begin(outputKey);
        String uid = run != null ? DicomWriter.instanceUid(result, derivation, target, run, outputKey)
                : instanceUids.get();
        DicomWriter.write(result, derivation, target, clock.get(), uid);
        written.add(target);
    }

    /** The files written so far, in order. */
    public List<Path> written() {
        return List.copyOf(written);
    }

    /** Keeps what was written: the series is complete. */
    public void commit() {
        if (rolledBack) {
            throw new IllegalStateException("the series was already rolled back");
        }
        committed = true;
    }

    /**
     * Deletes every slice written so far (all are tried; the first failure is thrown after). Does nothing after
     * {@link #commit()} or a previous rollback.
     */
    public void rollback() throws IOException {
        if (committed || rolledBack) {
            return;
        }
        rolledBack = true;
        IOException first = null;
        for (Path p : written) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        written.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Rolls back unless committed. */
    @Override
    public void close() throws IOException {
        rollback();
    }
}
