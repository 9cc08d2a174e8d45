package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yax.core.Image;

/**
 * JPEG 2000 frames decoded with OpenJPEG through GDAL (OpenJpegFrameDecoder): files made here from pydicom's
 * files (each frame a codestream written by OpenJPEG through GDAL, encapsulated by pydicom with an offset table)
 * against the uncompressed original and pydicom's own decoding (Pillow); the fallback to JJ2000; concurrency.
 */
class DicomOpenJpegFramesTest {
    @TempDir
    Path tmp;

    /**
     * Writes argv[2] (the JPEG 2000 file) and argv[3] (the same pixels uncompressed) for case argv[1]; the cases
     * cover grey 8/12/16-bit unsigned and signed, RGB and both colour transforms, lossless and lossy, 2-3 frames.
     */
    private static final String MAKE = """
            import sys, numpy as np, pydicom
            from osgeo import gdal
            from pydicom.encaps import encapsulate
            from pydicom.uid import ExplicitVRLittleEndian
            gdal.UseExceptions()
            case, out, original, grey8, grey16, rgb = sys.argv[1:7]
            lossless = ['REVERSIBLE=YES', 'QUALITY=100']
            ts, nbits, signed_patch = '1.2.840.10008.1.2.4.90', None, False
            if case in ('grey8', 'grey8signed'):
                ds = pydicom.dcmread(grey8); a = ds.pixel_array
                frames = np.stack([a, 255 - a, np.roll(a, 37, axis=1)]).astype(np.uint8)[..., None]
                pi, options = 'MONOCHROME2', lossless
                if case == 'grey8signed':  # OpenJPEG through GDAL writes no signed 8-bit: set the SIZ sign bit below
                    signed_patch = True; ds.PixelRepresentation = 1
            elif case.startswith('rgb') or case.startswith('ybr'):
                ds = pydicom.dcmread(rgb); frames = ds.pixel_array.astype(np.uint8)
                pi, options = {'rgb': ('RGB', lossless + ['YCC=NO']), 'ybr_rct': ('YBR_RCT', lossless + ['YCC=YES']),
                               'ybr_ict': ('YBR_ICT', ['REVERSIBLE=NO', 'QUALITY=40', 'YCC=YES'])}[case]
                if case == 'ybr_ict': ts = '1.2.840.10008.1.2.4.91'
            else:
                ds = pydicom.dcmread(grey16); a = ds.pixel_array.astype(np.int32)  # MR_small: 0..~2200
                pi = 'MONOCHROME2'
                stack = np.stack([a, a[::-1], a[:, ::-1]])
                if case == 'unsigned12':
                    frames, nbits, ds.PixelRepresentation, ds.BitsStored = (stack * 4095 // stack.max()).astype(np.uint16), 12, 0, 12
                elif case == 'signed12':
                    frames, nbits, ds.PixelRepresentation, ds.BitsStored = (stack * 4095 // stack.max() - 2048).astype(np.int16), 12, 1, 12
                else:  # signed16, signed16lossy
                    frames, ds.PixelRepresentation, ds.BitsStored = (stack * 30 - 32000).astype(np.int16), 1, 16
                ds.HighBit = ds.BitsStored - 1
                frames = frames[..., None]
                options = lossless
                if case == 'signed16lossy':
                    options, ts = ['REVERSIBLE=NO', 'QUALITY=20'], '1.2.840.10008.1.2.4.91'
            gdal_type = {np.dtype(np.uint8): gdal.GDT_Byte, np.dtype(np.uint16): gdal.GDT_UInt16,
                         np.dtype(np.int16): gdal.GDT_Int16}[frames.dtype]
            codestreams = []
            for k, f in enumerate(frames):
                mem = gdal.GetDriverByName('MEM').Create('', f.shape[1], f.shape[0], f.shape[2], gdal_type)
                for b in range(f.shape[2]):
                    mem.GetRasterBand(b + 1).WriteArray(f[:, :, b])
                name = '/vsimem/frame%d.j2k' % k
                gdal.GetDriverByName('JP2OpenJPEG').CreateCopy(name, mem, options=['CODEC=J2K'] + options
                                                               + (['NBITS=%d' % nbits] if nbits else []))
                h = gdal.VSIFOpenL(name, 'rb'); gdal.VSIFSeekL(h, 0, 2); size = gdal.VSIFTellL(h); gdal.VSIFSeekL(h, 0, 0)
                c = bytearray(gdal.VSIFReadL(1, size, h)); gdal.VSIFCloseL(h); gdal.Unlink(name)
                if signed_patch:
                    assert c[0:4] == b'\\xff\\x4f\\xff\\x51' and c[42] == 7
                    c[42] |= 0x80  # Ssiz: signed, 8 bits; the decoder then skips the DC level shift: values - 128
                codestreams.append(bytes(c))
            if signed_patch:
                frames = (frames.astype(np.int16) - 128).astype(np.int8)
            ds.NumberOfFrames = len(frames); ds.SamplesPerPixel = frames.shape[3]
            ds.PhotometricInterpretation = 'RGB' if frames.shape[3] == 3 else pi
            if frames.shape[3] == 3: ds.PlanarConfiguration = 0
            ds.PixelData = frames.tobytes()
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.is_little_endian, ds.is_implicit_VR = True, False
            ds.save_as(original, write_like_original=False)
            ds.PixelData = encapsulate(codestreams, has_bot=True)
            ds['PixelData'].is_undefined_length = True
            ds['PixelData'].VR = 'OB'
            ds.PhotometricInterpretation = pi
            ds.file_meta.TransferSyntaxUID = ts
            ds.save_as(out, write_like_original=False)
            """;

