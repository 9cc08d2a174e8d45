package org.yax.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds JPEG 2000 codestreams whose tile-part headers under-count their tile-parts (a tile-part with
 * TPsot >= TNsot, as in GDCM's GDCMJ2K_TextGBR.dcm). The JJ2000 codec behind PixelMed believes TNsot and drops
 * the extra tile-parts, i.e. the last quality layers: a lossless image then decodes silently lossy (up to 108
 * grey levels off there). OpenJPEG decodes all of them and is tried first (OpenJpegFrameDecoder); this check
 * guards the JJ2000 path that remains for what OpenJPEG does not take.
 */
final class Jpeg2000TileParts {
    private Jpeg2000TileParts() { }

    /** A description of the first under-counted tile-part in {@code file}'s codestreams, or null when none. */
    static String underCounted(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int soc = find(b, 0); soc >= 0; soc = find(b, soc + 2)) {
            int sot = firstSot(b, soc + 2);
            // follow the chain of tile-parts (Psot); stop at EOC or anything unexpected (e.g. a fragment boundary)
            while (sot >= 0 && sot + 12 <= b.length && u16(b, sot) == 0xFF90) {
                int tile = u16(b, sot + 4);
                long psot = ((long) u16(b, sot + 6) << 16) | u16(b, sot + 8);
                int tpsot = b[sot + 10] & 0xFF;
                int tnsot = b[sot + 11] & 0xFF;
                if (tnsot != 0 && tpsot >= tnsot) {
                    return "tile " + tile + " has a tile-part numbered " + tpsot + " (from 0) but TNsot says " + tnsot + " tile-parts";
                }
                if (psot < 14 || sot + psot > b.length) {
                    break;
                }
                sot += (int) psot;
            }
        }
        return null;
    }

    /** The next SOC+SIZ (start of a codestream) at or after {@code from}, or -1. */
    private static int find(byte[] b, int from) {
        for (int i = from; i + 3 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == 0x4F && b[i + 2] == (byte) 0xFF && b[i + 3] == 0x51) {
                return i;
            }
        }
        return -1;
    }

    /** Walks the main header's marker segments to the first SOT, or -1. */
    private static int firstSot(byte[] b, int at) {
        while (at + 4 <= b.length) {
            int marker = u16(b, at);
            if (marker == 0xFF90) {
                return at;
            }
            if ((marker & 0xFF00) != 0xFF00) {
                return -1;
            }
            at += 2 + u16(b, at + 2);
        }
        return -1;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
