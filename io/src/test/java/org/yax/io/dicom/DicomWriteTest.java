package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.AtomicFiles;

/** Derived instances checked by dcmdump, pydicom (full data set comparison) and dciodvfy. */
class DicomWriteTest {
    /** Elements every derived instance changes on purpose. */
    private static final List<String> ALWAYS_CHANGED = List.of(
            "00080008", // ImageType
            "00080012", "00080013", // InstanceCreationDate/Time
            "00080018", // SOPInstanceUID
            "0008103e", // SeriesDescription
            "00082111", // DerivationDescription
            "00082112", // SourceImageSequence
            "00089215", // DerivationCodeSequence
            "0020000e", // SeriesInstanceUID
            "00200011", // SeriesNumber
            "00280106", "00280107", // Smallest/LargestImagePixelValue: removed, they described the old values
            "7fe00010", // PixelData
            "fffcfffc"); // DataSetTrailingPadding: removed, it has no meaning (PS3.5 7.1)

    /**
     * Compares source and output element by element (top level, meta header aside) and the output's modality
     * values with the intended ones; prints key=value lines.
     */
    private static final String COMPARE = """
            import sys, numpy as np, pydicom
            src = pydicom.dcmread(sys.argv[1]); out = pydicom.dcmread(sys.argv[2])
            allowed = set(int(t, 16) for t in sys.argv[3].split(','))
            diffs = []
            for t in sorted(set(e.tag for e in src) | set(e.tag for e in out)):
                if int(t) in allowed: continue
                a, b = src.get(t), out.get(t)
                if a is None or b is None or a.value != b.value or a.VR != b.VR: diffs.append('%08x' % int(t))
            print('diffs=' + ','.join(diffs))
            print('privateCount=%d' % sum(1 for e in out if e.tag.is_private))
            print('privateSame=%s' % all(out.get(e.tag) is not None and out[e.tag].value == e.value for e in src if e.tag.is_private))
            intended = np.fromfile(sys.argv[4], dtype='<f4')
            raw = out.pixel_array
            slope = float(out.get('RescaleSlope', 1)); intercept = float(out.get('RescaleIntercept', 0))
            spp = int(out.get('SamplesPerPixel', 1)); frames = int(out.get('NumberOfFrames', 1) or 1)
            a = (raw.astype(np.float64) * slope + intercept).reshape((frames, out.Rows, out.Columns, spp))
            a = np.transpose(a, (3, 0, 1, 2)).ravel()
            ok = ~np.isnan(intended)
            print('maxError=%r' % float(np.max(np.abs(a[ok] - intended[ok].astype(np.float64)))))
            rawflat = np.transpose(raw.reshape((frames, out.Rows, out.Columns, spp)), (3, 0, 1, 2)).ravel()
            print('nanStored=%s' % ','.join(sorted(set(str(int(v)) for v in rawflat[~ok]))))
            print('slope=%r' % slope)
            print('transferSyntax=' + str(out.file_meta.TransferSyntaxUID))
            print('mediaSopInstance=' + str(out.file_meta.MediaStorageSOPInstanceUID))
            for k in ['SOPInstanceUID', 'SeriesInstanceUID', 'StudyInstanceUID', 'FrameOfReferenceUID', 'SeriesNumber',
                      'SeriesDescription', 'DerivationDescription', 'Rows', 'Columns', 'BitsStored', 'PixelRepresentation',
                      'PhotometricInterpretation', 'PlanarConfiguration', 'PixelPaddingValue']:
                print('%s=%s' % (k, out.get(k, '')))
            print('srcSeriesNumber=%s' % src.get('SeriesNumber', ''))
            print('srcSeriesDescription=%s' % src.get('SeriesDescription', ''))
            print('srcStudy=%s' % src.get('StudyInstanceUID', ''))
            print('srcFrameOfReference=%s' % src.get('FrameOfReferenceUID', ''))
            print('ImageType=' + '\\\\'.join(out.ImageType))
            print('srcImageType=' + '\\\\'.join(src.get('ImageType', [])))
            print('derivationCodes=' + ','.join(i.CodeValue + '/' + i.CodingSchemeDesignator for i in out.get('DerivationCodeSequence', [])))
            ref = out.SourceImageSequence[0]
            print('refOk=%s' % (ref.ReferencedSOPInstanceUID == src.SOPInstanceUID and ref.ReferencedSOPClassUID == src.SOPClassUID))
            for k in ['PixelSpacing', 'ImagePositionPatient', 'ImageOrientationPatient']:
                for name, ds in (('src', src), ('out', out)):
                    if k in ds: print('%s%s=%s' % (name, k, ','.join(repr(float(v)) for v in ds[k].value)))
            """;

