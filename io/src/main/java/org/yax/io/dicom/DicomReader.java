package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/** Reads one DICOM file (single- or multi-frame) into float modality values with PixelMed. */
final class DicomReader {
    private DicomReader() { }

    static Image read(Path file) throws ImageFileException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageFileException(file, "cannot read: " + e, e);
        }
        if (size == 0) {
            throw new ImageFileException(file, "empty file");
        }
        if (!DicomHeaderSniffer.looksLikeDicom(file)) {
            throw new ImageFileException(file, "not a DICOM file (no DICM marker at offset 128 and no DICOM tag at the start)");
        }
        String tsUid = metaTransferSyntax(file);
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile());
        } catch (DicomException | IOException | RuntimeException e) {
            if (!tsUid.isEmpty() && TransferSyntax.isEncapsulated(tsUid)) {
                throw new ImageFileException(file, "cannot decode pixel data in transfer syntax "
                        + describeTransferSyntax(tsUid) + ": " + e.getMessage(), e);
            }
            throw new ImageFileException(file, "not readable as DICOM: " + e.getMessage(), e);
        }
        if (tsUid.isEmpty()) {
            tsUid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID).trim();
        }
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (pixelData == null) {
            if (list.get(TagFromName.FloatPixelData) != null || list.get(TagFromName.DoubleFloatPixelData) != null) {
                throw new ImageFileException(file, "float pixel data is not supported yet");
            }
            // PixelMed logs a truncated PixelData element and returns the list without it
            throw new ImageFileException(file, "no pixel data (truncated?)");
        }
        String storedPhotometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation)
                .trim();
        boolean encapsulated = !tsUid.isEmpty() && TransferSyntax.isEncapsulated(tsUid);
        try {
            if (encapsulated) {
                // make Photometric/Planar attributes describe the decompressed pixels (e.g. YBR JPEG -> RGB)
                list.correctDecompressedImagePixelModule();
            }
            DicomPixelLayout layout = DicomPixelLayout.of(list);
            if (layout.samplesPerPixel() == 3 && layout.photometric().startsWith("YBR") && !encapsulated
                    && layout.photometric().contains("422")) {
                throw new ImageFileException(file, "uncompressed " + layout.photometric() + " (chroma subsampled) is not supported yet");
            }
            float[] values = DicomPixelDecoder.decode(pixelData, layout,
                    !tsUid.isEmpty() && TransferSyntax.isBigEndian(tsUid));
            list.remove(TagFromName.PixelData); // its values now live in the Image; halves memory
            DicomSource source = new DicomSource(file, list, layout, tsUid, storedPhotometric);
            return new Image(values, layout.samplesPerPixel(), layout.frames(), layout.rows(), layout.columns(), source);
        } catch (DicomException | IllegalArgumentException e) {
            throw new ImageFileException(file, e.getMessage(), e);
        }
    }

    /** The meta header's transfer syntax UID, or "" when the file has none or it cannot be read. */
    private static String metaTransferSyntax(Path file) {
        try {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(file.toFile());
            return Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID).trim();
        } catch (DicomException | IOException | RuntimeException e) {
            return "";
        }
    }

    /** "UID (name)", the name as PixelMed knows it, or from PS3.6 for the ones it does not name. */
    static String describeTransferSyntax(String uid) {
        TransferSyntax ts = new TransferSyntax(uid);
        String name = ts.isRecognized() ? ts.getDescription() : switch (uid) {
            case "1.2.840.10008.1.2.1.99" -> "Deflated Explicit VR Little Endian";
            case "1.2.840.10008.1.2.4.201" -> "High-Throughput JPEG 2000 Lossless Only";
            case "1.2.840.10008.1.2.4.202" -> "High-Throughput JPEG 2000 with RPCL Options Lossless Only";
            case "1.2.840.10008.1.2.4.203" -> "High-Throughput JPEG 2000";
            case "1.2.840.10008.1.2.4.110" -> "JPEG XL Lossless";
            case "1.2.840.10008.1.2.4.111" -> "JPEG XL JPEG Recompression";
            case "1.2.840.10008.1.2.4.112" -> "JPEG XL";
            default -> "unknown transfer syntax";
        };
        return uid + " (" + name + ")";
    }
}
