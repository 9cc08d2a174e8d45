package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * A Modality LUT Sequence (PS3.3 C.11.1): a table from stored values to modality values, used instead of
 * RescaleSlope/Intercept by some modalities (XA, US, older CR). Stored values below the first mapped value
 * take the first entry, values beyond the table the last one.
 *
 * @param firstMapped the stored value that maps to {@code values[0]}
 * @param values      the modality value of each entry (unsigned, {@code bitsPerEntry} bits)
 */
public record ModalityLut(long firstMapped, float[] values) {
    /** (0028,3000) Modality LUT Sequence (PixelMed's TagFromName lacks it). */
    static final AttributeTag SEQUENCE = new AttributeTag(0x0028, 0x3000);

    /** The first item of the list's ModalityLUTSequence, or null when there is none. */
    static ModalityLut of(AttributeList list, boolean signedPixels) {
        Attribute sequence = list.get(SEQUENCE);
        if (!(sequence instanceof SequenceAttribute s) || s.getNumberOfItems() == 0) {
            return null;
        }
        AttributeList item = s.getItem(0).getAttributeList();
        try {
            Attribute descriptor = item.get(TagFromName.LUTDescriptor);
            Attribute data = item.get(TagFromName.LUTData);
            if (descriptor == null || descriptor.getVM() != 3 || data == null) {
                throw new IllegalArgumentException("Modality LUT Sequence without a 3-valued LUTDescriptor and LUTData");
            }
            int[] d = descriptor.getIntegerValues();
            int entries = (d[0] & 0xFFFF) == 0 ? 65536 : d[0] & 0xFFFF;
            // the first mapped value is SS for signed pixels, but may have been read as US
            long first = signedPixels ? (short) d[1] : d[1] & 0xFFFF;
            int bits = d[2];
            if (bits != 8 && bits != 16) {
                throw new IllegalArgumentException("Modality LUT with " + bits + " bits per entry (8 or 16)");
            }
            int[] raw = entries(data, entries, bits);
            float[] values = new float[entries];
            for (int i = 0; i < entries; i++) {
                values[i] = raw[i] & (bits == 8 ? 0xFF : 0xFFFF);
            }
            return new ModalityLut(first, values);
        } catch (DicomException e) {
            throw new IllegalArgumentException("unreadable Modality LUT Sequence: " + e.getMessage(), e);
        }
    }

    /** LUTData as one int per entry: US values, or OW words (8-bit entries may come two to a word). */
    private static int[] entries(Attribute data, int entries, int bits) throws DicomException {
        int[] v;
        if (data instanceof OtherWordAttribute) {
            short[] words = data.getShortValues();
            if (bits == 8 && words.length * 2 >= entries && words.length < entries) {
                byte[] bytes = ((OtherWordAttribute) data).getByteValues(false);
                v = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    v[i] = bytes[i] & 0xFF;
                }
            } else {
                v = new int[words.length];
                for (int i = 0; i < words.length; i++) {
                    v[i] = words[i] & 0xFFFF;
                }
            }
        } else {
            v = data.getIntegerValues();
        }
        if (v.length < entries) {
            throw new IllegalArgumentException("Modality LUT has " + v.length + " entries, its descriptor says " + entries);
        }
        return v;
    }

    /** The modality value of one (sign-extended) stored value. */
    float apply(long stored) {
        long i = stored - firstMapped;
        return values[i <= 0 ? 0 : (int) Math.min(i, values.length - 1)];
    }
}
