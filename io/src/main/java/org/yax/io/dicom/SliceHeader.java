package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The header fields series assembly ({@link SeriesAssembler}) needs, read up to (not including) the pixel data.
 * Serialisable without its file, so a header read on one machine can be assembled on another: {@link #at} names the
 * file it stands for there.
 */
public final class SliceHeader implements Serializable {
    private static final long serialVersionUID = 1L;

    transient Path file;
    String sopClassUid;
    String sopInstanceUid;
    String seriesUid;
    String studyUid;
    String[] imageType;
    int rows;
    int columns;
    int frames;
    int samples;
    int instanceNumber;
    double[] iop;
    double[] ipp;
    double[] pixelSpacing;

    /** Reads {@code file}'s header; an exception says why it is not readable as DICOM. */
    public static SliceHeader read(Path file) throws IOException, DicomException {
        if (!DicomHeaderSniffer.looksLikeDicom(file)) {
            throw new IOException("no DICM marker at offset 128 and no DICOM tag at the start");
        }
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        SliceHeader h = new SliceHeader();
        h.file = file;
        h.sopClassUid = text(list, TagFromName.SOPClassUID);
        if (h.sopClassUid.isEmpty()) {
            h.sopClassUid = text(list, TagFromName.MediaStorageSOPClassUID);
        }
        h.sopInstanceUid = text(list, TagFromName.SOPInstanceUID);
        h.seriesUid = text(list, TagFromName.SeriesInstanceUID);
        h.studyUid = text(list, TagFromName.StudyInstanceUID);
        Attribute type = list.get(TagFromName.ImageType);
        h.imageType = type == null || type.getVM() == 0 ? new String[0] : type.getStringValues();
        h.rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        h.columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        h.frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        h.samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        h.instanceNumber = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0);
        h.iop = values(list, TagFromName.ImageOrientationPatient, 6);
        h.ipp = values(list, TagFromName.ImagePositionPatient, 3);
        h.pixelSpacing = values(list, TagFromName.PixelSpacing, 2);
        return h;
    }

    /** The SeriesInstanceUID, trimmed (empty when missing). */
    public String seriesUid() {
        return seriesUid;
    }

    /** This header standing for {@code file} (a copy; the file's name appears in assembly's messages). */
    SliceHeader at(Path file) {
        if (file.equals(this.file)) {
            return this;
        }
        SliceHeader h = new SliceHeader();
        h.file = file;
        h.sopClassUid = sopClassUid;
        h.sopInstanceUid = sopInstanceUid;
        h.seriesUid = seriesUid;
        h.studyUid = studyUid;
        h.imageType = imageType;
        h.rows = rows;
        h.columns = columns;
        h.frames = frames;
        h.samples = samples;
        h.instanceNumber = instanceNumber;
        h.iop = iop;
        h.ipp = ipp;
        h.pixelSpacing = pixelSpacing;
        return h;
    }

    private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static double[] values(AttributeList list, com.pixelmed.dicom.AttributeTag tag, int count)
            throws DicomException {
        double[] v = DerivedGeometry.values(list, tag);
        return v != null && v.length == count ? v : null;
    }

    /** row x col, normalised; null without a usable orientation. */
    double[] normal() {
        if (iop == null) {
            return null;
        }
        double[] n = {iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5],
                iop[0] * iop[4] - iop[1] * iop[3]};
        double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (!(len > 1e-6)) {
            return null;
        }
        return new double[] {n[0] / len, n[1] / len, n[2] / len};
    }

    double position(double[] normal) {
        return ipp == null || normal == null ? Double.NaN
                : ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
    }

    String geometryKey() {
        return "orientation " + rounded(iop) + ", " + rows + "x" + columns + ", pixel spacing " + rounded(pixelSpacing)
                + (samples == 1 ? "" : ", " + samples + " samples");
    }

    private static String rounded(double[] v) {
        if (v == null) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            double r = Math.round(v[i] / SeriesAssembler.GEOMETRY_TOLERANCE) * SeriesAssembler.GEOMETRY_TOLERANCE;
            s.append(i > 0 ? "\\" : "").append(String.format(Locale.ROOT, "%.4f", r == 0 ? 0.0 : r));
        }
        return s.toString();
    }
}
