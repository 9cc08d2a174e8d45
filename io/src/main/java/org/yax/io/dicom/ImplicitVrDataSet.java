package org.yax.io.dicom;

import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a data set written in implicit VR although its meta header declares an explicit VR little endian transfer
 * syntax (native or encapsulated), a known writer bug (highdicom 0.1.0 wrote pydicom's SC_rgb_jpeg.dcm so). The
 * check is pydicom's: the first data set element has no VR (two letters A-Z) where explicit VR puts one; pydicom
 * then warns and reads the data set as implicit VR little endian, and so does yax. PixelMed and dcmtk trust the
 * meta header and fail on the next element's "length".
 */
final class ImplicitVrDataSet {
    /** Bytes read from a file's start to find its meta header's end (meta headers are a few hundred bytes). */
    private static final int HEAD_BYTES = 64 << 10;

    private ImplicitVrDataSet() { }

    /** As {@link #start(byte[], int, String)}, from the first bytes of {@code file}; -1 when it cannot be read. */
    static int start(Path file, String declaredTs) {
        if (!mayApply(declaredTs)) {
            return -1;
        }
        byte[] head = new byte[HEAD_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return -1;
        }
        return start(head, n, declaredTs);
    }

    /**
     * Where the data set starts in {@code b} (its first {@code n} bytes) when {@code declaredTs}, the meta
     * header's transfer syntax, is explicit VR little endian but the data set is implicit VR; -1 otherwise (also
     * for any layout this does not recognise: the normal read then reports it).
     */
    static int start(byte[] b, int n, String declaredTs) {
        if (!mayApply(declaredTs) || !DicomHeaderSniffer.hasPart10Preamble(b, n)) {
            return -1;
        }
        int at = DicomHeaderSniffer.PREAMBLE_LENGTH + 4;
        // the meta header is explicit VR little endian by definition: walk its group 0002 elements
        while (at + 8 <= n && u16(b, at) == 0x0002) {
            if (!isVrLetter(b[at + 4]) || !isVrLetter(b[at + 5])) {
                return -1;
            }
            String vr = new String(b, at + 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
            long length;
            int header;
            if (hasLongLength(vr)) {
                if (at + 12 > n) {
                    return -1;
                }
                length = u32(b, at + 8);
                header = 12;
            } else {
                length = u16(b, at + 6);
                header = 8;
            }
            if (length == 0xFFFFFFFFL || at + header + length > n) {
                return -1;
            }
            at += header + (int) length;
        }
        if (at + 6 > n || at == DicomHeaderSniffer.PREAMBLE_LENGTH + 4) {
            return -1;
        }
        boolean hasVr = isVrLetter(b[at + 4]) && isVrLetter(b[at + 5]);
        return hasVr ? -1 : at;
    }

    /**
     * Explicit VR little endian, native or encapsulated (JPEG family, MPEG, RLE, deflated frames); not the deflated
     * data set (its bytes are compressed) nor an unknown UID (PixelMed's isEncapsulated says true for those).
     */
    private static boolean mayApply(String ts) {
        return ts.equals(TransferSyntax.ExplicitVRLittleEndian) || ts.startsWith("1.2.840.10008.1.2.4.")
                || ts.equals("1.2.840.10008.1.2.5") || ts.startsWith("1.2.840.10008.1.2.8.");
    }

    /** VRs whose explicit encoding has two reserved bytes and a 32-bit length (PS3.5 7.1.2). */
    private static boolean hasLongLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    /** pydicom's test for a VR byte: 0x40 < b < 0x5B ('@' excluded, 'A'-'Z'). */
    private static boolean isVrLetter(byte v) {
        return v > 0x40 && v < 0x5B;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
