package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Encapsulated frames decoded by yax with a cached ImageIO codec (ImageIoFrameDecoder) instead of PixelMed's
 * per-file codec scan: the values and the corrected header must be exactly PixelMed's own decoding, and match
 * pydicom; multi-frame files (offset table or none, several fragments per frame) are made here with dcmcjpeg.
 * JPEG 2000 frames go to OpenJPEG first: DicomOpenJpegFramesTest.
 */
class DicomImageIoFramesTest {
    @TempDir
    Path tmp;

    /** Every pydicom test file the ImageIO path takes decodes exactly as PixelMed's full read does. */
    @Test
    void everyFileTakenMatchesPixelMedsOwnDecoding() throws Exception {
        Path root = DicomTestSupport.pydicomFile("CT_small.dcm").getParent();
        List<Path> files = DicomTestSupport.pydicomFiles();
        DicomFormat format = new DicomFormat();
        List<String> taken = new ArrayList<>();
        for (Path file : files) {
            if (!format.canRead(file)) {
                continue;
            }
            Image image;
            try {
                image = format.read(file);
            } catch (ImageFileException refused) {
                continue;
            }
            DicomSource source = (DicomSource) image.source();
            if (source.decodedBy().startsWith("ImageIO") && !isRgbLossyJpeg(source)) {
                assertSameAsPixelMed(file, image);
                taken.add(root.relativize(file).toString());
            }
        }
        // the seven YBR JPEG baseline files; RGB-labelled lossy JPEG departs from PixelMed on purpose (below)
        assertTrue(taken.size() >= 7, "files decoded through ImageIO: " + taken);
        assertTrue(taken.contains("SC_rgb_jpeg_dcmtk.dcm") && taken.contains("SC_rgb_dcmtk_+eb+cy+np.dcm"), taken.toString());
    }

