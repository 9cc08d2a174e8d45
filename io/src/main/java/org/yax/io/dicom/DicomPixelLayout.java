package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

/**
 * How the (decompressed) pixel data of one DICOM instance is laid out and how stored values map to
 * modality values. Read from the Image Pixel and Modality LUT modules.
 *
 * @param rows                Rows
 * @param columns             Columns
 * @param frames              NumberOfFrames (1 when absent)
 * @param samplesPerPixel     1 for grey, 3 for colour
 * @param bitsAllocated       1, 8, 16 or 32
 * @param bitsStored          significant bits of each sample
 * @param highBit             bit position of the most significant stored bit
 * @param signed              PixelRepresentation == 1 (two's complement)
 * @param planarConfiguration 0 = colour-by-pixel (RGBRGB...), 1 = colour-by-plane (RR..GG..BB..)
 * @param photometric         PhotometricInterpretation (after decompression, e.g. RGB for a YBR JPEG)
 * @param hasRescale          whether the instance carries RescaleSlope or RescaleIntercept
 * @param rescaleSlope        RescaleSlope (1 when absent)
 * @param rescaleIntercept    RescaleIntercept (0 when absent)
 * @param pixelPaddingValue   PixelPaddingValue in stored units, or null when absent
 * @param modalityLut         the Modality LUT Sequence's table, which replaces the rescale, or null when absent
 */
public record DicomPixelLayout(int rows, int columns, int frames, int samplesPerPixel, int bitsAllocated,
                               int bitsStored, int highBit, boolean signed, int planarConfiguration,
                               String photometric, boolean hasRescale, double rescaleSlope,
                               double rescaleIntercept, Long pixelPaddingValue, ModalityLut modalityLut) {

    /** Reads the layout from an attribute list; throws IllegalArgumentException naming what is wrong. */
    static DicomPixelLayout of(AttributeList list) {
        int rows = requirePositive(list, TagFromName.Rows, "Rows");
        int columns = requirePositive(list, TagFromName.Columns, "Columns");
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        int bitsAllocated = requirePositive(list, TagFromName.BitsAllocated, "BitsAllocated");
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        int highBit = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.HighBit, bitsStored - 1);
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new IllegalArgumentException("BitsAllocated " + bitsAllocated + " not supported (1, 8, 16, 32)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw new IllegalArgumentException("inconsistent BitsAllocated/BitsStored/HighBit "
                    + bitsAllocated + "/" + bitsStored + "/" + highBit);
        }
        if (samples != 1 && samples != 3) {
            throw new IllegalArgumentException("SamplesPerPixel " + samples + " not supported (1 or 3)");
        }
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        int planar = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PlanarConfiguration, 0);
        String photometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation)
                .trim();
        boolean hasRescale = list.get(TagFromName.RescaleSlope) != null || list.get(TagFromName.RescaleIntercept) != null;
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
        if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new IllegalArgumentException("unusable RescaleSlope/RescaleIntercept " + slope + "/" + intercept);
        }
        Attribute padding = list.get(TagFromName.PixelPaddingValue);
        Long paddingValue = null;
        if (padding != null && padding.getVM() > 0) {
            try {
                paddingValue = padding.getLongValues()[0];
            } catch (com.pixelmed.dicom.DicomException e) {
                throw new IllegalArgumentException("unreadable PixelPaddingValue: " + e.getMessage(), e);
            }
            if (!signed && paddingValue < 0) { // read as SS/US ambiguously by some writers: keep the bit pattern
                paddingValue &= (1L << bitsAllocated) - 1;
            }
        }
        return new DicomPixelLayout(rows, columns, frames, samples, bitsAllocated, bitsStored, highBit, signed,
                planar, photometric, hasRescale, slope, intercept, paddingValue,
                samples == 1 ? ModalityLut.of(list, signed) : null);
    }

    private static int requirePositive(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String name) {
        int v = Attribute.getSingleIntegerValueOrDefault(list, tag, 0);
        if (v <= 0) {
            throw new IllegalArgumentException(name + " missing or not positive");
        }
        return v;
    }

    /** Number of samples in the whole pixel data (all frames, all colour samples). */
    public long sampleCount() {
        return (long) rows * columns * frames * samplesPerPixel;
    }

    /** Smallest stored value that BitsStored and PixelRepresentation allow. */
    public long minStored() {
        return signed ? -(1L << (bitsStored - 1)) : 0;
    }

    /** Largest stored value that BitsStored and PixelRepresentation allow. */
    public long maxStored() {
        return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
    }
}
