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
        boolean signed = layout.signed();
        long signedRange = 1L << layout.bitsStored();
        boolean byPixel = channels == 1 || layout.planarConfiguration() == 0;
        // nested loops in PixelData order: no per-sample division (grey is the byPixel case with one channel)
        int i = 0;
        for (int frame = 0; frame < frames; frame++) {
            if (byPixel) {
                for (int pixel = 0; pixel < frameSize; pixel++) {
                    for (int c = 0; c < channels; c++) {
                        out[(c * frames + frame) * frameSize + pixel] =
                                modality(raw[i++], shift, mask, signBit, signed, signedRange, slope, intercept);
                    }
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    int to = (c * frames + frame) * frameSize;
                    for (int pixel = 0; pixel < frameSize; pixel++) {
                        out[to + pixel] = modality(raw[i++], shift, mask, signBit, signed, signedRange, slope, intercept);
                    }
                }
            }
        }
        return out;
    }

    /** One stored sample (BitsStored bits at HighBit, sign-extended) as a modality value. */
    private static float modality(long raw, int shift, long mask, long signBit, boolean signed, long signedRange,
                                  double slope, double intercept) {
        long v = (raw >>> shift) & mask;
        if (signed && (v & signBit) != 0) {
            v -= signedRange;
        }
        return (float) (v * slope + intercept);
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
