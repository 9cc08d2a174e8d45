package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns PixelMed's (already decompressed) PixelData into float modality values laid out as
 * (channel, z = frame, y, x): BitsStored/HighBit masking, sign extension, then the Modality LUT Sequence when
 * there is one, else RescaleSlope/Intercept.
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
        float[] out = new float[(int) count];
        if (layout.samplesPerPixel() == 1 && layout.bitsAllocated() == 16 && layout.modalityLut() == null
                && pixelData instanceof OtherWordAttribute) {
            return sixteenBitGrey(pixelData.getShortValues(), layout, out);
        }
        if (layout.bitsAllocated() == 8 && layout.modalityLut() == null) {
            byte[] bytes = pixelData instanceof OtherWordAttribute
                    ? ((OtherWordAttribute) pixelData).getByteValues(false) : pixelData.getByteValues();
            requireLength(bytes.length, count, 1);
            return eightBit(bytes, 0, layout, out);
        }
        return toModality(samples(pixelData, layout, (int) count, bigEndianSource), layout, out);
    }

    /**
     * Decodes native little endian pixel data straight from the file's bytes (no copy through PixelMed).
     *
     * @param offset where the PixelData value starts in {@code bytes}
     * @param length the PixelData value length
     */
    static float[] decodeLittleEndian(byte[] bytes, int offset, long length, DicomPixelLayout layout)
            throws DicomException {
        long count = layout.sampleCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new DicomException("image too large for one array: " + count + " samples");
        }
        int bits = layout.bitsAllocated();
        requireLength(length, bits == 1 ? (count + 7) / 8 : count * (bits / 8), 1);
        float[] out = new float[(int) count];
        if (layout.samplesPerPixel() == 1 && bits == 16 && layout.modalityLut() == null) {
            return sixteenBitGrey(bytes, offset, layout, out);
        }
        if (bits == 8 && layout.modalityLut() == null) {
            return eightBit(bytes, offset, layout, out);
        }
        return toModality(littleEndianSamples(bytes, offset, bits), layout, out);
    }

    /**
     * 8-bit samples (grey, RGB by pixel or by plane: secondary captures, ultrasound, photos) straight from the
     * bytes: one call site per sample kind keeps the generic loop's sample reader from being shared by all kinds.
     */
    private static float[] eightBit(byte[] bytes, int at, DicomPixelLayout layout, float[] out) {
        StoredToModality toModality = new StoredToModality(layout);
        float[] lut = new float[256]; // every stored byte's modality value, computed once
        for (int v = 0; v < 256; v++) {
            lut[v] = toModality.apply(v);
        }
        int channels = layout.samplesPerPixel();
        int frames = layout.frames();
        int frameSize = layout.rows() * layout.columns();
        if (channels == 1 || layout.planarConfiguration() == 1) { // PixelData order is the output order
            for (int i = 0; i < out.length; i++) {
                out[i] = lut[bytes[at + i] & 0xFF];
            }
            if (channels == 1) {
                return out;
            }
            // by plane, frame by frame: (z, c, y, x) -> (c, z, y, x)
            float[] byFrame = out.clone();
            for (int frame = 0; frame < frames; frame++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(byFrame, (frame * channels + c) * frameSize, out, (c * frames + frame) * frameSize,
                            frameSize);
                }
            }
            return out;
        }
        int i = at;
        for (int frame = 0; frame < frames; frame++) {
            for (int c = 0; c < channels; c++) {
                int to = (c * frames + frame) * frameSize;
                int from = i + c;
                for (int pixel = 0; pixel < frameSize; pixel++) {
                    out[to + pixel] = lut[bytes[from + pixel * channels] & 0xFF];
                }
            }
            i += frameSize * channels;
        }
        return out;
    }

    /** Applies the layout's stored-to-modality mapping and reorders colour samples to (channel, z, y, x). */
    private static float[] toModality(Samples samples, DicomPixelLayout layout, float[] out) {
        StoredToModality toModality = new StoredToModality(layout);
        int channels = layout.samplesPerPixel();
        int frameSize = layout.rows() * layout.columns();
        int frames = layout.frames();
        if (channels == 1) { // grey: PixelData order is the output order
            for (int i = 0; i < out.length; i++) {
                out[i] = toModality.apply(samples.get(i));
            }
            return out;
        }
        boolean byPixel = layout.planarConfiguration() == 0;
        // nested loops in PixelData order: no per-sample division
        int i = 0;
        for (int frame = 0; frame < frames; frame++) {
            if (byPixel) {
                for (int pixel = 0; pixel < frameSize; pixel++) {
                    for (int c = 0; c < channels; c++) {
                        out[(c * frames + frame) * frameSize + pixel] = toModality.apply(samples.get(i++));
                    }
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    int to = (c * frames + frame) * frameSize;
                    for (int pixel = 0; pixel < frameSize; pixel++) {
                        out[to + pixel] = toModality.apply(samples.get(i++));
                    }
                }
            }
        }
        return out;
    }

    /** As {@link #sixteenBitGrey(short[], DicomPixelLayout, float[])}, reading little endian words in place. */
    private static float[] sixteenBitGrey(byte[] bytes, int offset, DicomPixelLayout layout, float[] out) {
        int shift = layout.highBit() + 1 - layout.bitsStored();
        int unused = 32 - layout.bitsStored();
        double slope = layout.rescaleSlope();
        double intercept = layout.rescaleIntercept();
        boolean signed = layout.signed();
        boolean integral = slope == 1 && intercept == Math.rint(intercept) && Math.abs(intercept) < 1 << 23;
        int add = (int) intercept;
        for (int i = 0; i < out.length; i++) {
            int v = ((short) LITTLE_ENDIAN_SHORT.get(bytes, offset + 2 * i) & 0xFFFF) >>> shift << unused;
            v = signed ? v >> unused : v >>> unused;
            out[i] = integral ? v + add : (float) (v * slope + intercept); // integral: exact, no double math
        }
        return out;
    }

    /** One unaligned 16-bit load per sample (a VarHandle view), instead of two byte loads and a shift. */
    private static final VarHandle LITTLE_ENDIAN_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** The common case (CT, MR, CR...) in one monomorphic loop: JIT-compiled tight, no per-sample call. */
    private static float[] sixteenBitGrey(short[] words, DicomPixelLayout layout, float[] out) throws DicomException {
        requireLength(words.length, out.length, 2);
        int shift = layout.highBit() + 1 - layout.bitsStored();
        int unused = 32 - layout.bitsStored();
        double slope = layout.rescaleSlope();
        double intercept = layout.rescaleIntercept();
        boolean signed = layout.signed();
        if (slope == 1 && intercept == Math.rint(intercept) && Math.abs(intercept) < 1 << 23) {
            // CT's usual rescale (1, -1024): integer arithmetic, exact in float, and a loop the JIT vectorises
            int offset = (int) intercept;
            for (int i = 0; i < out.length; i++) {
                int v = (words[i] & 0xFFFF) >>> shift << unused;
                out[i] = (signed ? v >> unused : v >>> unused) + offset;
            }
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            int v = (words[i] & 0xFFFF) >>> shift << unused; // stored bits at the top of the int
            v = signed ? v >> unused : v >>> unused;          // sign-extend or zero-fill them back down
            out[i] = (float) (v * slope + intercept);
        }
        return out;
    }

    /** Stored sample (BitsStored bits at HighBit, sign-extended) to modality value. */
    private static final class StoredToModality {
        private final int shift;
        private final long mask;
        private final long signBit;
        private final boolean signed;
        private final long signedRange;
        private final double slope;
        private final double intercept;
        private final ModalityLut lut;

        StoredToModality(DicomPixelLayout layout) {
            shift = layout.highBit() + 1 - layout.bitsStored();
            mask = (1L << layout.bitsStored()) - 1;
            signBit = 1L << (layout.bitsStored() - 1);
            signed = layout.signed();
            signedRange = 1L << layout.bitsStored();
            slope = layout.rescaleSlope();
            intercept = layout.rescaleIntercept();
            lut = layout.modalityLut();
        }

        float apply(long raw) {
            long v = (raw >>> shift) & mask;
            if (signed && (v & signBit) != 0) {
                v -= signedRange;
            }
            return lut != null ? lut.apply(v) : (float) (v * slope + intercept);
        }
    }

    /** Unsigned raw samples of BitsAllocated bits each, in PixelData order, read where they lie. */
    private interface Samples {
        long get(int i);
    }

    private static Samples samples(Attribute pixelData, DicomPixelLayout layout, int count, boolean bigEndianSource)
            throws DicomException {
        int bits = layout.bitsAllocated();
        if (pixelData instanceof OtherWordAttribute && bits >= 16) {
            short[] words = pixelData.getShortValues();
            if (bits == 16) {
                requireLength(words.length, count, 2);
                return i -> words[i] & 0xFFFFL;
            }
            requireLength(words.length, 2L * count, 2);
            // PixelMed swaps each 16-bit word on a big endian read, leaving the words in file order
            return bigEndianSource ? i -> ((words[2 * i] & 0xFFFFL) << 16) | (words[2 * i + 1] & 0xFFFFL)
                    : i -> ((words[2 * i + 1] & 0xFFFFL) << 16) | (words[2 * i] & 0xFFFFL);
        }
        // OB (or 8-bit/1-bit data in OW): sample bytes in little endian order
        byte[] bytes = pixelData instanceof OtherWordAttribute
                ? ((OtherWordAttribute) pixelData).getByteValues(false) : pixelData.getByteValues();
        requireLength(bytes.length, bits == 1 ? (count + 7L) / 8 : (long) count * (bits / 8), 1);
        return littleEndianSamples(bytes, 0, bits);
    }

    /** Samples of {@code bits} bits each, little endian, starting at {@code at} (length checked by the caller). */
    private static Samples littleEndianSamples(byte[] bytes, int at, int bits) {
        return switch (bits) {
            case 1 -> i -> (bytes[at + (i >>> 3)] >> (i & 7)) & 1;
            case 8 -> i -> bytes[at + i] & 0xFFL;
            case 16 -> i -> (bytes[at + 2 * i] & 0xFFL) | (bytes[at + 2 * i + 1] & 0xFFL) << 8;
            default -> i -> (bytes[at + 4 * i] & 0xFFL) | (bytes[at + 4 * i + 1] & 0xFFL) << 8
                    | (bytes[at + 4 * i + 2] & 0xFFL) << 16 | (bytes[at + 4 * i + 3] & 0xFFL) << 24;
        };
    }

    private static void requireLength(long have, long need, int unitBytes) throws DicomException {
        if (have < need) {
            throw new DicomException("pixel data has " + have * unitBytes + " bytes, the image needs "
                    + need * unitBytes + " (truncated?)");
        }
    }
}
