package org.yax.io;

import java.nio.file.Path;
import org.yax.core.Derivation;
import org.yax.core.Image;

/** One file family (DICOM, GDAL rasters): detection by content, reading, and writing a derived file. */
public interface ImageFormat {
    /** Short name for reports, e.g. "DICOM". */
    String name();

    /** Whether this format can read the file, judged from its content (cheap: a header sniff). */
    boolean canRead(Path file);

    /** Reads pixels as float in the image's own units, with the source metadata attached. */
    Image read(Path file) throws ImageFileException;

    /** The file name a derived result of {@code inputFileName} gets (the same name where the format allows). */
    default String outputFileName(String inputFileName) {
        return inputFileName;
    }

    /**
     * Writes {@code result} (whose {@link Image#source()} came from {@link #read}) as a derived file at
     * {@code target}, atomically: a partial file never exists under the final name.
     */
    void write(Image result, Derivation derivation, Path target) throws ImageFileException;

    /**
     * As {@link #write(Image, Derivation, Path)}, for one output of a batch run: a format whose files carry
     * identifiers or dates (DICOM) derives them from {@code run} and {@code outputKey} (the output's path relative to
     * the output folder, '/'-separated), so the same output written twice in one run has the same bytes. Formats
     * with nothing run-specific to stamp ignore both.
     */
    default void write(Image result, Derivation derivation, Path target, RunStamp run, String outputKey)
            throws ImageFileException {
        write(result, derivation, target);
    }
}
