package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Image;

/**
 * Data sets written in implicit VR under a meta header that declares explicit VR little endian (highdicom 0.1.0
 * wrote pydicom's SC_rgb_jpeg.dcm so): read as implicit VR, as pydicom does, and reported in the DicomSource.
 */
class DicomImplicitVrDataSetTest {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    /** pydicom rewrites a file's data set in implicit VR, keeping an explicit VR meta header (optionally tiled in frames). */
    private static final String MISLABEL = """
            import sys, numpy as np, pydicom
            from pydicom.uid import ExplicitVRLittleEndian
            ds = pydicom.dcmread(sys.argv[1])
            frames = int(sys.argv[3])
            if frames > 1:
                ds.PixelData = np.tile(ds.pixel_array, (frames, 1, 1)).tobytes()
                ds.NumberOfFrames = frames
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.is_implicit_VR, ds.is_little_endian = True, True
            ds.save_as(sys.argv[2], write_like_original=True)
            """;

    @TempDir
    Path tmp;

    @Test
    void highdicomsRgbJpegEqualsPydicomAndTheMismatchIsReported() throws Exception {
        Path file = DicomTestSupport.pydicomFile("SC_rgb_jpeg.dcm");
        String before = DicomTestSupport.sha256(file);
        Image image = new DicomFormat().read(file);
        DicomSource source = (DicomSource) image.source();
        assertTrue(source.implicitVrDataSet(), "the implicit VR data set is reported");
        assertEquals("1.2.840.10008.1.2.4.50", source.transferSyntaxUid(), "the declared transfer syntax is kept");
        assertEquals("RGB", source.photometricInterpretation());
        assertEquals("ImageIO Standard JPEG Image Reader", source.decodedBy());
        assertEquals(3, image.channels());
        assertEquals(256, image.height());
        assertEquals(256, image.width());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(file, tmp), image.pixels());
        assertEquals("1.2.840.10008.5.1.4.1.1.7", source.value(com.pixelmed.dicom.TagFromName.SOPClassUID));
        assertEquals("1.2.840.10008.1.2.4.50", source.value(com.pixelmed.dicom.TagFromName.TransferSyntaxUID),
                "the meta header is in the attributes");
        assertEquals(before, DicomTestSupport.sha256(file), "input must not be modified");
        // dcmtk trusts the meta header and refuses it: the values above come from no external tool
        DicomTestSupport.Run dump = DicomTestSupport.run(java.util.List.of("dcmdump", "-q", file.toString()));
        assertTrue(dump.exitCode() != 0 || !dump.stderr().isBlank(), "dcmdump read it without complaint");
    }

    @Test
    void nativeImplicitDataSetUnderExplicitMetaEqualsTheOriginal() throws Exception {
        Path original = DicomTestSupport.pydicomFile("CT_small.dcm");
        Path mislabelled = tmp.resolve("CT_small_implicit_under_explicit.dcm");
        DicomTestSupport.python(MISLABEL, original.toString(), mislabelled.toString(), "1");
        Image image = new DicomFormat().read(mislabelled);
        DicomSource source = (DicomSource) image.source();
        assertTrue(source.implicitVrDataSet());
        assertEquals(EXPLICIT_LE, source.transferSyntaxUid());
        Image reference = new DicomFormat().read(original);
        assertFalse(((DicomSource) reference.source()).implicitVrDataSet(), "a well-formed explicit VR file is not flagged");
        assertArrayEquals(reference.pixels(), image.pixels());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(mislabelled, tmp), image.pixels());
        assertEquals(((DicomSource) reference.source()).layout(), source.layout());
    }

    /** Past 64 MiB the reader parses from disk instead of memory: the same repair applies. */
    @Test
    void largeNativeFileReadFromDiskToo() throws Exception {
        Path original = DicomTestSupport.pydicomFile("CT_small.dcm");
        Path mislabelled = tmp.resolve("CT_small_x2100.dcm");
        int frames = 2100; // 128 x 128 x 2 bytes each: 68.8 MB
        DicomTestSupport.python(MISLABEL, original.toString(), mislabelled.toString(), Integer.toString(frames));
        assertTrue(Files.size(mislabelled) > 64L << 20);
        Image image = new DicomFormat().read(mislabelled);
        assertTrue(((DicomSource) image.source()).implicitVrDataSet());
        assertEquals(frames, image.depth());
        float[] one = new DicomFormat().read(original).pixels();
        float[] all = image.pixels();
        for (int f : new int[] {0, 1, frames / 2, frames - 1}) {
            assertArrayEquals(one, Arrays.copyOfRange(all, f * one.length, (f + 1) * one.length), "frame " + f);
        }
    }

    /** The check needs a letter pair where explicit VR has its VR: a truncated data set is left to the normal read. */
    @Test
    void detectionLooksOnlyAtTheFirstDataSetElement() throws Exception {
        byte[] highdicom = Files.readAllBytes(DicomTestSupport.pydicomFile("SC_rgb_jpeg.dcm"));
        int start = ImplicitVrDataSet.start(highdicom, highdicom.length, "1.2.840.10008.1.2.4.50");
        assertEquals(132 + 12 + 212, start, "just after the meta header (its group length is 212)");
        assertEquals(-1, ImplicitVrDataSet.start(highdicom, start + 5, "1.2.840.10008.1.2.4.50"));
        assertEquals(-1, ImplicitVrDataSet.start(highdicom, highdicom.length, "1.2.840.10008.1.2"),
                "declared implicit VR: nothing to repair");
        assertEquals(-1, ImplicitVrDataSet.start(highdicom, highdicom.length, "1.2.840.10008.1.2.2"),
                "big endian is not repaired");
        for (String ts : new String[] {"", "1.2.840.10008.1.2.1.99", "1.2.3.4"}) {
            assertEquals(-1, ImplicitVrDataSet.start(highdicom, highdicom.length, ts), "no meta transfer syntax, "
                    + "a deflated data set (compressed bytes) or an unknown one: " + ts);
        }
        byte[] ct = Files.readAllBytes(DicomTestSupport.pydicomFile("CT_small.dcm"));
        assertEquals(-1, ImplicitVrDataSet.start(ct, ct.length, EXPLICIT_LE));
    }
}
