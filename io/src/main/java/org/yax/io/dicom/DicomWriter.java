package org.yax.io.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.AtomicFiles;
import org.yax.io.ImageFileException;
import org.yax.io.RunStamp;

/** Writes a derived DICOM instance (explicit VR little endian, uncompressed) atomically. */
final class DicomWriter {
    static final String SOURCE_AE_TITLE = "YAX";

    private DicomWriter() { }

    static void write(Image result, Derivation derivation, Path target) throws ImageFileException {
        write(result, derivation, target, LocalDateTime.now(), DerivedUids.newInstanceUid());
    }

    /**
     * As above for one output of a batch run: created at the run's start, with an instance UID derived from the
     * run id, the source's Series and SOP Instance UIDs, the derivation and {@code outputKey}, so writing the same
     * output twice in one run (a retried task) gives the same bytes.
     */
    static void write(Image result, Derivation derivation, Path target, RunStamp run, String outputKey)
            throws ImageFileException {
        write(result, derivation, target, run.started(), instanceUid(result, derivation, target, run, outputKey));
    }

    static String instanceUid(Image result, Derivation derivation, Path target, RunStamp run, String outputKey)
            throws ImageFileException {
        if (!(result.source() instanceof DicomSource source)) {
            throw new ImageFileException(target, "the result has no DICOM source to derive from (source: "
                    + (result.source() == null ? "none" : result.source().format()) + ")");
        }
        return DerivedUids.instanceUid(run.runId(), source.seriesInstanceUid(), source.sopInstanceUid(),
                derivation.describe(), outputKey);
    }

    /** As above with the two values that differ between runs given, so tests can compare output bytes. */
    static void write(Image result, Derivation derivation, Path target, LocalDateTime now, String sopInstanceUid)
            throws ImageFileException {
        write(result, derivation, target, now, sopInstanceUid, null, null);
    }

    /**
     * As above for a slice of a through-plane refined series ({@code thin} places it; {@code references} are the
     * source slices it came from), or, with both null, a slice derived from its own source.
     */
    static void write(Image result, Derivation derivation, Path target, LocalDateTime now, String sopInstanceUid,
                      ThinSlice thin, List<DicomSource> references) throws ImageFileException {
        if (!(result.source() instanceof DicomSource source)) {
            throw new ImageFileException(target, "the result has no DICOM source to derive from (source: "
                    + (result.source() == null ? "none" : result.source().format()) + ")");
        }
        DicomPixelLayout layout = source.layout();
        int scale = derivation.scale();
        if (result.channels() != layout.samplesPerPixel() || result.depth() != layout.frames()
                || result.height() != (long) layout.rows() * scale || result.width() != (long) layout.columns() * scale) {
            throw new ImageFileException(target, "result " + result + " does not match the source ("
                    + layout.samplesPerPixel() + " samples, " + layout.frames() + " frames, " + layout.rows() + "x"
                    + layout.columns() + ") at scale " + scale);
        }
        try {
            StoredValueEncoding encoding = StoredValueEncoding.choose(layout, result.pixels());
            AttributeList list = DerivedInstance.build(source, derivation, encoding, now, sopInstanceUid, thin,
                    references != null ? references : List.of(source));
            list.put(pixelData(result, layout.planarConfiguration(), encoding));
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE_TITLE);
            AtomicFiles.write(target, temp -> {
                try {
                    list.write(temp.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
                } catch (DicomException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (DicomException | IOException | IllegalArgumentException e) {
            throw new ImageFileException(target, "cannot write derived DICOM: " + e.getMessage(), e);
        }
    }

    /** Stored values in PixelData order: frames, then pixels (colour-by-pixel) or planes (colour-by-plane). */
    private static com.pixelmed.dicom.Attribute pixelData(Image image, int planar, StoredValueEncoding encoding)
            throws DicomException {
        int channels = image.channels();
        int frames = image.depth();
        int plane = image.planeSize();
        int count = channels * frames * plane;
        float[] px = image.pixels();
        // stored values go straight into the attribute's array: a long[] in between was 2 MiB of garbage per
        // 512 x 512 slice, large enough for the garbage collector to treat each one as a humongous object
        boolean sixteen = encoding.bitsAllocated() == 16;
        short[] words = sixteen ? new short[count] : null;
        byte[] bytes = sixteen ? null : new byte[count + (count & 1)]; // OB values have even length
        int i = 0;
        for (int z = 0; z < frames; z++) {
            if (channels == 1 || planar == 1) {
                for (int c = 0; c < channels; c++) {
                    int from = (c * frames + z) * plane;
                    for (int p = 0; p < plane; p++) {
                        put(words, bytes, i++, encoding.store(px[from + p]));
                    }
                }
            } else {
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < channels; c++) {
                        put(words, bytes, i++, encoding.store(px[(c * frames + z) * plane + p]));
                    }
                }
            }
        }
        if (sixteen) {
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(words);
            return a;
        }
        OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
        a.setValues(bytes);
        return a;
    }

    private static void put(short[] words, byte[] bytes, int index, long stored) {
        if (words != null) {
            words[index] = (short) stored;
        } else {
            bytes[index] = (byte) stored;
        }
    }
}
