package org.yax.io.dicom;

/**
 * Where the PixelData value of a native (uncompressed) little endian file lies in the file's bytes, found
 * where PixelMed stopped parsing (just after the PixelData tag). Decoding from there spares PixelMed's copy
 * of the pixel data into a short[] one sample at a time, the slowest part of reading a CT slice.
 *
 * @param offset    where the value starts
 * @param length    the value length the element header states
 */
record NativePixelData(int offset, long length) {
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    /**
     * The PixelData element whose tag ends at {@code afterTag}, or null when there is none there (the caller then
     * lets PixelMed read everything, which reports what is missing).
     */
    static NativePixelData at(byte[] b, long afterTag, boolean explicitVr) {
        int tag = (int) afterTag - 4;
        if (tag < 0 || afterTag > b.length || b[tag] != (byte) 0xE0 || b[tag + 1] != 0x7F || b[tag + 2] != 0x10
                || b[tag + 3] != 0x00) {
            return null;
        }
        int at = (int) afterTag;
        int header = explicitVr ? 8 : 4;
        if (at + header > b.length) {
            return null;
        }
        if (explicitVr && (b[at] != 'O' || (b[at + 1] != 'W' && b[at + 1] != 'B'))) {
            return null;
        }
        long length = u32(b, explicitVr ? at + 4 : at);
        return length == UNDEFINED_LENGTH ? null : new NativePixelData(at + header, length);
    }

    /** Bytes of the value present in a file of {@code fileLength} bytes (less than length when truncated). */
    long present(int fileLength) {
        return Math.min(length, fileLength - (long) offset);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
