package org.yax.io.dicom;

import java.nio.file.Path;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;
import org.yax.io.RunStamp;

/**
 * Single DICOM files (single- or multi-frame) through PixelMed: pixels become float modality values
 * (channel = colour sample, z = frame), and a result is written back as a derived instance that keeps
 * every source attribute. Series assembly is not done here.
 */
public final class DicomFormat implements ImageFormat {
    public static final String NAME = "DICOM";

    public DicomFormat() { }

    @Override
    public String name() {
        return NAME;
    }

    /** "DICM" at offset 128, or a bare data set starting with a group 0x0002/0x0008 tag (either byte order). */
    @Override
    public boolean canRead(Path file) {
        return DicomHeaderSniffer.looksLikeDicom(file);
    }

    /** Returns an Image whose {@link Image#source()} is a {@link DicomSource}. */
    @Override
    public Image read(Path file) throws ImageFileException {
        return DicomReader.read(file);
    }

    @Override
    public void write(Image result, Derivation derivation, Path target) throws ImageFileException {
        DicomWriter.write(result, derivation, target);
    }

    /** The SOP Instance UID is a function of the run, the source's UIDs, the derivation and {@code outputKey}. */
    @Override
    public void write(Image result, Derivation derivation, Path target, RunStamp run, String outputKey)
            throws ImageFileException {
        DicomWriter.write(result, derivation, target, run, outputKey);
    }
}
