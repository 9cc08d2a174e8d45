package org.yax.io.dicom;

/**
 * The image size marker (SIZ) of a JPEG 2000 codestream: what a decoder's output type depends on. GDAL reports
 * neither the sign of 8-bit components (it hands them over as unsigned bytes) nor the precision of 16-bit ones,
 * so the DICOM reader reads them here.
 *
 * @param width      Xsiz - XOsiz
 * @param height     Ysiz - YOsiz
 * @param precision  each component's bit depth (1-38)
 * @param signed     each component's sign
 * @param subsampled whether any component is sampled more coarsely than the image grid (XRsiz or YRsiz > 1)
 */
record Jpeg2000Siz(int width, int height, int[] precision, boolean[] signed, boolean subsampled) {
    /** The highest precision of any component. */
    int maxPrecision() {
        int max = 0;
        for (int p : precision) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** Whether any component is signed. */
    boolean anySigned() {
        for (boolean s : signed) {
            if (s) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SIZ of the first codestream in {@code frame} (a bare codestream, or a JP2 file whose contiguous
     * codestream box holds one), or null when there is none or it is cut short.
     */
    static Jpeg2000Siz of(byte[] frame) {
        int soc = -1;
        for (int i = 0; i + 3 < frame.length; i++) {
            if (frame[i] == (byte) 0xFF && frame[i + 1] == 0x4F && frame[i + 2] == (byte) 0xFF && frame[i + 3] == 0x51) {
                soc = i;
                break;
            }
        }
        int at = soc + 4; // Lsiz
        if (soc < 0 || at + 38 > frame.length) {
            return null;
        }
        long xsiz = u32(frame, at + 4);
        long ysiz = u32(frame, at + 8);
        long xosiz = u32(frame, at + 12);
        long yosiz = u32(frame, at + 16);
        int components = u16(frame, at + 36);
        if (components < 1 || at + 38 + 3 * components > frame.length || xsiz <= xosiz || ysiz <= yosiz
                || xsiz - xosiz > Integer.MAX_VALUE || ysiz - yosiz > Integer.MAX_VALUE) {
            return null;
        }
        int[] precision = new int[components];
        boolean[] signed = new boolean[components];
        boolean subsampled = false;
        for (int c = 0; c < components; c++) {
            int ssiz = frame[at + 38 + 3 * c] & 0xFF;
            precision[c] = (ssiz & 0x7F) + 1;
            signed[c] = (ssiz & 0x80) != 0;
            subsampled |= (frame[at + 39 + 3 * c] & 0xFF) != 1 || (frame[at + 40 + 3 * c] & 0xFF) != 1;
        }
        return new Jpeg2000Siz((int) (xsiz - xosiz), (int) (ysiz - yosiz), precision, signed, subsampled);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }
}
