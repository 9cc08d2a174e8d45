package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header-only answers: media directories and what they list, non-image objects, series UIDs. */
class DicomHeadersTest {
    private static final List<String> DICOMDIRS = List.of("DICOMDIR", "DICOMDIR-bigEnd", "DICOMDIR-implicit",
            "DICOMDIR-nooffset", "DICOMDIR-reordered", "DICOMDIR-nopatient", "DICOMDIR-empty.dcm");
    @TempDir
    Path tmp;

    private static Path dicomdir(String name) {
        return DicomTestSupport.pydicomFile("dicomdirtests/" + name);
    }

    /** pydicom reads each as a DicomDir (Media Storage Directory SOP class); so do we, and none is an image. */
    @Test
    void pydicomsDicomdirsAreMediaDirectories() throws Exception {
        String[] paths = DICOMDIRS.stream().map(n -> dicomdir(n).toString()).toArray(String[]::new);
        String py = DicomTestSupport.python("""
                import sys, pydicom, warnings
                warnings.simplefilter('ignore')
                for f in sys.argv[1:]:
                    ds = pydicom.dcmread(f)
                    print(type(ds).__name__, ds.file_meta.MediaStorageSOPClassUID, len(ds.DirectoryRecordSequence))
                """, paths);
        List<String> lines = py.lines().toList();
        for (int i = 0; i < DICOMDIRS.size(); i++) {
            Path f = dicomdir(DICOMDIRS.get(i));
            assertEquals("DicomDir 1.2.840.10008.1.3.10", lines.get(i).substring(0, lines.get(i).lastIndexOf(' ')), f.toString());
            assertTrue(DicomHeaders.isMediaDirectory(f), f.toString());
            String reason = DicomHeaders.nonImageReason(f);
            assertTrue(reason != null && reason.startsWith("DICOM media directory (DICOMDIR)"), f + ": " + reason);
        }
        assertEquals(List.of(), DicomHeaders.referencedFiles(dicomdir("DICOMDIR-empty.dcm")));
        assertTrue(lines.get(DICOMDIRS.indexOf("DICOMDIR-empty.dcm")).endsWith(" 0"));
    }

    @Test
    void theMainDicomdirsFilesExistAndMatchPydicom() throws Exception {
        Path main = dicomdir("DICOMDIR");
        String expected = DicomTestSupport.python("""
                import sys, os, pydicom
                ds = pydicom.dcmread(sys.argv[1])
                base = os.path.dirname(os.path.abspath(sys.argv[1]))
                for r in ds.DirectoryRecordSequence:
                    if 'ReferencedFileID' in r:
                        v = r.ReferencedFileID
                        print(os.path.join(base, *([v] if isinstance(v, str) else list(v))))
                """, main.toString());
        List<Path> files = DicomHeaders.referencedFiles(main);
        assertEquals(expected.lines().map(Path::of).toList(), files);
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertTrue(Files.isRegularFile(f), f.toString());
            assertFalse(DicomHeaders.isMediaDirectory(f), f.toString());
        }
        for (String variant : List.of("DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-nopatient")) {
            assertEquals(files, DicomHeaders.referencedFiles(dicomdir(variant)), variant);
        }
        // its last record claims more bytes than the sequence holds: pydicom copes, PixelMed drops the records
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> DicomHeaders.referencedFiles(dicomdir("DICOMDIR-nooffset")));
        assertTrue(e.getMessage().contains("directory records do not read"), e.getMessage());
        assertTrue(DicomHeaders.nonImageReason(dicomdir("DICOMDIR-nooffset")).contains("records do not read"));
    }

    @Test
    void imagesAndNonImagesAreToldApartFromTheHeader() throws Exception {
        Path ct = DicomTestSupport.pydicomFile("CT_small.dcm");
        assertFalse(DicomHeaders.isMediaDirectory(ct));
        assertNull(DicomHeaders.nonImageReason(ct));
        assertEquals("non-image DICOM object (RT Plan Storage): no pixel data",
                DicomHeaders.nonImageReason(DicomTestSupport.pydicomFile("rtplan.dcm")));
        assertTrue(DicomHeaders.nonImageReason(DicomTestSupport.pydicomFile("rtstruct.dcm")).contains("RT Structure Set"));
        assertTrue(DicomHeaders.nonImageReason(DicomTestSupport.pydicomFile("test-SR.dcm")).startsWith("non-image DICOM object"));
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not DICOM");
        assertFalse(DicomHeaders.isMediaDirectory(text));
        assertNull(DicomHeaders.nonImageReason(text));
        assertEquals("", DicomHeaders.seriesInstanceUid(text));
        // a data set without meta header: no media directory
        assertFalse(DicomHeaders.isMediaDirectory(DicomTestSupport.pydicomFile("no_meta.dcm")));
    }

    @Test
    void seriesInstanceUidIsWhatPydicomReads() throws Exception {
        for (String name : List.of("CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "ExplVR_LitEndNoMeta.dcm")) {
            Path f = DicomTestSupport.pydicomFile(name);
            String expected = DicomTestSupport.python("""
                    import sys, pydicom
                    print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True, force=True).SeriesInstanceUID)
                    """, f.toString()).trim();
            assertEquals(expected, DicomHeaders.seriesInstanceUid(f), name);
        }
    }
}
