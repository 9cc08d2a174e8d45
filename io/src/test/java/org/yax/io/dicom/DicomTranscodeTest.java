package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;

/**
 * Transfer syntaxes PixelMed has no codec for, read through dcmtk's decompressors, compared with decoders
 * that did not take part (pydicom's RLE decoder, the uncompressed original of a lossless file).
 */
class DicomTranscodeTest {
    @TempDir
    Path tmp;

    private Image readTranscoded(String name, String expectedTool, String expectedTs) throws Exception {
        Path file = DicomTestSupport.pydicomFile(name);
        String before = DicomTestSupport.sha256(file);
        assertNotNull(DcmtkTranscoder.find(expectedTool), "dcmtk's " + expectedTool + " is not installed: run scripts/setup.sh");
        Image image = new DicomFormat().read(file);
        DicomSource source = (DicomSource) image.source();
        assertEquals(expectedTool, source.decodedBy());
        assertEquals(expectedTs, source.transferSyntaxUid());
        assertEquals(file, source.file());
        assertEquals(before, DicomTestSupport.sha256(file), "input must not be modified");
        return image;
    }

    @Test
    void jpegLsLosslessEqualsTheUncompressedOriginal() throws Exception {
        Image ls = readTranscoded("MR_small_jpeg_ls_lossless.dcm", "dcmdjpls", "1.2.840.10008.1.2.4.80");
        float[] original = DicomTestSupport.pydicomModalityValues(DicomTestSupport.pydicomFile("MR_small.dcm"), tmp);
        assertArrayEquals(original, ls.pixels());
    }

    @Test
    void rleSixteenBitColourAndThirtyTwoBitEqualPydicom() throws Exception {
        for (String name : List.of("SC_rgb_rle_16bit.dcm", "SC_rgb_rle_16bit_2frame.dcm", "SC_rgb_rle_32bit.dcm",
                "SC_rgb_rle_32bit_2frame.dcm", "rtdose_rle.dcm")) {
            Image image = readTranscoded(name, "dcmdrle", "1.2.840.10008.1.2.5");
            float[] reference = DicomTestSupport.pydicomModalityValues(DicomTestSupport.pydicomFile(name), tmp);
            assertArrayEquals(reference, image.pixels(), name);
        }
    }

    /** pydicom cannot decode 12-bit JPEG here: the reference is dcmdjpeg's output, decoded by pydicom. */
    @Test
    void twelveBitJpegEqualsDcmtksDecodingReadByPydicom() throws Exception {
        Image image = readTranscoded("JPEG-lossy.dcm", "dcmdjpeg", "1.2.840.10008.1.2.4.51");
        Path reference = tmp.resolve("JPEG-lossy-dcmdjpeg.dcm");
        DicomTestSupport.Run r = DicomTestSupport.run(List.of("dcmdjpeg",
                DicomTestSupport.pydicomFile("JPEG-lossy.dcm").toString(), reference.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(reference, tmp), image.pixels());
        assertEquals(12, ((DicomSource) image.source()).layout().bitsStored());
    }

    @Test
    void aTranscodedSourceWritesADerivedInstance() throws Exception {
        Image ls = readTranscoded("MR_small_jpeg_ls_lossless.dcm", "dcmdjpls", "1.2.840.10008.1.2.4.80");
        Path out = tmp.resolve("derived.dcm");
        new DicomFormat().write(ls, new Derivation("denoise", "tv", 1, Map.of(), "test"), out);
        float[] written = DicomTestSupport.pydicomModalityValues(out, tmp);
        assertArrayEquals(ls.pixels(), written);
        String ts = DicomTestSupport.python("import sys, pydicom; print(pydicom.dcmread(sys.argv[1]).file_meta.TransferSyntaxUID)",
                out.toString()).trim();
        assertEquals("1.2.840.10008.1.2.1", ts);
    }
}
