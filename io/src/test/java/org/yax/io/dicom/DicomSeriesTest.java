package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;

/** Series discovery, grouping, sorting, splitting and skipping, and reading a stack with DicomSeriesSource and writing it back with DicomSeriesWriter, on the phantom series. */
class DicomSeriesTest {
    private static final int SLICES = 20;
    @TempDir
    Path tmp;

    private static Path phantom(int i) {
        return DicomTestSupport.sample(String.format("archive/dicom/phantom-ct/IM%04d.dcm", i));
    }

    /** z of ImagePositionPatient (the phantom is axial, normal +z) as dcmdump prints it. */
    private static double ippZ(Path file) throws Exception {
        DicomTestSupport.Run r = DicomTestSupport.run(List.of("dcmdump", "+P", "0020,0032", file.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        String v = r.stdout().substring(r.stdout().indexOf('[') + 1, r.stdout().indexOf(']'));
        return Double.parseDouble(v.split("\\\\")[2]);
    }

    private static void dcmodify(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        DicomTestSupport.Run r = DicomTestSupport.run(cmd);
        assertEquals(0, r.exitCode(), "dcmodify failed: " + r.stderr());
    }

    /** Copies of the phantom slices (except those in {@code drop}) under shuffled names, InstanceNumbers reversed. */
    private Map<Path, Integer> shuffledCopy(Path dir, int... drop) throws Exception {
        Files.createDirectories(dir);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= SLICES; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        Map<Path, Integer> original = new HashMap<>();
        for (int k = 0; k < SLICES; k++) {
            int i = order.get(k);
            if (java.util.Arrays.stream(drop).anyMatch(d -> d == i)) {
                continue;
            }
            Path copy = dir.resolve(String.format("X%02d.dcm", k));
            Files.copy(phantom(i), copy);
            dcmodify(copy, "-m", "(0020,0013)=" + (SLICES + 1 - i));
            original.put(copy, i);
        }
        return original;
    }

    @Test
    void sortsAlongTheNormalNotByInstanceNumberOrName() throws Exception {
        Map<Path, Integer> original = shuffledCopy(tmp.resolve("s"));
        SeriesAssembly a = SeriesAssembler.assemble(tmp.resolve("s"));
        assertEquals(List.of(), a.skipped());
        assertEquals(1, a.series().size(), a.series().toString());
        DicomSeries s = a.series().get(0);
        assertEquals(SLICES, s.slices());
        assertEquals(3.0, s.sliceSpacing(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 1}, s.normal(), 1e-12);
        assertEquals(List.of(), s.warnings());
        double previous = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < SLICES; z++) {
            Path f = s.files().get(z);
            double zPos = ippZ(f);
            assertTrue(zPos > previous, "not increasing at " + z);
            assertEquals(zPos, s.positions()[z], 1e-9);
            previous = zPos;
        }
        // the phantom's IM0001 is the lowest slice: spatial order is the original file order
        for (int z = 0; z < SLICES; z++) {
            assertEquals(z + 1, original.get(s.files().get(z)));
        }
    }

    @Test
    void aMissingSliceSplitsTheStackAndSaysWhere() throws Exception {
        shuffledCopy(tmp.resolve("gap"), 8);
        SeriesAssembly a = SeriesAssembler.assemble(tmp.resolve("gap"));
        assertEquals(2, a.series().size(), a.series().toString());
        assertEquals(7, a.series().get(0).slices());
        assertEquals(12, a.series().get(1).slices());
        for (DicomSeries s : a.series()) {
            assertEquals(3.0, s.sliceSpacing(), 1e-9);
            assertEquals(2, s.parts());
            assertTrue(s.warnings().stream().anyMatch(w -> w.contains("non-uniform slice spacing") && w.contains("gap of 6")),
                    s.warnings().toString());
        }
        assertEquals(-10.5, a.series().get(0).positions()[6], 1e-9);
        assertEquals(-4.5, a.series().get(1).positions()[0], 1e-9);
    }

    @Test
    void aDifferentlyOrientedSliceIsSplitOffAndDuplicatesLocalisersAndNonImagesAreSkipped() throws Exception {
        Path dir = tmp.resolve("mixed");
        shuffledCopy(dir);
        Path sagittal = dir.resolve("SAG.dcm");
        Files.copy(phantom(5), sagittal);
        dcmodify(sagittal, "-gin", "-m", "(0020,0037)=0\\1\\0\\0\\0\\-1");
        Path localizer = dir.resolve("LOC.dcm");
        Files.copy(phantom(6), localizer);
        dcmodify(localizer, "-gin", "-m", "(0008,0008)=ORIGINAL\\PRIMARY\\LOCALIZER");
        Path duplicate = dir.resolve("sub/ZZ_DUP.dcm");
        Files.createDirectories(duplicate.getParent());
        Files.copy(dir.resolve("X03.dcm"), duplicate);
        Files.copy(DicomTestSupport.pydicomFile("rtplan.dcm"), dir.resolve("sub/rtplan.dcm"));
        Files.copy(DicomTestSupport.pydicomFile("rtstruct.dcm"), dir.resolve("sub/rtstruct.dcm"));
        Files.copy(DicomTestSupport.pydicomFile("test-SR.dcm"), dir.resolve("sub/sr.dcm"));
        Files.writeString(dir.resolve("notes.txt"), "not DICOM");

        SeriesAssembly a = SeriesAssembler.assemble(dir);
        assertEquals(2, a.series().size(), a.series().toString());
        DicomSeries axial = a.series().stream().filter(s -> s.slices() == SLICES).findFirst().orElseThrow();
        DicomSeries other = a.series().stream().filter(s -> s.slices() == 1).findFirst().orElseThrow();
        assertEquals(sagittal, other.files().get(0));
        assertEquals(3.0, axial.sliceSpacing(), 1e-9);
        assertTrue(axial.warnings().get(0).contains("mixes 2 geometries"), axial.warnings().toString());
        assertArrayEquals(new double[] {-1, 0, 0}, other.normal(), 1e-12);

        Map<String, String> reasons = new HashMap<>();
        a.skipped().forEach(s -> reasons.put(s.file().getFileName().toString(), s.reason()));
        assertEquals(5, reasons.size(), reasons.toString()); // notes.txt is not even discovered
        assertTrue(reasons.get("LOC.dcm").startsWith("localizer"), reasons.toString());
        assertTrue(reasons.get("ZZ_DUP.dcm").startsWith("duplicate SOP Instance UID"), reasons.toString());
        assertTrue(reasons.get("ZZ_DUP.dcm").contains("X03.dcm"), reasons.toString());
        assertTrue(reasons.get("rtplan.dcm").contains("RT Plan"), reasons.toString());
        assertTrue(reasons.get("rtstruct.dcm").contains("RT Structure Set"), reasons.toString());
        assertTrue(reasons.get("sr.dcm").startsWith("not an image: SOP class 1.2.840.10008.5.1.4.1.1.88"), reasons.toString());
    }

    @Test
    void dicomdirMadeByDcmmkdirListsTheSeries() throws Exception {
        Path media = tmp.resolve("media");
        Files.createDirectories(media.resolve("CT"));
        for (int i = 1; i <= SLICES; i++) {
            Files.copy(phantom(i), media.resolve(String.format("CT/IM%04d", SLICES + 1 - i))); // names opposite to space
        }
        DicomTestSupport.Run r = DicomTestSupport.run(List.of("dcmmkdir", "+r", "+I", "+id", media.toString(),
                "+D", media.resolve("DICOMDIR").toString()));
        assertEquals(0, r.exitCode(), "dcmmkdir failed: " + r.stderr() + r.stdout());

        List<Path> listed = DicomHeaders.referencedFiles(media.resolve("DICOMDIR"));
        assertEquals(SLICES, listed.size(), listed.toString());
        SeriesAssembly a = SeriesAssembler.assemble(media.resolve("DICOMDIR"));
        assertEquals(1, a.series().size());
        assertEquals(List.of(), a.skipped());
        assertEquals(media.resolve("CT/IM0020").toAbsolutePath(), a.series().get(0).files().get(0));
        assertEquals(3.0, a.series().get(0).sliceSpacing(), 1e-9);

        // walking the folder finds the DICOMDIR too, and leaves it out with a reason
        SeriesAssembly walked = SeriesAssembler.assemble(media);
        assertEquals(SLICES, walked.series().get(0).slices());
        assertEquals(1, walked.skipped().size());
        assertTrue(walked.skipped().get(0).reason().startsWith("DICOMDIR"), walked.skipped().toString());
    }

    /** pydicom's own DICOMDIR variants (implicit, big endian, reordered records): same files as pydicom lists. */
    @Test
    void realDicomdirsListTheFilesPydicomLists() throws Exception {
        for (String name : List.of("DICOMDIR", "DICOMDIR-implicit", "DICOMDIR-bigEnd", "DICOMDIR-reordered",
                "TINY_ALPHA/DICOMDIR")) {
            Path dicomdir = DicomTestSupport.pydicomFile("dicomdirtests/" + name);
            String expected = DicomTestSupport.python("""
                    import sys, os, pydicom, warnings
                    warnings.simplefilter('ignore')
                    ds = pydicom.dcmread(sys.argv[1])
                    for r in ds.DirectoryRecordSequence:
                        if 'ReferencedFileID' in r:
                            v = r.ReferencedFileID
                            print(os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), *([v] if isinstance(v, str) else list(v))))
                    """, dicomdir.toString());
            List<Path> ours = DicomHeaders.referencedFiles(dicomdir);
            assertEquals(expected.lines().map(Path::of).toList(), ours, name);
            assertTrue(ours.stream().allMatch(Files::isRegularFile), name);
        }
    }

    @Test
    void volumeReadsSlicesInSpatialOrderAndWritesBackOneNewSeries() throws Exception {
        shuffledCopy(tmp.resolve("in"));
        DicomSeries s = SeriesAssembler.assemble(tmp.resolve("in")).series().get(0);
        Derivation d = new Derivation("denoise", "tv", 1, Map.of("lambda", "0.1"), "test");
        Path out = tmp.resolve("out");
        List<Path> written;
        try (DicomSeriesSource volume = DicomSeriesSource.open(s, tmp, Progress.NONE);
             DicomSeriesWriter writer = new DicomSeriesWriter(d)) {
            assertEquals(SLICES, volume.depth());
            for (int z : new int[] {0, 9, 19}) {
                Image slice = new DicomFormat().read(phantom(z + 1));
                assertArrayEquals(slice.pixels(), volume.slice(z));
            }
            for (int z = 0; z < SLICES; z++) {
                float[] px = volume.slice(z);
                for (int i = 0; i < px.length; i++) {
                    px[i] = px[i] * 0.5f + 10f; // a stand-in for a processed result
                }
                writer.write(volume, z, px, out.resolve(volume.file(z).getFileName()));
            }
            writer.commit();
            written = writer.written();
        }
        assertEquals(SLICES, written.size());
        for (int z = 0; z < SLICES; z++) {
            assertEquals(s.files().get(z).getFileName(), written.get(z).getFileName());
            assertTrue(Files.isRegularFile(written.get(z)));
        }
        String report = DicomTestSupport.python("""
                import sys, glob, pydicom, numpy as np
                src = {pydicom.dcmread(f).SOPInstanceUID: pydicom.dcmread(f) for f in glob.glob(sys.argv[1] + '/*.dcm')}
                out = [pydicom.dcmread(f) for f in sorted(glob.glob(sys.argv[2] + '/*.dcm'))]
                print('studies=%d' % len(set(o.StudyInstanceUID for o in out)))
                print('series=%d' % len(set(o.SeriesInstanceUID for o in out)))
                s0 = next(iter(src.values()))
                print('sameStudy=%s' % (out[0].StudyInstanceUID == s0.StudyInstanceUID))
                print('newSeries=%s' % (out[0].SeriesInstanceUID != s0.SeriesInstanceUID))
                bad = 0; err = 0.0
                for o in out:
                    ref = src[o.SourceImageSequence[0].ReferencedSOPInstanceUID]
                    if [float(v) for v in o.ImagePositionPatient] != [float(v) for v in ref.ImagePositionPatient]: bad += 1
                    if o.InstanceNumber != ref.InstanceNumber: bad += 1
                    a = o.pixel_array * float(o.RescaleSlope) + float(o.RescaleIntercept)
                    b = (ref.pixel_array * float(ref.RescaleSlope) + float(ref.RescaleIntercept)) * 0.5 + 10
                    err = max(err, float(np.max(np.abs(a - b))))
                print('positionMismatches=%d' % bad)
                print('maxError=%r' % err)
                """, tmp.resolve("in").toString(), out.toString());
        assertTrue(report.contains("studies=1\n"), report);
        assertTrue(report.contains("series=1\n"), report);
        assertTrue(report.contains("sameStudy=True"), report);
        assertTrue(report.contains("newSeries=True"), report);
        assertTrue(report.contains("positionMismatches=0"), report);
        double maxError = Double.parseDouble(report.substring(report.indexOf("maxError=") + 9).trim());
        assertTrue(maxError <= 0.51, report); // the written CT rescale stores to 1 HU / 2 (integer rounding)

        SeriesAssembly again = SeriesAssembler.assemble(out);
        assertEquals(1, again.series().size());
        assertEquals(3.0, again.series().get(0).sliceSpacing(), 1e-9);
        assertNotEquals(s.seriesInstanceUid(), again.series().get(0).seriesInstanceUid());
    }

    @Test
    void superResolvedSeriesGetsRefinedGeometryOnEverySlice() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        for (int i = 1; i <= 4; i++) {
            Files.copy(phantom(i), in.resolve(phantom(i).getFileName()));
        }
        DicomSeries s = SeriesAssembler.assemble(in).series().get(0);
        Path out = tmp.resolve("sr");
        int h;
        try (DicomSeriesSource v = DicomSeriesSource.open(s, tmp, Progress.NONE);
             DicomSeriesWriter writer = new DicomSeriesWriter(new Derivation("sr", "tv", 2, Map.of(), "test"))) {
            h = v.height() * 2;
            int w = v.width() * 2;
            for (int z = 0; z < v.depth(); z++) {
                float[] lo = v.slice(z);
                float[] up = new float[h * w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        up[y * w + x] = lo[(y / 2) * v.width() + x / 2];
                    }
                }
                writer.write(v, z, up, out.resolve(v.file(z).getFileName()));
            }
            writer.commit();
        }
        SeriesAssembly a = SeriesAssembler.assemble(out);
        assertEquals(1, a.series().size());
        DicomSeries r = a.series().get(0);
        assertEquals(h, r.rows());
        assertEquals(3.0, r.sliceSpacing(), 1e-9);
        String report = DicomTestSupport.python("""
                import sys, glob, pydicom
                for f in sorted(glob.glob(sys.argv[1] + '/*.dcm')):
                    o = pydicom.dcmread(f)
                    print('%s %s %s' % (o.Rows, '/'.join(str(float(v)) for v in o.PixelSpacing),
                                        '/'.join(str(float(v)) for v in o.ImagePositionPatient)))
                """, out.toString());
        assertEquals("""
                512 0.45/0.45 -114.975/-114.975/-28.5
                512 0.45/0.45 -114.975/-114.975/-25.5
                512 0.45/0.45 -114.975/-114.975/-22.5
                512 0.45/0.45 -114.975/-114.975/-19.5
                """, report);
    }
}
