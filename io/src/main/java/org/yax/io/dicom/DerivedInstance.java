package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.SignedShortAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yax.core.Derivation;

/**
 * The attributes of a derived instance (everything but PixelData and the meta header): a copy of the
 * source's attributes, private ones included, with new instance/series identity, derivation provenance,
 * a pixel module that matches the stored values, and refined geometry for a super-resolved result.
 */
final class DerivedInstance {
    static final int SERIES_NUMBER_OFFSET = 1000;
    private static final int LO_MAX = 64;
    private static final int ST_MAX = 1024;

    private DerivedInstance() { }

    /**
     * @param now            the instance creation date and time
     * @param sopInstanceUid the new instance's UID (see {@link DerivedUids#newInstanceUid})
     */
    static AttributeList build(DicomSource source, Derivation derivation, StoredValueEncoding encoding,
                               LocalDateTime now, String sopInstanceUid) throws DicomException, IOException {
        return build(source, derivation, encoding, now, sopInstanceUid, null, List.of(source));
    }

    /**
     * As above for a slice of a through-plane refined series: placed by {@code thin} (position along the normal,
     * thickness, spacing, location, number), its SourceImageSequence naming every slice in {@code references}.
     */
    static AttributeList build(DicomSource source, Derivation derivation, StoredValueEncoding encoding,
                               LocalDateTime now, String sopInstanceUid, ThinSlice thin,
                               List<DicomSource> references) throws DicomException, IOException {
        AttributeList list = deepCopy(source.attributes());
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        list.remove(TagFromName.DataSetTrailingPadding);

        String description = truncate(derivation.describe(), ST_MAX);
        putString(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopInstanceUid);
        putString(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID),
                DerivedUids.derivedSeriesUid(source.seriesInstanceUid(), description));
        imageTypeDerived(list);
        putString(list, new ShortTextAttribute(TagFromName.DerivationDescription), description);
        derivationCodes(list, derivation);
        sourceImageReference(list, references);
        seriesMarking(list, source, derivation);
        putString(list, new DateAttribute(TagFromName.InstanceCreationDate),
                now.format(DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT)));
        putString(list, new TimeAttribute(TagFromName.InstanceCreationTime),
                now.format(DateTimeFormatter.ofPattern("HHmmss.SSSSSS", Locale.ROOT)));
        pixelModule(list, source, encoding);
        if (thin != null) {
            DerivedGeometry.place(list, thin); // along the normal first: refine then shifts the position in-plane
        }
        DerivedGeometry.refine(list, derivation.scale());
        return list;
    }

    /** An independent copy (nested sequences too), made by encoding and decoding the data set. */
    static AttributeList deepCopy(AttributeList original) throws DicomException, IOException {
        return decode(encode(original));
    }

    /** The data set without meta header and PixelData, as explicit VR little endian bytes. */
    static byte[] encode(AttributeList original) throws DicomException, IOException {
        AttributeList shallow = new AttributeList();
        shallow.putAll(original);
        shallow.removeMetaInformationHeaderAttributes();
        shallow.remove(TagFromName.PixelData);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ExplicitVRLittleEndian)) {
            shallow.write(out);
        }
        return bytes.toByteArray();
    }

    /** The data set {@link #encode} wrote. */
    static AttributeList decode(byte[] encoded) throws DicomException, IOException {
        AttributeList copy = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(encoded),
                TransferSyntax.ExplicitVRLittleEndian, false)) {
            copy.read(in);
        }
        return copy;
    }

    /** ImageType value 1 DERIVED, value 2 SECONDARY, the remaining values kept. */
    private static void imageTypeDerived(AttributeList list) throws DicomException {
        Attribute old = list.get(TagFromName.ImageType);
        String[] values = old == null || old.getVM() == 0 ? new String[0] : old.getStringValues();
        List<String> kept = new ArrayList<>(List.of("DERIVED", "SECONDARY"));
        for (int i = 2; i < values.length; i++) {
            kept.add(values[i]);
        }
        Attribute a = new CodeStringAttribute(TagFromName.ImageType);
        for (String v : kept) {
            a.addValue(v);
        }
        list.put(a);
    }

    /**
     * DerivationCodeSequence from PS3.16 CID 7203 "Image Derivation" (DCM scheme). Noise reduction keeps
     * structure while suppressing high-frequency fluctuation: 113087 "Smoothing" is the CID 7203 concept
     * for that (there is no "denoising" concept). A finer grid is 113085 "Spatial resampling"; deblurring
     * restores edges: 113086 "Edge enhancement". Tasks with no fitting concept get none (the sequence is
     * Type 3), DerivationDescription still says what was done.
     */
    private static void derivationCodes(AttributeList list, Derivation derivation) throws DicomException {
        List<CodedSequenceItem> codes = new ArrayList<>();
        String task = derivation.task().toLowerCase(Locale.ROOT);
        if (derivation.scale() > 1 || task.equals("sr") || task.contains("super")) {
            codes.add(new CodedSequenceItem("113085", "DCM", "Spatial resampling"));
        }
        if (task.contains("denois")) {
            codes.add(new CodedSequenceItem("113087", "DCM", "Smoothing"));
        } else if (task.contains("deblur") || task.contains("deconv") || task.contains("sharpen")) {
            codes.add(new CodedSequenceItem("113086", "DCM", "Edge enhancement"));
        }
        list.remove(TagFromName.DerivationCodeSequence);
        if (!codes.isEmpty()) {
            SequenceAttribute seq = new SequenceAttribute(TagFromName.DerivationCodeSequence);
            for (CodedSequenceItem c : codes) {
                seq.addItem(c.getAttributeList());
            }
            list.put(seq);
        }
    }

    /**
     * SourceImageSequence naming the source instances, one item each, purpose 121322 (CID 7202) "Source image for
     * image processing operation".
     */
    private static void sourceImageReference(AttributeList list, List<DicomSource> sources) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.SourceImageSequence);
        for (DicomSource source : sources) {
            AttributeList item = new AttributeList();
            putString(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPClassUID),
                    source.value(TagFromName.SOPClassUID));
            putString(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPInstanceUID), source.sopInstanceUid());
            SequenceAttribute purpose = new SequenceAttribute(TagFromName.PurposeOfReferenceCodeSequence);
            purpose.addItem(new CodedSequenceItem("121322", "DCM", "Source image for image processing operation")
                    .getAttributeList());
            item.put(purpose);
            seq.addItem(item);
        }
        list.put(seq);
    }

    /** SeriesDescription gets " [yax task]"; SeriesNumber moves by 1000 (kept within IS's 32-bit range). */
    private static void seriesMarking(AttributeList list, DicomSource source, Derivation derivation) throws DicomException {
        String suffix = " [yax " + derivation.task() + "]";
        String base = source.value(TagFromName.SeriesDescription);
        base = truncate(base, Math.max(0, LO_MAX - suffix.length()));
        putString(list, new LongStringAttribute(TagFromName.SeriesDescription), truncate(base + suffix, LO_MAX).trim());
        long number = Attribute.getSingleLongValueOrDefault(list, TagFromName.SeriesNumber, 0);
        long marked = number + SERIES_NUMBER_OFFSET <= Integer.MAX_VALUE ? number + SERIES_NUMBER_OFFSET
                : number - SERIES_NUMBER_OFFSET;
        putString(list, new IntegerStringAttribute(TagFromName.SeriesNumber), Long.toString(marked));
    }

    /** Bits, pixel representation, rescale and padding that describe the new stored values. */
    private static void pixelModule(AttributeList list, DicomSource source, StoredValueEncoding encoding)
            throws DicomException {
        putUS(list, TagFromName.BitsAllocated, encoding.bitsAllocated());
        putUS(list, TagFromName.BitsStored, encoding.bitsStored());
        putUS(list, TagFromName.HighBit, encoding.highBit());
        putUS(list, TagFromName.PixelRepresentation, encoding.signed() ? 1 : 0);
        if (encoding.rescaleChanged()) {
            putString(list, new com.pixelmed.dicom.DecimalStringAttribute(TagFromName.RescaleSlope), encoding.slopeText());
            putString(list, new com.pixelmed.dicom.DecimalStringAttribute(TagFromName.RescaleIntercept),
                    encoding.interceptText());
            list.remove(ModalityLut.SEQUENCE); // the new rescale describes the new stored values
        }
        if (encoding.newPaddingValue()) {
            Attribute padding = encoding.signed() ? new SignedShortAttribute(TagFromName.PixelPaddingValue)
                    : new UnsignedShortAttribute(TagFromName.PixelPaddingValue);
            padding.addValue((int) encoding.nanStored());
            list.put(padding);
            list.remove(TagFromName.PixelPaddingRangeLimit);
        }
        // these are in stored units of the old pixel data: no longer true
        for (AttributeTag tag : new AttributeTag[] {TagFromName.SmallestImagePixelValue, TagFromName.LargestImagePixelValue,
                new AttributeTag(0x0028, 0x0108), new AttributeTag(0x0028, 0x0109)}) { // (0028,0108/0109): Smallest/LargestPixelValueInSeries
            list.remove(tag);
        }
        String ts = source.transferSyntaxUid();
        if (!ts.isEmpty() && new TransferSyntax(ts).isLossy()) {
            putString(list, new CodeStringAttribute(TagFromName.LossyImageCompression), "01");
        }
    }

    private static void putUS(AttributeList list, AttributeTag tag, int value) throws DicomException {
        DerivedGeometry.putUS(list, tag, value);
    }

    private static void putString(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
