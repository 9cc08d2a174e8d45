package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Native YBR_FULL_422 (chroma shared by pixel pairs) read as YBR_FULL, value for value as pydicom expands it
 * (16-bit files: as the standard's rule applied with numpy).
 */
class DicomYbr422Test {
    /** Writes a YBR_FULL_422 file with random samples: argv out, bits, frames, columns, transfer syntax UID. */
    private static final String MAKE = """
            import sys, numpy as np, pydicom
            from pydicom.dataset import Dataset, FileMetaDataset
            from pydicom.uid import generate_uid
            out, bits, frames, cols, ts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
            rows = 6
            meta = FileMetaDataset(); meta.TransferSyntaxUID = ts
            meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'; meta.MediaStorageSOPInstanceUID = generate_uid()
            ds = Dataset(); ds.file_meta = meta; ds.preamble = b'\\0' * 128
            ds.is_little_endian = ts != '1.2.840.10008.1.2.2'; ds.is_implicit_VR = ts == '1.2.840.10008.1.2'
            ds.SOPClassUID = meta.MediaStorageSOPClassUID; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID = generate_uid(); ds.SeriesInstanceUID = generate_uid(); ds.Modality = 'OT'
            ds.Rows = rows; ds.Columns = cols; ds.SamplesPerPixel = 3; ds.PhotometricInterpretation = 'YBR_FULL_422'
            ds.PlanarConfiguration = 0; ds.BitsAllocated = bits; ds.BitsStored = bits; ds.HighBit = bits - 1
            ds.PixelRepresentation = 0
            if frames > 1: ds.NumberOfFrames = frames
            dtype = np.uint8 if bits == 8 else (np.dtype('>u2') if ts == '1.2.840.10008.1.2.2' else np.dtype('<u2'))
            stored = np.random.default_rng(7).integers(0, 1 << bits, size=frames * rows * cols * 2).astype(dtype)
            ds.PixelData = stored.tobytes()
            ds['PixelData'].VR = 'OB' if bits == 8 else 'OW'
            ds.save_as(out, write_like_original=False)
            """;

    /**
     * Expected values of a 16-bit file from its stored samples by PS3.3's rule (Y1 Y2 Cb Cr -> Y1 Cb Cr, Y2 Cb Cr):
     * pydicom 2.3.1 cannot expand 16-bit data (it sizes its output in bytes, not samples). argv in, out.
     */
    private static final String EXPAND_16 = """
            import sys, numpy as np, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            stored = np.frombuffer(ds.PixelData, dtype='<u2' if ds.is_little_endian else '>u2')
            frames = int(ds.get('NumberOfFrames', 1) or 1)
            q = stored.reshape((frames, ds.Rows, ds.Columns // 2, 4)).astype(np.float32)
            full = np.empty((frames, ds.Rows, ds.Columns, 3), np.float32)
            full[:, :, 0::2, 0], full[:, :, 1::2, 0] = q[..., 0], q[..., 1]
            for c in (1, 2):
                full[:, :, 0::2, c], full[:, :, 1::2, c] = q[..., c + 1], q[..., c + 1]
            np.ascontiguousarray(np.transpose(full, (3, 0, 1, 2)), dtype='<f4').tofile(sys.argv[2])
            """;

    private final DicomFormat format = new DicomFormat();

    @TempDir
    Path tmp;

    @Test
    void pydicomsSampleIsExpandedLikePydicom() throws Exception {
        Path file = DicomTestSupport.pydicomFile("SC_ybr_full_422_uncompressed.dcm");
        Image image = format.read(file);
        DicomSource source = (DicomSource) image.source();
        assertEquals("YBR_FULL_422", source.photometricInterpretation(), "as stored");
        assertEquals("YBR_FULL", source.layout().photometric(), "as decoded: one chroma pair per pixel");
        assertEquals(3, image.channels());
        assertArrayEquals(DicomTestSupport.pydicomModalityValues(file, tmp), image.pixels());
    }

    @ParameterizedTest(name = "{0} bits, {1} frames, {2}")
    @CsvSource({
        "8,  1, 1.2.840.10008.1.2.1",
        "16, 3, 1.2.840.10008.1.2.1",
        "16, 2, 1.2.840.10008.1.2.2", // big endian: PixelMed's words, not the file's bytes
        "8,  2, 1.2.840.10008.1.2",
    })
    void generatedFilesMatchPydicom(int bits, int frames, String transferSyntax) throws Exception {
        Path file = tmp.resolve("ybr422_" + bits + "_" + frames + ".dcm");
        DicomTestSupport.python(MAKE, file.toString(), String.valueOf(bits), String.valueOf(frames), "8", transferSyntax);
        Image image = format.read(file);
        assertEquals(frames, image.depth());
        assertEquals(8, image.width());
        float[] expected;
        if (bits == 8) {
            expected = DicomTestSupport.pydicomModalityValues(file, tmp);
        } else {
            Path f32 = tmp.resolve("expected.f32");
            DicomTestSupport.python(EXPAND_16, file.toString(), f32.toString());
            expected = DicomTestSupport.readFloats(f32);
        }
        assertArrayEquals(expected, image.pixels());
    }

    @Test
    void oddColumnsAreRefusedWithTheRule() throws Exception {
        Path file = tmp.resolve("odd.dcm");
        DicomTestSupport.python(MAKE, file.toString(), "8", "1", "7", "1.2.840.10008.1.2.1");
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertTrue(e.reason().contains("even number of Columns"), e.reason());
    }
}
