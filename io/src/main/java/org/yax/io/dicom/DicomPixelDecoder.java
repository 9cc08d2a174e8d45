package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;

/**
 * Turns PixelMed's (already decompressed) PixelData into float modality values laid out as
 * (channel, z = frame, y, x): BitsStored/HighBit masking, sign extension, RescaleSlope/Intercept.
 */
final class DicomPixelDecoder {
    private DicomPixelDecoder() { }

    /**
     * @param pixelData      the PixelData attribute
     * @param layout         its layout
     * @param bigEndianSource whether the file's transfer syntax was big endian (word order of 32-bit samples
     *                       that PixelMed hands over as pairs of 16-bit words)
     */
    static float[] decode(Attribute pixelData, DicomPixelLayout layout, boolean bigEndianSource) throws DicomException {
        long count = layout.sampleCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new DicomException("image too large for one array: " + count + " samples");
        }
        long[] raw = rawSamples(pixelData, layout, (int) count, bigEndianSource);
        int shift = layout.highBit() + 1 - layout.bitsStored();
        long mask = (1L << layout.bitsStored()) - 1;
        long signBit = 1L << (layout.bitsStored() - 1);
        double slope = layout.rescaleSlope();
        double intercept = layout.rescaleIntercept();
        int channels = layout.samplesPerPixel();
        int frameSize = layout.rows() * layout.columns();
        int frames = layout.frames();
        float[] out = new float[(int) count];
        if (channels == 1) {
            // grey: PixelData order is already (frame, y, x); no per-sample index arithmetic (2x faster on CT)
            for (int i = 0; i < raw.length; i++) {
                long v = (raw[i] >>> shift) & mask;
                if (layout.signed() && (v & signBit) != 0) {
                    v -= 1L << layout.bitsStored();
                }
                out[i] = (float) (v * slope + intercept);
            }
            return out;
        }
        for (int i = 0; i < raw.length; i++) {
            long v = (raw[i] >>> shift) & mask;
            if (layout.signed() && (v & signBit) != 0) {
                v -= 1L << layout.bitsStored();
            }
            int frame = i / (frameSize * channels);
            int inFrame = i - frame * frameSize * channels;
            int channel;
            int pixel;
            if (channels == 1 || layout.planarConfiguration() == 0) {
                pixel = inFrame / channels;
                channel = inFrame - pixel * channels;
            } else {
                channel = inFrame / frameSize;
                pixel = inFrame - channel * frameSize;
            }
            out[(channel * frames + frame) * frameSize + pixel] = (float) (v * slope + intercept);
        }
        return out;
    }

    /** Unsigned raw samples of BitsAllocated bits each, in PixelData order. */
    private static long[] rawSamples(Attribute pixelData, DicomPixelLayout layout, int count, boolean bigEndianSource)
            throws DicomException {
        int bits = layout.bitsAllocated();
        long[] raw = new long[count];
        if (pixelData instanceof OtherWordAttribute && bits >= 16) {
            short[] words = pixelData.getShortValues();
            int wordsPerSample = bits / 16;
            requireLength(words.length, (long) count * wordsPerSample, 2);
            for (int i = 0; i < count; i++) {
                if (wordsPerSample == 1) {
                    raw[i] = words[i] & 0xFFFFL;
                } else {
                    long first = words[2 * i] & 0xFFFFL;
                    long second = words[2 * i + 1] & 0xFFFFL;
                    // PixelMed swaps each 16-bit word on a big endian read, leaving the words in file order
                    raw[i] = bigEndianSource ? (first << 16) | second : (second << 16) | first;
                }
            }
            return raw;
        }
        // OB (or 8-bit/1-bit data in OW): sample bytes in little endian order
        byte[] bytes = pixelData instanceof OtherWordAttribute
                ? ((OtherWordAttribute) pixelData).getByteValues(false) : pixelData.getByteValues();
        if (bits == 1) {
            requireLength(bytes.length, (count + 7L) / 8, 1);
            for (int i = 0; i < count; i++) {
                raw[i] = (bytes[i >>> 3] >> (i & 7)) & 1;
            }
            return raw;
        }
        int bytesPerSample = bits / 8;
        requireLength(bytes.length, (long) count * bytesPerSample, 1);
        for (int i = 0; i < count; i++) {
            long v = 0;
            for (int b = bytesPerSample - 1; b >= 0; b--) {
                v = (v << 8) | (bytes[i * bytesPerSample + b] & 0xFFL);
            }
            raw[i] = v;
        }
        return raw;
    }

    private static void requireLength(long have, long need, int unitBytes) throws DicomException {
        if (have < need) {
            throw new DicomException("pixel data has " + have * unitBytes + " bytes, the image needs "
                    + need * unitBytes + " (truncated?)");
        }
    }
}
