package org.yax.sampledata;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a phantom volume as a CT Image Storage series, one explicit-VR-little-endian Part 10 file per slice
 * (IM0001.dcm ...), with every Type 1 and Type 2 attribute of the CT Image IOD's mandatory modules.
 * The clean and the noisy series share every attribute except PixelData, the SOP Instance and Series UIDs,
 * SeriesNumber and SeriesDescription.
 */
public final class CtSeriesWriter {
    /** Fixed so reruns are byte-identical; the phantom was never "acquired". */
    private static final String STUDY_DATE = "20240101";
    private static final String STUDY_TIME = "090000";

    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);
    private static final AttributeTag X_RAY_TUBE_CURRENT = new AttributeTag(0x0018, 0x1151);
    private static final AttributeTag EXPOSURE_TIME = new AttributeTag(0x0018, 0x1150);
    private static final AttributeTag GANTRY_DETECTOR_TILT = new AttributeTag(0x0018, 0x1120);

    private final PhantomCtSpec spec;
    private final DeterministicUids uids;
    private final String softwareVersion;

    public CtSeriesWriter(PhantomCtSpec spec, DeterministicUids uids, String softwareVersion) {
        this.spec = spec;
        this.uids = uids;
        this.softwareVersion = softwareVersion;
    }

    /** What distinguishes one series of the phantom study from another. */
    public record Series(String uidLabel, int seriesNumber, String description) {
    }

    public String studyInstanceUid() {
        return uids.uid("study");
    }

    public String frameOfReferenceUid() {
        return uids.uid("frame-of-reference");
    }

    public String seriesInstanceUid(Series series) {
        return uids.uid(series.uidLabel() + "/series");
    }

    public String sopInstanceUid(Series series, int sliceIndex) {
        return uids.uid(series.uidLabel() + "/instance/" + (sliceIndex + 1));
    }

    public static String fileName(int sliceIndex) {
        return String.format("IM%04d.dcm", sliceIndex + 1);
    }

    /** Writes slice {@code sliceIndex} (HU, row-major) into {@code directory}; returns the file. */
    public Path writeSlice(Path directory, Series series, int sliceIndex, int[] hu) throws IOException {
        Path file = directory.resolve(fileName(sliceIndex));
        try {
            AttributeList list = attributes(series, sliceIndex, hu);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "YAX");
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException(file + ": cannot write DICOM slice: " + e.getMessage(), e);
        }
        return file;
    }

    private AttributeList attributes(Series series, int sliceIndex, int[] hu) throws DicomException {
        AttributeList list = new AttributeList();
        double z = spec.sliceZMm(sliceIndex);

        // SOP Common
        put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        put(list, TagFromName.SOPInstanceUID, sopInstanceUid(series, sliceIndex));
        put(list, TagFromName.InstanceCreationDate, STUDY_DATE);
        put(list, TagFromName.InstanceCreationTime, STUDY_TIME);

        // Patient (fictitious)
        put(list, TagFromName.PatientName, "Phantom^SheppLogan");
        put(list, TagFromName.PatientID, "YAX-PHANTOM-0001");
        put(list, TagFromName.PatientBirthDate);
        put(list, TagFromName.PatientSex, "O");
        put(list, TagFromName.PatientIdentityRemoved, "NO"); // there never was an identity: nothing removed

        // General Study
        put(list, TagFromName.StudyInstanceUID, studyInstanceUid());
        put(list, TagFromName.StudyDate, STUDY_DATE);
        put(list, TagFromName.StudyTime, STUDY_TIME);
        put(list, TagFromName.ReferringPhysicianName);
        put(list, TagFromName.StudyID, "1");
        put(list, TagFromName.AccessionNumber);
        put(list, TagFromName.StudyDescription, "Synthetic head phantom (modified 3-D Shepp-Logan)");

        // General Series
        put(list, TagFromName.Modality, "CT");
        put(list, TagFromName.SeriesInstanceUID, seriesInstanceUid(series));
        put(list, TagFromName.SeriesNumber, Integer.toString(series.seriesNumber()));
        put(list, TagFromName.SeriesDescription, series.description());
        put(list, TagFromName.SeriesDate, STUDY_DATE);
        put(list, TagFromName.SeriesTime, STUDY_TIME);
        put(list, TagFromName.PatientPosition, "HFS");
        put(list, TagFromName.BodyPartExamined, "HEAD");

        // Frame of Reference
        put(list, TagFromName.FrameOfReferenceUID, frameOfReferenceUid());
        put(list, TagFromName.PositionReferenceIndicator);

        // General Equipment
        put(list, TagFromName.Manufacturer, "yax");
        put(list, TagFromName.ManufacturerModelName, "yax sample-data phantom generator");
        put(list, TagFromName.SoftwareVersions, softwareVersion);

        // General Acquisition / General Image
        put(list, TagFromName.AcquisitionNumber, "1");
        put(list, TagFromName.AcquisitionDate, STUDY_DATE);
        put(list, TagFromName.AcquisitionTime, STUDY_TIME);
        put(list, TagFromName.InstanceNumber, Integer.toString(sliceIndex + 1));
        put(list, TagFromName.ContentDate, STUDY_DATE);
        put(list, TagFromName.ContentTime, STUDY_TIME);
        put(list, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        put(list, TagFromName.BurnedInAnnotation, "NO");
        put(list, TagFromName.ImageComments, "Synthetic phantom generated by yax sample-data; not a patient");

        // Image Plane
        put(list, TagFromName.PixelSpacing, ds(spec.pixelSpacingMm()), ds(spec.pixelSpacingMm()));
        put(list, TagFromName.ImageOrientationPatient, "1", "0", "0", "0", "1", "0");
        put(list, TagFromName.ImagePositionPatient, ds(spec.firstPixelXMm()), ds(spec.firstPixelYMm()), ds(z));
        put(list, TagFromName.SliceThickness, ds(spec.sliceSpacingMm()));
        put(list, TagFromName.SliceLocation, ds(z));

        // Image Pixel + CT Image: signed 16-bit stored values, HU = stored - 1024
        put(list, TagFromName.SamplesPerPixel, "1");
        put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(list, TagFromName.Rows, Integer.toString(spec.rows()));
        put(list, TagFromName.Columns, Integer.toString(spec.columns()));
        put(list, TagFromName.BitsAllocated, "16");
        put(list, TagFromName.BitsStored, "16");
        put(list, TagFromName.HighBit, "15");
        put(list, TagFromName.PixelRepresentation, "1");
        put(list, TagFromName.RescaleIntercept, Integer.toString(PhantomCtSpec.RESCALE_INTERCEPT));
        put(list, TagFromName.RescaleSlope, "1");
        put(list, TagFromName.RescaleType, "HU");
        // Not in this PixelMed build's TagFromName: tags and VRs from PS3.6.
        put(list, new DecimalStringAttribute(KVP), "120");
        put(list, new IntegerStringAttribute(X_RAY_TUBE_CURRENT), "50");
        put(list, new IntegerStringAttribute(EXPOSURE_TIME), "1000");
        put(list, TagFromName.ConvolutionKernel, "STANDARD");
        put(list, TagFromName.ReconstructionDiameter, ds(spec.pixelSpacingMm() * spec.columns()));
        put(list, new DecimalStringAttribute(GANTRY_DETECTOR_TILT), "0");

        // VOI LUT: a brain window and a bone window
        put(list, TagFromName.WindowCenter, "40", "500");
        put(list, TagFromName.WindowWidth, "80", "2000");
        put(list, TagFromName.WindowCenterWidthExplanation, "BRAIN", "BONE");

        OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(storedValues(hu));
        list.put(pixelData);
        return list;
    }

    private short[] storedValues(int[] hu) {
        short[] stored = new short[hu.length];
        for (int i = 0; i < hu.length; i++) {
            int value = hu[i] - PhantomCtSpec.RESCALE_INTERCEPT;
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                throw new IllegalArgumentException("HU " + hu[i] + " outside the signed 16-bit stored range");
            }
            stored[i] = (short) value;
        }
        return stored;
    }

    private static void put(AttributeList list, Attribute attribute, String... values) throws DicomException {
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    /** Puts an attribute with the dictionary's VR; no values means present but empty (Type 2). */
    private static void put(AttributeList list, AttributeTag tag, String... values) throws DicomException {
        Attribute attribute = list.putNewAttribute(tag);
        for (String value : values) {
            attribute.addValue(value);
        }
    }

    /** Decimal String without exponent or trailing zeros (DS allows at most 16 characters). */
    static String ds(double value) {
        String text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        if (text.equals("-0")) {
            return "0";
        }
        if (text.length() > 16) {
            throw new IllegalArgumentException("DS value too long: " + text);
        }
        return text;
    }

    static List<String> fileNames(int slices) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            names.add(fileName(i));
        }
        return names;
    }
}