    /**
     * RGB-labelled lossy JPEG: components as coded, as pydicom (Pillow) and dcmtk decode them, where PixelMed's
     * codec would convert a stream without JFIF/Adobe markers as YCbCr (SC_rgb_jpeg_lossy_gdcm.dcm: up to 255
     * off); with and without a short or a transform-0 Adobe marker. SC_rgb_jpeg.dcm: DicomImplicitVrDataSetTest.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"SC_rgb_jpeg_lossy_gdcm.dcm", "SC_rgb_jpeg_app14_dcmd.dcm"})
    void rgbLabelledLossyJpegIsDecodedAsCoded(String name) throws Exception {
        Path file = DicomTestSupport.pydicomFile(name);
        Image image = new DicomFormat().read(file);
        DicomSource source = (DicomSource) image.source();
        assertEquals("ImageIO Standard JPEG Image Reader", source.decodedBy());
        assertEquals("RGB", source.photometricInterpretation());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(file, tmp), image.pixels());
    }

    /**
     * An Adobe marker whose transform flag says YCbCr (SC_rgb_jpeg_app14_dcmd.dcm with the flag set to 1 here):
     * Pillow, hence pydicom, converts to RGB although the header says RGB, and so does yax.
     */
    @Test
    void rgbLabelledJpegWithAnAdobeYcbcrFlagIsConverted() throws Exception {
        byte[] b = Files.readAllBytes(DicomTestSupport.pydicomFile("SC_rgb_jpeg_app14_dcmd.dcm"));
        int adobe = indexOf(b, new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e'});
        assertTrue(adobe > 0, "the file has a 14-byte Adobe segment");
        int flag = adobe + 4 + 11;
        assertEquals(0, b[flag], "stored with transform 0 (as coded)");
        b[flag] = 1;
        Path file = Files.write(tmp.resolve("SC_rgb_jpeg_app14_ycbcr.dcm"), b);
        Image converted = new DicomFormat().read(file);
        float[] pydicom = DicomTestSupport.pydicomModalityValues(file, tmp);
        assertArrayEquals(pydicom, converted.pixels());
        Image asCoded = new DicomFormat().read(DicomTestSupport.pydicomFile("SC_rgb_jpeg_app14_dcmd.dcm"));
        assertFalse(Arrays.equals(asCoded.pixels(), converted.pixels()), "the flag changes the decoding");
    }

    private static boolean isRgbLossyJpeg(DicomSource source) {
        String ts = source.transferSyntaxUid();
        return source.photometricInterpretation().equals("RGB")
                && (ts.equals("1.2.840.10008.1.2.4.50") || ts.equals("1.2.840.10008.1.2.4.51"));
    }

    private static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Multi-frame JPEG, made here from pydicom's files, against pydicom (or dcmtk) and PixelMed. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        // source; dcmcjpeg options; transfer syntax; photometric as stored; reference decoder
        "grey3; +eb;           1.2.840.10008.1.2.4.50; MONOCHROME2;  pydicom",  // offset table, one fragment per frame
        "grey3; +eb -ot +fs 8; 1.2.840.10008.1.2.4.50; MONOCHROME2;  dcmdjpeg", // no offset table, several fragments per frame
        "grey3; +eb +fs 8;     1.2.840.10008.1.2.4.50; MONOCHROME2;  dcmdjpeg", // offset table, several fragments per frame
        "grey3; +ee;           1.2.840.10008.1.2.4.51; MONOCHROME2;  pydicom",  // JPEG extended, 8-bit
        "rgb2;  +eb;           1.2.840.10008.1.2.4.50; YBR_FULL_422; pydicom",  // 4:2:2 subsampled colour
        "rgb2;  +eb +n2 -ot;   1.2.840.10008.1.2.4.50; YBR_FULL;     pydicom",  // no offset table, one fragment per frame
        "rgb2;  +eb +n1 +fs 1; 1.2.840.10008.1.2.4.50; YBR_FULL;     dcmdjpeg", // 4:1:1, several fragments per frame
        "grey3; +el +sv 3;     1.2.840.10008.1.2.4.57; MONOCHROME2;  dcmdjpeg", // lossless (PixelMed's codec)
        "rgb2;  +e1 -ot +fs 4; 1.2.840.10008.1.2.4.70; RGB;          dcmdjpeg", // lossless SV1, RGB, fragments
    })
    void multiFrameJpegMatchesPydicomAndPixelMed(String source, String options, String tsUid, String photometric,
                                                 String referenceDecoder) throws Exception {
        Path file = compress(multiFrameSource(source), List.of(options.trim().split(" +")));
        Image image = new DicomFormat().read(file);
        DicomSource dicom = (DicomSource) image.source();
        assertEquals(tsUid, dicom.transferSyntaxUid());
        assertEquals(photometric, dicom.photometricInterpretation());
        assertEquals(tsUid.endsWith(".57") || tsUid.endsWith(".70") ? "ImageIO PixelMed JPEG Lossless Image Reader"
                : "ImageIO Standard JPEG Image Reader", dicom.decodedBy());
        assertEquals(source.equals("grey3") ? 3 : 2, image.depth());
        assertSameAsPixelMed(file, image);
        float[] expected;
        if (referenceDecoder.equals("pydicom")) {
            expected = DicomTestSupport.pydicomModalityValues(file, tmp, photometric.startsWith("YBR"));
        } else {
            // pydicom 2.3 cannot join several fragments into a frame, nor decode lossless JPEG: dcmtk decompresses
            // (YBR to RGB), pydicom reads
            Path decompressed = tmp.resolve("dcmdjpeg-" + file.getFileName());
            DicomTestSupport.Run r = DicomTestSupport.run(List.of("dcmdjpeg", file.toString(), decompressed.toString()));
            assertEquals(0, r.exitCode(), r.stderr());
            expected = DicomTestSupport.pydicomModalityValues(decompressed, tmp);
        }
        assertEquals(expected.length, image.pixels().length);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - image.pixels()[i]));
        }
        // IJG-derived decoders on all sides; pydicom's YBR->RGB (float) equals libjpeg's (fixed point) here
        assertEquals(0f, worst, "largest difference to pydicom");
    }

    /** PixelMed's own full read and decompression, the path these files took before, as the reference. */
    private static void assertSameAsPixelMed(Path file, Image image) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        list.correctDecompressedImagePixelModule();
        DicomPixelLayout layout = DicomPixelLayout.of(list);
        float[] reference = DicomPixelDecoder.decode(list.get(TagFromName.PixelData), layout, false);
        assertArrayEquals(reference, image.pixels(), file.getFileName() + ": values differ from PixelMed's decoding");
        DicomSource source = (DicomSource) image.source();
        assertEquals(layout, source.layout(), file.getFileName().toString());
        for (AttributeTag tag : list.keySet()) {
            if (!tag.equals(TagFromName.PixelData)) {
                Attribute ours = source.attributes().get(tag);
                assertEquals(list.get(tag).toString(), ours == null ? null : ours.toString(), file.getFileName() + " " + tag);
            }
        }
    }

    /** "grey3": image_dfl.dcm's 512 x 512 8-bit frame and two variations; "rgb2": SC_rgb_rle_2frame.dcm decompressed. */
    private Path multiFrameSource(String name) throws Exception {
        Path out = tmp.resolve(name + ".dcm");
        DicomTestSupport.python("""
                import sys, numpy as np, pydicom
                from pydicom.uid import ExplicitVRLittleEndian
                name, grey, rgb, out = sys.argv[1:5]
                if name == 'grey3':
                    ds = pydicom.dcmread(grey)
                    a = ds.pixel_array
                    frames = np.stack([a, 255 - a, np.roll(a, 37, axis=1)]).astype(np.uint8)
                    ds.NumberOfFrames = 3
                else:
                    ds = pydicom.dcmread(rgb)
                    frames = ds.pixel_array.astype(np.uint8)
                ds.PixelData = frames.tobytes()
                ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
                ds.is_little_endian, ds.is_implicit_VR = True, False
                ds.save_as(out, write_like_original=False)
                """, name, DicomTestSupport.pydicomFile("image_dfl.dcm").toString(),
                DicomTestSupport.pydicomFile("SC_rgb_rle_2frame.dcm").toString(), out.toString());
        return out;
    }

    private Path compress(Path source, List<String> options) throws Exception {
        Path out = tmp.resolve(source.getFileName() + "-" + String.join("", options).replaceAll("[^a-z0-9]", "") + ".dcm");
        List<String> command = new ArrayList<>(List.of("dcmcjpeg"));
        command.addAll(options);
        command.addAll(List.of(source.toString(), out.toString()));
        DicomTestSupport.Run r = DicomTestSupport.run(command);
        assertEquals(0, r.exitCode(), command + ": " + r.stderr());
        return out;
    }
}
