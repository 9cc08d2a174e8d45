package org.yax.io.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises a DICOM file from its first bytes: the Part 10 preamble, or a bare data set's first tag. */
final class DicomHeaderSniffer {
    static final int PREAMBLE_LENGTH = 128;

    private DicomHeaderSniffer() { }

    /** Whether the first bytes of {@code file} look like DICOM; false for unreadable files. */
    static boolean looksLikeDicom(Path file) {
        byte[] head = new byte[PREAMBLE_LENGTH + 4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return looksLikeDicom(head, n);
    }

    /** Whether the first {@code n} bytes of {@code head} look like DICOM. */
    static boolean looksLikeDicom(byte[] head, int n) {
        return hasPart10Preamble(head, n) || startsWithDataSetTag(head, n);
    }

    static boolean hasPart10Preamble(byte[] head, int n) {
        return n >= PREAMBLE_LENGTH + 4 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }

    /**
     * A data set written without preamble starts with a meta header element (group 0x0002) or an
     * identifying element (group 0x0008), in either byte order, followed by an explicit VR or a
     * 32-bit length that fits in a small header.
     */
    static boolean startsWithDataSetTag(byte[] head, int n) {
        if (n < 8) {
            return false;
        }
        for (boolean bigEndian : new boolean[] {false, true}) {
            int group = u16(head, 0, bigEndian);
            int element = u16(head, 2, bigEndian);
            boolean plausibleTag = (group == 0x0002 && element <= 0x0102) || (group == 0x0008 && element <= 0x0030);
            if (!plausibleTag) {
                continue;
            }
            boolean explicitVr = isUpper(head[4]) && isUpper(head[5]);
            long implicitLength = bigEndian
                    ? ((long) u16(head, 4, true) << 16) | u16(head, 6, true)
                    : ((long) u16(head, 6, false) << 16) | u16(head, 4, false);
            if (explicitVr || implicitLength <= 1024) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUpper(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        int lo = b[at] & 0xFF;
        int hi = b[at + 1] & 0xFF;
        return bigEndian ? (lo << 8) | hi : (hi << 8) | lo;
    }
}
