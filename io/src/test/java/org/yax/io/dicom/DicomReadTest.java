package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yax.core.Image;

/** Reading real files, compared value by value with pydicom. */
class DicomReadTest {
    private final DicomFormat format = new DicomFormat();

    @TempDir
    Path tmp;

    @Test
    void ctSmallMatchesPydicomExactlyInHounsfieldUnits() throws Exception {
        Path ct = DicomTestSupport.sample("archive/dicom/CT_small.dcm");
        String before = DicomTestSupport.sha256(ct);
        Image image = format.read(ct);
        assertEquals(before, DicomTestSupport.sha256(ct), "reading must not modify the input");
        assertEquals(1, image.channels());
        assertEquals(1, image.depth());
        assertEquals(128, image.height());
        assertEquals(128, image.width());
        float[] expected = DicomTestSupport.pydicomModalityValues(ct, tmp);
        assertEquals(expected.length, image.pixels().length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], image.pixels()[i], 0.0f, "pixel " + i);
        }
        DicomSource source = assertInstanceOf(DicomSource.class, image.source());
        assertEquals("DICOM", source.format());
        assertEquals(-1024.0, source.layout().rescaleIntercept());
        assertEquals("MONOCHROME2", source.photometricInterpretation());
        assertTrue(source.attributes().get(new com.pixelmed.dicom.AttributeTag(0x0009, 0x1001)) != null,
                "private attributes are kept");
    }

    /** Each transfer syntax / layout against pydicom, with a tolerance that suits the codec. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,                          channels, frames, tolerance
        "MR_small.dcm,                    1, 1,  0",   // explicit VR little endian, no rescale
        "MR_small_implicit.dcm,           1, 1,  0",   // implicit VR little endian
        "MR_small_bigendian.dcm,          1, 1,  0",   // explicit VR big endian
        "image_dfl.dcm,                   1, 1,  0",   // deflated explicit VR little endian, 8-bit
        "MR_small_RLE.dcm,                1, 1,  0",   // RLE lossless, 16-bit
        "SC_rgb_rle_2frame.dcm,           3, 2,  0",   // RLE RGB, colour-by-pixel, 2 frames
        "ExplVR_BigEnd.dcm,               3, 1,  0",   // big endian RGB, colour-by-plane
        "rtdose.dcm,                      1, 15, 0",   // 32-bit multi-frame
        "rtdose_expb.dcm,                 1, 15, 0",   // 32-bit multi-frame, big endian word order
        "SC_rgb_dcmtk_+eb+cr.dcm,         3, 1,  2",   // JPEG baseline RGB: two IJG-based decoders may differ by IDCT rounding
        "MR_small_jp2klossless.dcm,       1, 1,  0",   // JPEG 2000 lossless (jai-imageio's JJ2000 vs Pillow's OpenJPEG)
        "693_J2KI.dcm,                    1, 1,  0",   // JPEG 2000, reversible wavelet, signed 14-bit
        "SC_rgb_gdcm_KY.dcm,              3, 1,  0",   // JPEG 2000 RGB
        "JPEG2000.dcm,                    1, 1,  1",   // JPEG 2000 irreversible wavelet: decoders may round apart by 1
    })
    void transferSyntaxesMatchPydicom(String name, int channels, int frames, float tolerance) throws Exception {
        Path file = DicomTestSupport.pydicomFile(name);
        Image image = format.read(file);
        assertEquals(channels, image.channels());
        assertEquals(frames, image.depth());
        float[] expected = DicomTestSupport.pydicomModalityValues(file, tmp);
        assertEquals(expected.length, image.pixels().length);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - image.pixels()[i]));
        }
        assertTrue(worst <= tolerance, name + ": largest difference to pydicom " + worst + " > " + tolerance);
    }

    @Test
    void ybrJpegDecodesToRgb() throws Exception {
        Path file = DicomTestSupport.pydicomFile("SC_rgb_jpeg_dcmtk.dcm");
        Image image = format.read(file);
        DicomSource source = (DicomSource) image.source();
        assertEquals("YBR_FULL", source.photometricInterpretation(), "as stored in the file");
        assertEquals("RGB", source.layout().photometric(), "as decoded");
        float[] expected = DicomTestSupport.pydicomModalityValues(file, tmp, true);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - image.pixels()[i]));
        }
        // JPEG decoders and YCbCr->RGB conversions differ by rounding (IDCT, fixed vs float colour transform)
        assertTrue(worst <= 3, "largest difference to pydicom " + worst);
    }

    @Test
    void canReadSniffsPreambleAndBareDataSets() throws Exception {
        assertTrue(format.canRead(DicomTestSupport.sample("archive/dicom/CT_small.dcm")));
        assertTrue(format.canRead(DicomTestSupport.pydicomFile("ExplVR_LitEndNoMeta.dcm")), "no preamble, little endian");
        assertTrue(format.canRead(DicomTestSupport.pydicomFile("ExplVR_BigEndNoMeta.dcm")), "no preamble, big endian");
        Path random = tmp.resolve("random.dcm");
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        Files.write(random, bytes);
        assertFalse(format.canRead(random));
        Path empty = Files.createFile(tmp.resolve("empty.dcm"));
        assertFalse(format.canRead(empty));
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello, this is not DICOM at all, not even close\n".repeat(10));
        assertFalse(format.canRead(text));
        assertFalse(format.canRead(tmp.resolve("does-not-exist.dcm")));
    }
}
