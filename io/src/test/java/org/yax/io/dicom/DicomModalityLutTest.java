package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;

/**
 * Modality LUT Sequence (no file of pydicom's test_files has one): real files get a table in place of their
 * rescale, written by pydicom, and yax's modality values must equal pydicom's apply_modality_lut.
 */
class DicomModalityLutTest {
    @TempDir
    Path tmp;

    /**
     * Replaces the rescale by a LUT of argv[3] entries starting at stored value argv[4] (entries
     * 3 * k + 7 mod 2^bits, argv[5] bits), writes argv[2]; prints nothing.
     */
    private static final String ADD_LUT = """
            import sys, pydicom
            from pydicom.dataset import Dataset
            ds = pydicom.dcmread(sys.argv[1])
            n, first, bits = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
            for k in ('RescaleSlope', 'RescaleIntercept', 'RescaleType'):
                if k in ds: delattr(ds, k)
            item = Dataset()
            # LUTDescriptor is 'US or SS' (the first mapped value follows PixelRepresentation), LUTData 'US or OW'
            item.add_new(0x00283002, 'SS' if ds.PixelRepresentation == 1 else 'US', [n, first, bits])
            item.add_new(0x00283006, 'US', [(3 * k + 7) % (1 << bits) for k in range(n)])
            item.ModalityLUTType = 'US'
            ds.ModalityLUTSequence = [item]
            ds.save_as(sys.argv[2])
            """;

    /** pydicom's modality values (apply_modality_lut) as float32, same order as yax's grey images. */
    private static final String REFERENCE = """
            import sys, numpy as np, pydicom
            from pydicom.pixel_data_handlers.util import apply_modality_lut
            ds = pydicom.dcmread(sys.argv[1])
            apply_modality_lut(ds.pixel_array, ds).astype('<f4').tofile(sys.argv[2])
            """;

    private float[] reference(Path file) throws Exception {
        Path raw = tmp.resolve(file.getFileName() + ".ref.f32");
        DicomTestSupport.python(REFERENCE, file.toString(), raw.toString());
        return DicomTestSupport.readFloats(raw);
    }

    private Path withLut(String source, int entries, int first, int bits) throws Exception {
        Path out = tmp.resolve(source.replace('/', '_') + ".lut.dcm");
        DicomTestSupport.python(ADD_LUT, DicomTestSupport.sample(source).toString(), out.toString(),
                Integer.toString(entries), Integer.toString(first), Integer.toString(bits));
        return out;
    }

    @Test
    void signedFileWithANegativeFirstMappedValueMatchesPydicom() throws Exception {
        // 693_J2KI (lossless JPEG 2000, signed 14-bit) stores -2971..2836: the table covers -1000..999, the rest
        // clips to its ends; its first mapped value is an SS
        Path file = withLut("pydicom-test-files/693_J2KI.dcm", 2000, -1000, 16);
        Image image = new DicomFormat().read(file);
        DicomSource source = (DicomSource) image.source();
        assertNotNull(source.layout().modalityLut());
        assertEquals(-1000, source.layout().modalityLut().firstMapped());
        assertArrayEquals(reference(file), image.pixels());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : image.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(7, min, "values below the table take its first entry");
        assertEquals(3 * 1999 + 7, max, "values above the table take its last entry");
    }

    @Test
    void signedCtWithAPartialTableMatchesPydicom() throws Exception {
        Path file = withLut("archive/dicom/CT_small.dcm", 1200, 500, 16); // stored 128..2191
        assertArrayEquals(reference(file), new DicomFormat().read(file).pixels());
    }

    @Test
    void unsignedEightBitWithAnEightBitTableMatchesPydicom() throws Exception {
        Path file = withLut("pydicom-test-files/image_dfl.dcm", 200, 20, 8);
        Image image = new DicomFormat().read(file);
        assertArrayEquals(reference(file), image.pixels());
    }

    @Test
    void aDerivedInstanceReplacesTheTableByARescaleThatReproducesTheValues() throws Exception {
        Path file = withLut("archive/dicom/CT_small.dcm", 1200, 500, 16);
        Image image = new DicomFormat().read(file);
        Path out = tmp.resolve("derived.dcm");
        new DicomFormat().write(image, new Derivation("denoise", "tv", 1, Map.of(), "test"), out);
        String hasLut = DicomTestSupport.python("import sys, pydicom; print('ModalityLUTSequence' in pydicom.dcmread(sys.argv[1]))",
                out.toString()).trim();
        assertEquals("False", hasLut, "a table for the old stored values must not survive");
        float[] written = reference(out);
        float worst = 0;
        for (int i = 0; i < written.length; i++) {
            worst = Math.max(worst, Math.abs(written[i] - image.pixels()[i]));
        }
        assertTrue(worst <= 0.05f, "rescale reproduces the modality values within half a step: " + worst);
    }
}
