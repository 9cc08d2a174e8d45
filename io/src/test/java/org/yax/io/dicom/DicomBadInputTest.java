package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.io.ImageFileException;

/** Bad input fails with an ImageFileException that names the file and a reason, and is never modified. */
class DicomBadInputTest {
    private final DicomFormat format = new DicomFormat();

    @TempDir
    Path tmp;

    private ImageFileException readFails(Path file) throws Exception {
        return readFails(file, true);
    }

    private ImageFileException readFails(Path file, boolean dcmtkFallback) throws Exception {
        String before = Files.exists(file) ? DicomTestSupport.sha256(file) : null;
        ImageFileException e = assertThrows(ImageFileException.class, () -> DicomReader.read(file, dcmtkFallback));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        if (before != null) {
            assertEquals(before, DicomTestSupport.sha256(file), "input must not be modified");
        }
        return e;
    }

    @Test
    void randomBytes() throws Exception {
        byte[] bytes = new byte[8192];
        new Random(7).nextBytes(bytes);
        Path f = Files.write(tmp.resolve("random.dcm"), bytes);
        assertTrue(readFails(f).reason().contains("not a DICOM file"));
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.createFile(tmp.resolve("empty.dcm"));
        assertEquals("empty file", readFails(f).reason());
    }

    @Test
    void missingFile() throws Exception {
        assertTrue(readFails(tmp.resolve("absent.dcm")).reason().startsWith("cannot read"));
    }

    @Test
    void truncatedPixelData() throws Exception {
        byte[] ct = Files.readAllBytes(DicomTestSupport.sample("archive/dicom/CT_small.dcm"));
        // CT_small ends with 128 x 128 x 2 bytes of PixelData: cut it in the middle
        Path f = Files.write(tmp.resolve("CT_truncated.dcm"), Arrays.copyOf(ct, ct.length - 10000));
        assertTrue(readFails(f).reason().contains("no pixel data (truncated?)"), "reason");
    }

    @Test
    void headerOnlyTruncation() throws Exception {
        byte[] ct = Files.readAllBytes(DicomTestSupport.sample("archive/dicom/CT_small.dcm"));
        Path f = Files.write(tmp.resolve("CT_header_cut.dcm"), Arrays.copyOf(ct, 700));
        readFails(f); // any reason, but a clean ImageFileException
    }

    @Test
    void undecodableTransferSyntaxIsNamed() throws Exception {
        // without the dcmtk fallback (DicomTranscodeTest covers it), PixelMed alone has no JPEG-LS codec
        ImageFileException e = readFails(DicomTestSupport.pydicomFile("MR_small_jpeg_ls_lossless.dcm"), false);
        assertTrue(e.reason().contains("1.2.840.10008.1.2.4.80") && e.reason().contains("JPEG-LS"), e.reason());
        ImageFileException j2k = readFails(DicomTestSupport.pydicomFile("JPEG2000.dcm"));
        assertTrue(j2k.reason().contains("1.2.840.10008.1.2.4.91") && j2k.reason().contains("JPEG 2000"), j2k.reason());
    }

    @Test
    void notAnImage() throws Exception {
        String reason = readFails(DicomTestSupport.pydicomFile("rtplan.dcm")).reason();
        assertTrue(reason.contains("no pixel data: not an image") && reason.contains("RT Plan"), reason);
    }
}
