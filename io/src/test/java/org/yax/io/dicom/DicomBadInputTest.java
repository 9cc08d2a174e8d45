package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
        String reason = readFails(f).reason();
        assertTrue(reason.contains("pixel data truncated: the file holds ") && reason.contains(" of its 32768 bytes"), reason);
    }

    /** Compressed and big endian pixel data cut short: refused (PixelMed drops the element), never partly decoded. */
    @Test
    void truncatedCompressedAndBigEndianPixelData() throws Exception {
        for (String name : new String[] {"MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_jpeg_dcmtk.dcm",
                "MR_small_bigendian.dcm", "image_dfl.dcm"}) {
            byte[] whole = Files.readAllBytes(DicomTestSupport.pydicomFile(name));
            Path f = Files.write(tmp.resolve("cut-" + name), Arrays.copyOf(whole, whole.length - whole.length / 5));
            String reason = readFails(f).reason();
            assertTrue(reason.contains("truncated") || reason.contains("cannot decode pixel data"), name + ": " + reason);
        }
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
        // JPEG2000.dcm with four codestream bytes overwritten: the codec refuses it, the reason names the syntax
        ImageFileException j2k = readFails(DicomTestSupport.pydicomFile("JPEG2000-embedded-sequence-delimiter.dcm"));
        assertTrue(j2k.reason().contains("1.2.840.10008.1.2.4.91") && j2k.reason().contains("JPEG 2000"), j2k.reason());
    }

    /** Reads argv[0] with yax's reader in a JVM whose PATH the test chose; prints "decoded by X" or the reason. */
    public static final class ReadOne {
        public static void main(String[] args) {
            try {
                System.out.println("decoded by " + ((DicomSource) new DicomFormat().read(Path.of(args[0])).source()).decodedBy());
            } catch (ImageFileException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void withoutDcmtkOnThePathJpegLsIsRefusedNamingTheSyntaxAndTheMissingTool() throws Exception {
        Path file = DicomTestSupport.pydicomFile("MR_small_jpeg_ls_lossless.dcm");
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Path emptyPath = Files.createDirectories(tmp.resolve("no-tools"));
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                ReadOne.class.getName(), file.toString()).redirectErrorStream(false);
        pb.environment().put("PATH", emptyPath.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains(file.toString()) && out.contains("1.2.840.10008.1.2.4.80") && out.contains("JPEG-LS")
                && out.contains("dcmdjpls would decode it but is not installed"), out);
        // the same reader with dcmtk on the PATH decodes it (DicomTranscodeTest checks the values)
        assertEquals("dcmdjpls", ((DicomSource) new DicomFormat().read(file).source()).decodedBy());
    }

    @Test
    void notAnImage() throws Exception {
        String reason = readFails(DicomTestSupport.pydicomFile("rtplan.dcm")).reason();
        assertTrue(reason.contains("no pixel data: not an image") && reason.contains("RT Plan"), reason);
    }
}
