package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.math.RoundingMode;

/**
 * Updates the geometry of a derived instance whose in-plane grid was refined by an integer factor s:
 * Rows/Columns times s, pixel spacings divided by s, and ImagePositionPatient (centre of the first pixel)
 * moved by -(s-1)/(2s) of an old pixel along the row and column directions so the field of view stays put.
 * Handles the top-level attributes and, for enhanced multi-frame objects, the PixelMeasuresSequence and
 * PlanePositionSequence inside the shared and per-frame functional groups.
 */
final class DerivedGeometry {
    private DerivedGeometry() { }

    static void refine(AttributeList list, int scale) throws DicomException {
        if (scale == 1) {
            return;
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        putUS(list, TagFromName.Rows, rows * scale);
        putUS(list, TagFromName.Columns, columns * scale);
        refinePlane(list, scale);

        double[] sharedOrientation = null;
        double[] sharedSpacing = null;
        AttributeList shared = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(list,
                TagFromName.SharedFunctionalGroupsSequence);
        if (shared != null) {
            sharedOrientation = nested(shared, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient);
            sharedSpacing = nested(shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing);
            refineGroup(shared, sharedOrientation, sharedSpacing, scale);
        }
        Attribute perFrame = list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (perFrame instanceof SequenceAttribute frames) {
            for (int i = 0; i < frames.getNumberOfItems(); i++) {
                refineGroup(frames.getItem(i).getAttributeList(), sharedOrientation, sharedSpacing, scale);
            }
        }
    }

    /**
     * Places a slice of a through-plane refined series: ImagePositionPatient along the normal, SliceThickness and
     * SpacingBetweenSlices the thin spacing, SliceLocation (removed when NaN), InstanceNumber. Single-frame only.
     */
    static void place(AttributeList list, ThinSlice thin) throws DicomException {
        putDS(list, TagFromName.ImagePositionPatient, thin.imagePosition());
        putDS(list, TagFromName.SliceThickness, new double[] {thin.spacing()});
        putDS(list, TagFromName.SpacingBetweenSlices, new double[] {thin.spacing()});
        if (Double.isNaN(thin.sliceLocation())) {
            list.remove(TagFromName.SliceLocation);
        } else {
            putDS(list, TagFromName.SliceLocation, new double[] {thin.sliceLocation()});
        }
        Attribute number = new com.pixelmed.dicom.IntegerStringAttribute(TagFromName.InstanceNumber);
        number.addValue(thin.instanceNumber());
        list.put(number);
    }

    /** One functional group item: position uses the orientation and spacing before refinement. */
    private static void refineGroup(AttributeList group, double[] sharedOrientation, double[] sharedSpacing, int scale)
            throws DicomException {
        double[] orientation = nested(group, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient);
        double[] spacing = nested(group, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing);
        orientation = orientation != null ? orientation : sharedOrientation;
        spacing = spacing != null ? spacing : sharedSpacing;
        AttributeList position = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(group,
                TagFromName.PlanePositionSequence);
        if (position != null && orientation != null && spacing != null) {
            shiftPosition(position, orientation, spacing, scale);
        }
        AttributeList measures = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(group,
                TagFromName.PixelMeasuresSequence);
        if (measures != null) {
            divide(measures, TagFromName.PixelSpacing, scale);
        }
    }

    /** Top-level Image Plane module attributes. */
    private static void refinePlane(AttributeList list, int scale) throws DicomException {
        double[] orientation = values(list, TagFromName.ImageOrientationPatient);
        double[] spacing = values(list, TagFromName.PixelSpacing);
        if (orientation != null && spacing != null && list.get(TagFromName.ImagePositionPatient) != null) {
            shiftPosition(list, orientation, spacing, scale);
        }
        divide(list, TagFromName.PixelSpacing, scale);
        divide(list, TagFromName.ImagerPixelSpacing, scale);
        divide(list, TagFromName.NominalScannedPixelSpacing, scale);
    }

    private static void shiftPosition(AttributeList holder, double[] orientation, double[] spacing, int scale)
            throws DicomException {
        double[] ipp = values(holder, TagFromName.ImagePositionPatient);
        if (ipp == null || ipp.length != 3 || orientation.length != 6 || spacing.length != 2) {
            return;
        }
        double f = (scale - 1) / (2.0 * scale);
        double[] moved = new double[3];
        for (int k = 0; k < 3; k++) {
            // orientation[0..2] runs along a row (column index grows: step = column spacing, spacing[1]);
            // orientation[3..5] runs down a column (row index grows: step = row spacing, spacing[0])
            moved[k] = ipp[k] - f * (orientation[k] * spacing[1] + orientation[3 + k] * spacing[0]);
        }
        putDS(holder, TagFromName.ImagePositionPatient, moved);
    }

    private static void divide(AttributeList list, AttributeTag tag, int scale) throws DicomException {
        double[] v = values(list, tag);
        if (v == null) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= scale;
        }
        putDS(list, tag, v);
    }

    private static double[] nested(AttributeList group, AttributeTag sequence, AttributeTag tag) throws DicomException {
        AttributeList item = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(group, sequence);
        return item == null ? null : values(item, tag);
    }

    static double[] values(AttributeList list, AttributeTag tag) throws DicomException {
        Attribute a = list.get(tag);
        return a == null || a.getVM() == 0 ? null : a.getDoubleValues().clone(); // PixelMed may hand out its own cache
    }

    static void putDS(AttributeList list, AttributeTag tag, double[] values) throws DicomException {
        Attribute a = new com.pixelmed.dicom.DecimalStringAttribute(tag);
        for (double v : values) {
            a.addValue(StoredValueEncoding.formatDs(v, RoundingMode.HALF_EVEN));
        }
        list.put(a);
    }

    static void putUS(AttributeList list, AttributeTag tag, int value) throws DicomException {
        Attribute a = new com.pixelmed.dicom.UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