    private Path make(String name, Path original) throws Exception {
        Path file = tmp.resolve(name + "-j2k.dcm");
        DicomTestSupport.python(MAKE, name, file.toString(), original.toString(),
                DicomTestSupport.pydicomFile("image_dfl.dcm").toString(), DicomTestSupport.pydicomFile("MR_small.dcm").toString(),
                DicomTestSupport.pydicomFile("SC_rgb_rle_2frame.dcm").toString());
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case; frames; samples; lossless
        "grey8,         3, 1, true",
        "unsigned12,    3, 1, true",
        "signed12,      3, 1, true",
        "signed16,      3, 1, true",
        "signed16lossy, 3, 1, false",
        "rgb,           2, 3, true",
        "ybr_rct,       2, 3, true",
        "ybr_ict,       2, 3, false",
    })
    void openJpegDecodesLikePydicomAndLosslessFramesEqualTheOriginal(String name, int frames, int samples,
                                                                    boolean lossless) throws Exception {
        Path original = tmp.resolve(name + "-original.dcm");
        Path file = make(name, original);
        Image image = new DicomFormat().read(file);
        DicomSource dicom = (DicomSource) image.source();
        assertEquals(OpenJpegFrameDecoder.DESCRIPTION, dicom.decodedBy());
        assertEquals(frames, image.depth());
        assertEquals(samples, image.channels());
        if (samples == 3) { // OpenJPEG undid the colour transform, as PixelMed records it
            assertEquals("RGB", Attribute.getSingleStringValueOrEmptyString(dicom.attributes(),
                    TagFromName.PhotometricInterpretation));
        }
        // pydicom (Pillow, on the same OpenJPEG library) returns RGB for YBR_RCT/YBR_ICT too
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(file, tmp), image.pixels(), "vs pydicom");
        if (lossless) {
            assertArrayEquals(DicomTestSupport.pydicomModalityValues(original, tmp), image.pixels(), "vs the original");
        }
    }

    /**
     * Signed 8-bit components: GDAL 3.6 hands them over clamped to 0..255, so OpenJPEG's path leaves them to
     * JJ2000, whose values must still be pydicom's and the original's.
     */
    @Test
    void signedEightBitFramesGoToJj2000AndStayExact() throws Exception {
        Path original = tmp.resolve("grey8signed-original.dcm");
        Path file = make("grey8signed", original);
        Image image = new DicomFormat().read(file);
        assertEquals("ImageIO Java Advanced Imaging JPEG 2000 Image Reader", ((DicomSource) image.source()).decodedBy());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(original, tmp), image.pixels(), "vs the original");
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(file, tmp), image.pixels(), "vs pydicom");
    }

    /**
     * GDCM's codestream that under-counts its tile-parts (TNsot 5, six tile-parts per tile) decodes with OpenJPEG as
     * JJ2000, another implementation, decodes it once the counts are repaired (only the TNsot bytes change).
     */
    @Test
    void underCountedTilePartsDecodeAsJj2000DecodesTheRepairedCodestream() throws Exception {
        Path file = DicomTestSupport.pydicomFile("GDCMJ2K_TextGBR.dcm");
        Image image = new DicomFormat().read(file);
        DicomSource dicom = (DicomSource) image.source();
        assertEquals(OpenJpegFrameDecoder.DESCRIPTION, dicom.decodedBy());
        assertEquals("YBR_RCT", dicom.photometricInterpretation());

        byte[] bytes = Files.readAllBytes(file);
        AttributeList header = new AttributeList();
        long afterTag = header.read(new com.pixelmed.dicom.DicomInputStream(new ByteArrayInputStream(bytes)),
                TagFromName.PixelData);
        byte[] frame = EncapsulatedFrames.split(bytes, afterTag, true, 1).frames().get(0);
        int repaired = repairTileParts(frame);
        assertTrue(repaired > 0, "expected under-counted tile-parts");
        ImageReader jj2000 = ImageIO.getImageReadersByFormatName("JPEG2000").next();
        Raster raster;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
            jj2000.setInput(in);
            raster = jj2000.read(0).getRaster();
        } finally {
            jj2000.dispose();
        }
        int rows = raster.getHeight();
        int columns = raster.getWidth();
        assertEquals(3, raster.getNumBands());
        float[] expected = new float[3 * rows * columns];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < columns; x++) {
                    expected[(c * rows + y) * columns + x] = raster.getSample(x, y, c);
                }
            }
        }
        assertArrayEquals(expected, image.pixels());
    }

    /** Sets every tile-part's TNsot to the number of tile-parts its tile has; returns how many it changed. */
    private static int repairTileParts(byte[] b) {
        int at = 0;
        while (!(b[at] == (byte) 0xFF && b[at + 1] == 0x4F && b[at + 2] == (byte) 0xFF && b[at + 3] == 0x51)) {
            at++;
        }
        at += 2;
        while ((b[at] & 0xFF) == 0xFF && (b[at + 1] & 0xFF) != 0x90) {
            at += 2 + ((b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF));
        }
        List<Integer> sots = new ArrayList<>();
        int[] parts = new int[1 << 16];
        while (at + 12 <= b.length && (b[at] & 0xFF) == 0xFF && (b[at + 1] & 0xFF) == 0x90) {
            int tile = (b[at + 4] & 0xFF) << 8 | (b[at + 5] & 0xFF);
            long psot = (b[at + 6] & 0xFFL) << 24 | (b[at + 7] & 0xFFL) << 16 | (b[at + 8] & 0xFFL) << 8 | (b[at + 9] & 0xFFL);
            parts[tile] = Math.max(parts[tile], (b[at + 10] & 0xFF) + 1);
            sots.add(at);
            if (psot < 14) {
                break;
            }
            at += (int) psot;
        }
        int changed = 0;
        for (int sot : sots) {
            int tile = (b[sot + 4] & 0xFF) << 8 | (b[sot + 5] & 0xFF);
            if ((b[sot + 11] & 0xFF) != 0 && (b[sot + 11] & 0xFF) < parts[tile]) {
                b[sot + 11] = (byte) parts[tile];
                changed++;
            }
        }
        return changed;
    }

    /** Each call gets its own in-memory file: parallel reads of different files give the sequential results. */
    @Test
    void concurrentReadsGiveTheSequentialResults() throws Exception {
        List<Path> files = List.of(DicomTestSupport.pydicomFile("MR_small_jp2klossless.dcm"),
                DicomTestSupport.pydicomFile("SC_rgb_gdcm_KY.dcm"), DicomTestSupport.pydicomFile("JPEG2000.dcm"),
                DicomTestSupport.pydicomFile("693_J2KI.dcm"), DicomTestSupport.pydicomFile("GDCMJ2K_TextGBR.dcm"));
        DicomFormat format = new DicomFormat();
        List<float[]> sequential = new ArrayList<>();
        for (Path f : files) {
            sequential.add(format.read(f).pixels());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < files.size(); i++) {
                    int k = i;
                    results.add(pool.submit(() -> java.util.Arrays.equals(sequential.get(k), format.read(files.get(k)).pixels())));
                }
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Without GDAL's JP2OpenJPEG driver (GDAL_SKIP in a child JVM) the reader keeps the JJ2000 path as before:
     * JJ2000 decodes, and the codestream it would decode wrong is refused.
     */
    @Test
    void withoutTheDriverJj2000DecodesAndUnderCountedTilePartsAreRefused() throws Exception {
        assertEquals("decoded by ImageIO Java Advanced Imaging JPEG 2000 Image Reader",
                readInJvmWithoutOpenJpeg(DicomTestSupport.pydicomFile("MR_small_jp2klossless.dcm")));
        String refused = readInJvmWithoutOpenJpeg(DicomTestSupport.pydicomFile("GDCMJ2K_TextGBR.dcm"));
        assertTrue(refused.contains("1.2.840.10008.1.2.4.90") && refused.contains("numbered 5 (from 0) but TNsot says 5")
                && refused.contains("JJ2000"), refused);
    }

    private static String readInJvmWithoutOpenJpeg(Path file) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-Djava.library.path=" + System.getProperty("java.library.path"),
                "-cp", System.getProperty("java.class.path"), DicomBadInputTest.ReadOne.class.getName(), file.toString());
        pb.environment().put("GDAL_SKIP", OpenJpegFrameDecoder.DRIVER);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