    private final DicomFormat format = new DicomFormat();

    @TempDir
    Path tmp;

    private static Derivation derivation(String task, int scale) {
        return new Derivation(task, "test-perturbation", scale, Map.of("sigma", "3.5", "seed", "17"), "0.1.0-test");
    }

    /** The input plus a small deterministic perturbation, as a denoiser's output would differ from it. */
    private static Image perturbed(Image in, double amplitude) {
        float[] p = in.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (amplitude * Math.sin(i * 0.37));
        }
        return new Image(p, in.channels(), in.depth(), in.height(), in.width(), in.source());
    }

    private Map<String, String> writeAndCompare(Path source, Image result, Derivation d, Set<String> alsoChanged)
            throws Exception {
        Path target = tmp.resolve("out").resolve(format.outputFileName(source.getFileName().toString()));
        String before = DicomTestSupport.sha256(source);
        format.write(result, d, target);
        assertEquals(before, DicomTestSupport.sha256(source), "source unchanged");
        try (var names = Files.list(target.getParent())) {
            assertFalse(names.anyMatch(n -> n.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)), "no temp left");
        }

        DicomTestSupport.Run dump = DicomTestSupport.run(List.of("dcmdump", "-q", target.toString()));
        assertEquals(0, dump.exitCode(), "dcmdump: " + dump.stderr());
        assertTrue(dump.stderr().isBlank(), "dcmdump complains: " + dump.stderr());

        Set<String> newErrors = dciodvfyErrors(target);
        newErrors.removeAll(dciodvfyErrors(source));
        assertTrue(newErrors.isEmpty(), "dciodvfy errors the source did not have: " + newErrors);

        Path intended = tmp.resolve("intended.f32");
        ByteBuffer b = ByteBuffer.allocate(result.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(result.pixels());
        Files.write(intended, b.array());
        List<String> allowed = new ArrayList<>(ALWAYS_CHANGED);
        allowed.addAll(alsoChanged);
        String out = DicomTestSupport.python(COMPARE, source.toString(), target.toString(), String.join(",", allowed),
                intended.toString());
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals("", m.get("diffs"), "elements that changed but should not");
        assertEquals("True", m.get("privateSame"), "private elements identical");
        double slope = Double.parseDouble(m.get("slope"));
        assertTrue(Double.parseDouble(m.get("maxError")) <= slope * 1.0001,
                "round trip within one stored unit: " + m.get("maxError") + " > " + slope);
        assertEquals("1.2.840.10008.1.2.1", m.get("transferSyntax"));
        assertEquals(m.get("SOPInstanceUID"), m.get("mediaSopInstance"));
        assertEquals(m.get("srcStudy"), m.get("StudyInstanceUID"));
        assertEquals(m.get("srcFrameOfReference"), m.get("FrameOfReferenceUID"));
        assertTrue(m.get("SOPInstanceUID").startsWith("2.25.") && m.get("SeriesInstanceUID").startsWith("2.25."));
        assertTrue(m.get("ImageType").startsWith("DERIVED\\SECONDARY"), m.get("ImageType"));
        assertEquals(d.describe(), m.get("DerivationDescription"));
        assertEquals((m.get("srcSeriesDescription") + " [yax " + d.task() + "]").trim(), m.get("SeriesDescription"));
        assertEquals(Integer.parseInt(m.get("srcSeriesNumber").isEmpty() ? "0" : m.get("srcSeriesNumber")) + 1000,
                Integer.parseInt(m.get("SeriesNumber")));
        assertEquals("True", m.get("refOk"), "SourceImageSequence references the source");
        return m;
    }

    private static Set<String> dciodvfyErrors(Path file) throws IOException, InterruptedException {
        DicomTestSupport.Run r = DicomTestSupport.run(List.of("dciodvfy", file.toString()));
        Set<String> errors = new TreeSet<>();
        for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
            if (line.startsWith("Error")) {
                errors.add(line.trim());
            }
        }
        return errors;
    }

    @Test
    void denoisedCtKeepsItsRepresentation() throws Exception {
        Path ct = DicomTestSupport.sample("archive/dicom/CT_small.dcm");
        Image in = format.read(ct);
        Map<String, String> m = writeAndCompare(ct, perturbed(in, 2.5), derivation("denoise", 1), Set.of());
        assertEquals("1.0", m.get("slope"));
        assertEquals("113087/DCM", m.get("derivationCodes"));
        assertTrue(Integer.parseInt(m.get("privateCount")) > 0, "CT_small has private elements to keep");
    }

    @Test
    void wideRangeResultGetsANewRescaleAndNanBecomesTheLowestStoredValue() throws Exception {
        Path ct = DicomTestSupport.sample("archive/dicom/CT_small.dcm");
        Image in = format.read(ct);
        float[] p = in.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] * 37.25f - 12345.5f; // about -45000 .. 31000: does not fit int16 with slope 1
        }
        p[0] = Float.NaN;
        p[777] = Float.NaN;
        Image result = new Image(p, 1, 1, in.height(), in.width(), in.source());
        Map<String, String> m = writeAndCompare(ct, result, derivation("denoise", 1), Set.of("00281052", "00281053", "00280120"));
        assertNotEquals("1.0", m.get("slope"));
        // CT_small has a PixelPaddingValue: under the new rescale it moves to the reserved lowest value
        assertEquals("-32768", m.get("nanStored"), "NaN -> the minimum stored value");
        assertEquals("-32768", m.get("PixelPaddingValue"));
    }

    @Test
    void denoisedMrWithoutRescaleIsRounded() throws Exception {
        Path mr = DicomTestSupport.sample("archive/dicom/MR_small.dcm");
        Image in = format.read(mr);
        Map<String, String> m = writeAndCompare(mr, perturbed(in, 1.7), derivation("denoise", 1), Set.of());
        assertEquals("1.0", m.get("slope"));
        assertTrue(Double.parseDouble(m.get("maxError")) <= 0.5001, "integer rounding: " + m.get("maxError"));
    }

    @Test
    void colourMultiFrameRoundTrips() throws Exception {
        Path rgb = DicomTestSupport.pydicomFile("SC_rgb_rle_2frame.dcm");
        Image in = format.read(rgb);
        // RLE source: the derived file is uncompressed, so only the intended elements differ
        Map<String, String> m = writeAndCompare(rgb, perturbed(in, 0.3), derivation("denoise", 1), Set.of());
        assertEquals("RGB", m.get("PhotometricInterpretation"));
    }

    @Test
    void chromaSubsampledSourceIsWrittenAsFullYbr() throws Exception {
        Path ybr = DicomTestSupport.pydicomFile("SC_ybr_full_422_uncompressed.dcm");
        Image in = format.read(ybr);
        // read as YBR_FULL (each pixel its pair's chroma); the derived pixels are no longer pairwise equal
        Map<String, String> m = writeAndCompare(ybr, perturbed(in, 0.3), derivation("denoise", 1), Set.of("00280004"));
        assertEquals("YBR_FULL", m.get("PhotometricInterpretation"));
    }

    @Test
    void implicitVrDataSetUnderAnExplicitMetaHeaderIsWrittenAsExplicitVr() throws Exception {
        Path jpeg = DicomTestSupport.pydicomFile("SC_rgb_jpeg.dcm");
        Image in = format.read(jpeg);
        assertTrue(((DicomSource) in.source()).implicitVrDataSet());
        // a JPEG source: the derived file is uncompressed explicit VR little endian (checked in writeAndCompare)
        Map<String, String> m = writeAndCompare(jpeg, perturbed(in, 0.3), derivation("denoise", 1), Set.of());
        assertEquals("RGB", m.get("PhotometricInterpretation"));
        assertFalse(((DicomSource) format.read(tmp.resolve("out").resolve(format.outputFileName("SC_rgb_jpeg.dcm")))
                .source()).implicitVrDataSet(), "the derived file is explicit VR throughout");
    }

    @Test
    void superResolutionKeepsTheFieldOfView() throws Exception {
        Path ct = DicomTestSupport.sample("archive/dicom/CT_small.dcm");
        Image in = format.read(ct);
        int s = 2;
        int h = in.height() * s;
        int w = in.width() * s;
        float[] up = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                up[y * w + x] = in.get(0, 0, y / s, x / s);
            }
        }
        Image result = new Image(up, 1, 1, h, w, in.source());
        Map<String, String> m = writeAndCompare(ct, result, derivation("sr", s),
                Set.of("00280010", "00280011", "00280030", "00200032"));
        assertEquals("256", m.get("Rows"));
        assertEquals("256", m.get("Columns"));
        assertEquals("113085/DCM", m.get("derivationCodes"));
        double[] oldSpacing = doubles(m.get("srcPixelSpacing"));
        double[] newSpacing = doubles(m.get("outPixelSpacing"));
        double[] iop = doubles(m.get("srcImageOrientationPatient"));
        double[] oldIpp = doubles(m.get("srcImagePositionPatient"));
        double[] newIpp = doubles(m.get("outImagePositionPatient"));
        assertEquals(oldSpacing[0] / s, newSpacing[0], 1e-6);
        assertEquals(oldSpacing[1] / s, newSpacing[1], 1e-6);
        for (int k = 0; k < 3; k++) {
            // first new pixel centre: a quarter of an old pixel back along the row and the column direction
            double expected = oldIpp[k] - 0.25 * (iop[k] * oldSpacing[1] + iop[3 + k] * oldSpacing[0]);
            assertEquals(expected, newIpp[k], 1e-5, "ImagePositionPatient[" + k + "]");
        }
        // the outer edges of the field of view stay put: old first-pixel edge == new first-pixel edge
        assertEquals(oldIpp[0] - oldSpacing[1] / 2, newIpp[0] - newSpacing[1] / 2, 1e-5);
    }

    @Test
    void derivedSeriesUidIsSharedBySlicesOfOneRunAndInstanceUidsAreUnique() throws Exception {
        Path ct = DicomTestSupport.sample("archive/dicom/CT_small.dcm");
        Image in = format.read(ct);
        Path a = tmp.resolve("a/CT_small.dcm");
        Path b = tmp.resolve("b/CT_small.dcm");
        Path c = tmp.resolve("c/CT_small.dcm");
        format.write(in, derivation("denoise", 1), a);
        format.write(in, derivation("denoise", 1), b);
        format.write(in, new Derivation("denoise", "tv", 1, Map.of("sigma", "9"), "0.1.0-test"), c);
        DicomSource sa = (DicomSource) format.read(a).source();
        DicomSource sb = (DicomSource) format.read(b).source();
        DicomSource sc = (DicomSource) format.read(c).source();
        assertEquals(sa.seriesInstanceUid(), sb.seriesInstanceUid());
        assertNotEquals(sa.seriesInstanceUid(), sc.seriesInstanceUid());
        assertNotEquals(sa.sopInstanceUid(), sb.sopInstanceUid());
        assertNotEquals(((DicomSource) in.source()).seriesInstanceUid(), sa.seriesInstanceUid());
        assertEquals("CT_small.dcm", format.outputFileName("CT_small.dcm"));
    }

    private static double[] doubles(String csv) {
        String[] parts = csv.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Double.parseDouble(parts[i]);
        }
        return v;
    }
}
