package org.yax.io.dicom;

import com.pixelmed.dicom.DicomException;

/**
 * Native (uncompressed) YBR_FULL_422 pixel data, PS3.3 C.7.6.3.1.2: each horizontal pair of pixels is stored as
 * Y1 Y2 Cb Cr. Expanded to YBR_FULL (Y Cb Cr per pixel) by giving both pixels of a pair its chroma, as pydicom
 * and dcmtk do, so the values can be processed per channel and written back as a valid YBR_FULL instance.
 */
final class Ybr422 {
    static final String PHOTOMETRIC = "YBR_FULL_422";
    static final String EXPANDED_PHOTOMETRIC = "YBR_FULL";

    private Ybr422() { }

    /**
     * @param stored      the PixelData value, little endian samples of {@code bitsAllocated} (8 or 16) bits
     * @param offset      where the value starts in {@code stored}
     * @param length      the value length in bytes
     * @return full-resolution Y Cb Cr samples, colour-by-pixel, little endian
     * @throws DicomException naming the layout rule that the data break
     */
    static byte[] expand(byte[] stored, int offset, long length, int rows, int columns, int frames, int bitsAllocated,
                         int planarConfiguration) throws DicomException {
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new DicomException("YBR_FULL_422 with BitsAllocated " + bitsAllocated + " (8 or 16 expected)");
        }
        if (columns % 2 != 0) {
            throw new DicomException("YBR_FULL_422 needs an even number of Columns, not " + columns);
        }
        if (planarConfiguration != 0) {
            throw new DicomException("YBR_FULL_422 must be colour-by-pixel (PlanarConfiguration 0, not "
                    + planarConfiguration + ")");
        }
        int bytesPerSample = bitsAllocated / 8;
        long pairs = (long) rows * (columns / 2) * frames;
        long need = pairs * 4 * bytesPerSample;
        if (length < need || offset + need > stored.length) {
            throw new DicomException("pixel data has " + Math.min(length, stored.length - (long) offset)
                    + " bytes, the YBR_FULL_422 image needs " + need + " (truncated?)");
        }
        if (pairs * 6 * bytesPerSample > Integer.MAX_VALUE - 8) {
            throw new DicomException("image too large for one array: " + pairs * 6 + " samples");
        }
        byte[] full = new byte[(int) (pairs * 6 * bytesPerSample)];
        int n = bytesPerSample;
        int in = offset;
        int out = 0;
        for (long p = 0; p < pairs; p++) {
            for (int b = 0; b < n; b++) {
                byte cb = stored[in + 2 * n + b];
                byte cr = stored[in + 3 * n + b];
                full[out + b] = stored[in + b];
                full[out + n + b] = cb;
                full[out + 2 * n + b] = cr;
                full[out + 3 * n + b] = stored[in + n + b];
                full[out + 4 * n + b] = cb;
                full[out + 5 * n + b] = cr;
            }
            in += 4 * n;
            out += 6 * n;
        }
        return full;
    }
}
