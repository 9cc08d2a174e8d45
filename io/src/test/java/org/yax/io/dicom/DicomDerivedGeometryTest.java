package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

/** Geometry of a 2x refined enhanced multi-frame object: shared spacing, per-frame positions. */
class DicomDerivedGeometryTest {
    @Test
    void functionalGroupsAreRefined() throws Exception {
        AttributeList list = new AttributeList();
        DerivedGeometry.putUS(list, TagFromName.Rows, 64);
        DerivedGeometry.putUS(list, TagFromName.Columns, 32);
        // oblique orientation: rows run along (0, 1, 0), columns along (0, 0, -1)
        AttributeList shared = new AttributeList();
        shared.put(item(TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing, 0.8, 0.6));
        shared.put(item(TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient, 0, 1, 0, 0, 0, -1));
        SequenceAttribute sharedSeq = new SequenceAttribute(TagFromName.SharedFunctionalGroupsSequence);
        sharedSeq.addItem(shared);
        list.put(sharedSeq);
        SequenceAttribute perFrame = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int f = 0; f < 2; f++) {
            AttributeList frame = new AttributeList();
            frame.put(item(TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient, 10 + f, 20, 30));
            perFrame.addItem(frame);
        }
        list.put(perFrame);

        DerivedGeometry.refine(list, 2);

        assertEquals(128, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0));
        assertEquals(64, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0));
        AttributeList measures = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(shared,
                TagFromName.PixelMeasuresSequence);
        assertArrayEquals(new double[] {0.4, 0.3}, DerivedGeometry.values(measures, TagFromName.PixelSpacing), 1e-12);
        for (int f = 0; f < 2; f++) {
            AttributeList pos = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                    perFrame.getItem(f).getAttributeList(), TagFromName.PlanePositionSequence);
            // -1/4 old pixel: along the row direction by column spacing 0.6, down the column by row spacing 0.8
            assertArrayEquals(new double[] {10 + f, 20 - 0.25 * 0.6, 30 + 0.25 * 0.8},
                    DerivedGeometry.values(pos, TagFromName.ImagePositionPatient), 1e-9);
        }
    }

    private static SequenceAttribute item(com.pixelmed.dicom.AttributeTag seq, com.pixelmed.dicom.AttributeTag tag,
                                          double... values) throws Exception {
        AttributeList item = new AttributeList();
        DerivedGeometry.putDS(item, tag, values);
        SequenceAttribute s = new SequenceAttribute(seq);
        s.addItem(item);
        return s;
    }
}
