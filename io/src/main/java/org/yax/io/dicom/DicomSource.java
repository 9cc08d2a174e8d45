package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import org.yax.core.SourceMetadata;

/**
 * What {@link DicomFormat#read} keeps of a DICOM file so that {@link DicomFormat#write} can derive a new
 * instance from it: every attribute (private ones included) except the PixelData itself, whose values
 * live in the returned Image, and the pixel layout they were decoded with.
 *
 * <p>The attribute list describes the pixel data as decoded: for a compressed source, PixelMed's
 * decompression corrections are applied (e.g. a YBR JPEG decodes to RGB). Treat it as read-only.
 */
public final class DicomSource implements SourceMetadata {
    private final Path file;
    private final AttributeList attributes;
    private final DicomPixelLayout layout;
    private final String transferSyntaxUid;
    private final String storedPhotometric;
    private final String decodedBy;
    private final boolean implicitVrDataSet;

    DicomSource(Path file, AttributeList attributes, DicomPixelLayout layout, String transferSyntaxUid,
                String storedPhotometric, String decodedBy, boolean implicitVrDataSet) {
        this.decodedBy = decodedBy;
        this.implicitVrDataSet = implicitVrDataSet;
        this.file = file;
        this.attributes = attributes;
        this.layout = layout;
        this.transferSyntaxUid = transferSyntaxUid;
        this.storedPhotometric = storedPhotometric;
    }

    @Override
    public String format() {
        return DicomFormat.NAME;
    }

    /** The file this was read from. */
    public Path file() { return file; }

    /** All attributes of the source (group 2 meta header included), without PixelData. Do not modify. */
    public AttributeList attributes() { return attributes; }

    /** Layout and rescale of the decoded pixel data. */
    public DicomPixelLayout layout() { return layout; }

    /** Transfer syntax of the source file (empty when the file had no meta header). */
    public String transferSyntaxUid() { return transferSyntaxUid; }

    /**
     * PhotometricInterpretation as the file states it. MONOCHROME1 (bright = low value) is kept: pixel
     * values stay modality values; a display must invert them.
     */
    public String photometricInterpretation() { return storedPhotometric; }

    /**
     * Which decoder produced the pixels: "PixelMed"; "ImageIO " and the codec's description (e.g. "ImageIO
     * Standard JPEG Image Reader") for compressed frames yax decoded with the ImageIO codec PixelMed would use;
     * or the dcmtk tool (e.g. "dcmdjpls") whose explicit little endian transcoding was read because PixelMed has
     * no codec for the transfer syntax.
     */
    public String decodedBy() { return decodedBy; }

    /**
     * True when the file's data set is implicit VR although its meta header declares an explicit VR little endian
     * transfer syntax (a writer bug, e.g. highdicom 0.1.0 in pydicom's SC_rgb_jpeg.dcm): it was read as implicit VR
     * little endian, as pydicom does (with a warning). {@link #transferSyntaxUid} stays the declared one.
     */
    public boolean implicitVrDataSet() { return implicitVrDataSet; }

    /** Convenience: one attribute's string value, or "" when absent. */
    public String value(com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(attributes, tag).trim();
    }

    public String sopInstanceUid() { return value(TagFromName.SOPInstanceUID); }

    public String seriesInstanceUid() { return value(TagFromName.SeriesInstanceUID); }

    @Override
    public String toString() {
        return "DicomSource(" + file + ", " + layout.rows() + "x" + layout.columns() + "x" + layout.frames()
                + ", " + storedPhotometric + (implicitVrDataSet ? ", implicit VR data set" : "") + ")";
    }
}
