package org.yax.io.dicom;

import java.io.IOException;

/** A codec for one transfer syntax's compressed frames, as the DICOM reader uses it (one file at a time). */
interface FrameCodec {
    /** What decoded the frames, for DicomSource.decodedBy (e.g. "ImageIO ..." or "OpenJPEG ..."). */
    String describe();

    /**
     * Whether the codec converts colour (YBR) samples to RGB, as PixelMed records for these transfer syntaxes
     * (the Photometric Interpretation then reads RGB).
     */
    boolean convertsToRgb();

    /** A decoder for one file's frames; closed after them, never shared between threads. */
    Frames open() throws IOException;

    /** Decodes the frames of one file. */
    interface Frames extends AutoCloseable {
        /**
         * One frame's samples, interleaved by pixel: a byte[] or a short[] of rows * columns * samples values, or
         * null when the codec returned something else (another size, sample count or sample type) or cannot take
         * this frame.
         */
        Object decode(byte[] frame, int rows, int columns, int samples) throws IOException;

        @Override
        void close();
    }
}
