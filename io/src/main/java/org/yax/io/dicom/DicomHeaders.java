package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SOPClassDescriptions;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Questions about a DICOM file that its header answers, without decoding pixels: whether it is a media
 * directory (DICOMDIR) and which files it lists, whether it is a non-image object, its series. These exist so
 * that callers (the batch engine) never parse DICOM headers themselves.
 */
public final class DicomHeaders {
    private DicomHeaders() { }

    /**
     * Whether {@code file} is a DICOM media directory (DICOMDIR): Media Storage SOP Class 1.2.840.10008.1.3.10 in its
     * meta header, or, for a data set without meta header, a DirectoryRecordSequence. Reads the meta header only
     * (or the data set up to that sequence); false for files that are not DICOM or not readable.
     */
    public static boolean isMediaDirectory(Path file) {
        if (!DicomHeaderSniffer.looksLikeDicom(file)) {
            return false;
        }
        try {
            AttributeList meta = new AttributeList();
            if (hasPreamble(file)) {
                meta.readOnlyMetaInformationHeader(file.toFile());
                String sopClass = text(meta, TagFromName.MediaStorageSOPClassUID);
                if (!sopClass.isEmpty()) {
                    return sopClass.equals(SOPClass.MediaStorageDirectoryStorage);
                }
            }
            // no meta header to say: the directory's own sequence does (group 0004 comes before any image attribute)
            boolean[] seen = {false};
            new AttributeList().read(file.toFile(), (list, tag, bytesRead) -> {
                seen[0] |= tag.equals(TagFromName.DirectoryRecordSequence);
                return seen[0] || tag.getGroup() > 0x0004;
            });
            return seen[0];
        } catch (IOException | DicomException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The files a DICOMDIR references: each record's ReferencedFileID components resolved against the DICOMDIR's
     * folder, in record order (PATIENT/STUDY/SERIES records reference none). Existence is not checked: a missing
     * file is the caller's to report. A DICOMDIR whose records PixelMed cannot parse (pydicom's DICOMDIR-nooffset, whose
     * last record claims more bytes than the sequence holds) throws: list the folder instead.
     *
     * @throws IOException when the file is not readable as a DICOMDIR
     */
    public static List<Path> referencedFiles(Path dicomdir) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(dicomdir.toFile());
        } catch (DicomException | RuntimeException e) {
            throw new IOException(dicomdir + ": not readable as DICOMDIR: " + e.getMessage(), e);
        }
        if (!(list.get(TagFromName.DirectoryRecordSequence) instanceof SequenceAttribute records)) {
            // PixelMed drops the whole sequence when a record runs past its end (pydicom's DICOMDIR-nooffset)
            throw new IOException(dicomdir + (isMediaDirectory(dicomdir)
                    ? ": DICOMDIR whose directory records do not read (a malformed DirectoryRecordSequence)"
                    : ": not a DICOMDIR (no DirectoryRecordSequence)"));
        }
        Path base = dicomdir.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < records.getNumberOfItems(); i++) {
            AttributeList record = records.getItem(i).getAttributeList();
            Attribute id = record.get(TagFromName.ReferencedFileID);
            if (id == null || id.getVM() == 0) {
                continue;
            }
            try {
                Path p = base;
                for (String component : id.getStringValues()) {
                    p = p.resolve(component.trim());
                }
                files.add(p);
            } catch (DicomException e) {
                throw new IOException(dicomdir + ": bad ReferencedFileID in record " + i + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    /**
     * Why {@code file} holds no image, from its header alone, or null when it may be an image (or the header cannot
     * be read: decoding then says what is wrong). A non-image object (RT Plan, Structure Set, SR...):
     * "non-image DICOM object (RT Plan Storage): no pixel data"; a media directory: "DICOM media directory
     * (DICOMDIR): lists N files, holds no image". Meant for a skip, not a failure.
     */
    public static String nonImageReason(Path file) {
        if (!DicomHeaderSniffer.looksLikeDicom(file)) {
            return null;
        }
        if (isMediaDirectory(file)) {
            String listed;
            try {
                listed = "lists " + referencedFiles(file).size() + " files";
            } catch (IOException e) {
                listed = "its records do not read";
            }
            return "DICOM media directory (DICOMDIR): " + listed + ", holds no image";
        }
        try {
            AttributeList list = header(file);
            String sopClass = text(list, TagFromName.SOPClassUID);
            if (sopClass.isEmpty() || SOPClass.isImageStorage(sopClass) || list.get(TagFromName.Rows) != null) {
                return null;
            }
            String name = SOPClassDescriptions.getDescriptionFromUID(sopClass);
            return "non-image DICOM object (" + (name == null || name.isBlank() ? sopClass : name) + "): no pixel data";
        } catch (IOException | DicomException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The file's SeriesInstanceUID (header only), or "" when it has none, is not DICOM or does not read. */
    public static String seriesInstanceUid(Path file) {
        if (!DicomHeaderSniffer.looksLikeDicom(file)) {
            return "";
        }
        try {
            return text(header(file), TagFromName.SeriesInstanceUID);
        } catch (IOException | DicomException | RuntimeException e) {
            return "";
        }
    }

    /** The data set up to (not including) PixelData: PixelMed stops reading there. */
    static AttributeList header(Path file) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return list;
    }

    private static boolean hasPreamble(Path file) throws IOException {
        byte[] head = new byte[DicomHeaderSniffer.PREAMBLE_LENGTH + 4];
        int n;
        try (var in = java.nio.file.Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return DicomHeaderSniffer.hasPart10Preamble(head, n);
    }

    private static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }
}
