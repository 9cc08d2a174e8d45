package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.io.AtomicFiles;
import org.yax.io.ImageFileException;

/** DicomSeriesSource on the generated CT phantom series: geometry, decode once, broken slices, the scratch file. */
class DicomSeriesSourceTest {
    private static final int SLICES = 20;
    @TempDir
    Path tmp;

    private static Path phantom(int i) {
        return DicomTestSupport.sample(String.format("archive/dicom/phantom-ct/IM%04d.dcm", i));
    }

    private static DicomSeries phantomSeries() {
        SeriesAssembly a = SeriesAssembler.assemble(
                java.util.stream.IntStream.rangeClosed(1, SLICES).mapToObj(DicomSeriesSourceTest::phantom).toList());
        assertEquals(1, a.series().size(), a.toString());
        return a.series().get(0);
    }

    /** Copies slices {@code from..to} of the phantom into {@code dir}. */
    private static Path copy(Path dir, int from, int to) throws IOException {
        Files.createDirectories(dir);
        for (int i = from; i <= to; i++) {
            Files.copy(phantom(i), dir.resolve(phantom(i).getFileName()));
        }
        return dir;
    }

    @Test
    void geometryIsWhatPydicomReads() throws Exception {
        DicomSeries series = phantomSeries();
        String py = DicomTestSupport.python("""
                import sys, pydicom
                for f in sys.argv[1:]:
                    d = pydicom.dcmread(f, stop_before_pixels=True)
                    print(' '.join(str(float(v)) for v in list(d.PixelSpacing) + list(d.ImageOrientationPatient)
                                   + list(d.ImagePositionPatient)), d.SamplesPerPixel, d.Rows, d.Columns)
                """, series.files().stream().map(Path::toString).toArray(String[]::new));
        List<String> lines = py.lines().toList();
        try (DicomSeriesSource source = DicomSeriesSource.open(series, tmp, Progress.NONE)) {
            assertEquals(List.of(), source.broken());
            assertEquals(List.of(source), source.parts());
            assertEquals(SLICES, source.depth());
            for (int z = 0; z < SLICES; z++) {
                String[] v = lines.get(z).split(" ");
                double[] d = Arrays.stream(v, 0, 11).mapToDouble(Double::parseDouble).toArray();
                assertArrayEquals(Arrays.copyOfRange(d, 0, 2), source.pixelSpacing(), 1e-12);
                assertArrayEquals(Arrays.copyOfRange(d, 2, 8), source.orientation(), 1e-12);
                assertArrayEquals(Arrays.copyOfRange(d, 8, 11), source.imagePosition(z), 1e-9);
                assertEquals(Integer.parseInt(v[11]), source.samplesPerPixel());
                assertEquals(Integer.parseInt(v[12]), source.height());
                assertEquals(Integer.parseInt(v[13]), source.width());
                assertEquals(series.files().get(z), source.file(z));
            }
            // the manifest's geometry: 3 mm slices
            assertEquals(3.0, source.sliceSpacing(), 1e-9);
        }
    }

    /** PixelSpacing is [row spacing, column spacing]: a non-square pixel keeps its order. */
    @Test
    void pixelSpacingKeepsRowThenColumn() throws Exception {
        Path dir = copy(tmp.resolve("aniso"), 1, 3);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                DicomTestSupport.Run r = DicomTestSupport.run(List.of("dcmodify", "-nb", "-m", "(0028,0030)=0.5\\0.8",
                        f.toString()));
                assertEquals(0, r.exitCode(), r.stderr());
            }
        }
        DicomSeries s = SeriesAssembler.assemble(dir).series().get(0);
        String rowSpacing = DicomTestSupport.python("""
                import sys, pydicom
                print(float(pydicom.dcmread(sys.argv[1]).PixelSpacing[0]))
                """, s.files().get(0).toString()).trim();
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp, Progress.NONE)) {
            assertEquals(Double.parseDouble(rowSpacing), source.pixelSpacing()[0]);
            assertArrayEquals(new double[] {0.5, 0.8}, source.pixelSpacing());
        }
    }

    @Test
    void everySliceIsDecodedOnceHoweverOftenItIsRead() throws Exception {
        DicomSeries series = phantomSeries();
        AtomicInteger decodes = new AtomicInteger();
        try (DicomSeriesSource source = DicomSeriesSource.open(series, tmp, Progress.NONE, f -> {
            decodes.incrementAndGet();
            return DicomReader.read(f);
        })) {
            assertEquals(SLICES, decodes.get());
            for (int pass = 0; pass < 2; pass++) { // a solver's measuring pass, then its solving pass
                for (int z = 0; z < SLICES; z++) {
                    float[] px = source.slice(z);
                    if (pass == 0 && (z == 0 || z == 7 || z == SLICES - 1)) {
                        assertArrayEquals(DicomReader.read(series.files().get(z)).pixels(), px);
                        DicomSeriesSource.SliceStatistics st = source.statistics(z);
                        double min = Double.MAX_VALUE;
                        double max = -Double.MAX_VALUE;
                        double sum = 0;
                        for (float v : px) {
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                            sum += v;
                        }
                        assertEquals(new DicomSeriesSource.SliceStatistics(min, max, sum, px.length), st);
                    }
                }
            }
            Image image = source.image(4);
            assertEquals(source.header(4).sopInstanceUid(),
                    ((DicomSource) DicomReader.read(series.files().get(4)).source()).sopInstanceUid());
            assertEquals(1, image.channels());
            assertEquals(SLICES, decodes.get());
        }
    }

    @Test
    void aTruncatedSliceIsReportedWithItsReasonAndTheOthersRead() throws Exception {
        Path dir = copy(tmp.resolve("broken"), 1, 6);
        Path bad = dir.resolve("IM0003.dcm");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(bytes, bytes.length - 20000));
        String expected = assertThrows(ImageFileException.class, () -> new DicomFormat().read(bad)).reason();
        DicomSeries s = SeriesAssembler.assemble(dir).series().get(0); // headers are intact: one stack of 6
        assertEquals(6, s.slices());
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp, Progress.NONE)) {
            assertEquals(List.of(new SkippedFile(bad, expected)), source.broken());
            assertTrue(expected.contains("truncated"), expected);
            assertEquals(5, source.depth());
            // the gap splits the readable slices into two uniform stacks, read from the same scratch file
            assertEquals(2, source.parts().size());
            DicomSeriesSource low = source.parts().get(0);
            DicomSeriesSource high = source.parts().get(1);
            assertEquals(List.of(dir.resolve("IM0001.dcm"), dir.resolve("IM0002.dcm")), low.series().files());
            assertEquals(3, high.depth());
            assertEquals(3.0, low.sliceSpacing(), 1e-9);
            assertEquals(3.0, high.sliceSpacing(), 1e-9);
            assertTrue(Double.isNaN(source.sliceSpacing()));
            assertArrayEquals(DicomReader.read(dir.resolve("IM0004.dcm")).pixels(), high.slice(0));
            assertEquals(dir.resolve("IM0006.dcm"), high.file(2));
            assertArrayEquals(new double[] {-114.75, -114.75, -13.5}, high.imagePosition(2), 1e-9);
        }
    }

    @Test
    void aBrokenEndSliceLeavesOneUniformStack() throws Exception {
        Path dir = copy(tmp.resolve("end"), 1, 4);
        Files.write(dir.resolve("IM0004.dcm"), Arrays.copyOf(Files.readAllBytes(dir.resolve("IM0004.dcm")), 2000));
        DicomSeries s = SeriesAssembler.assemble(dir).series().get(0);
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp, Progress.NONE)) {
            assertEquals(1, source.broken().size());
            assertSame(source, source.parts().get(0));
            assertEquals(3, source.depth());
            assertEquals(3.0, source.sliceSpacing(), 1e-9);
        }
    }

    @Test
    void whenNoSliceDecodesThereIsNothingToReconstruct() throws Exception {
        Path dir = copy(tmp.resolve("none"), 1, 2);
        DicomSeries s = SeriesAssembler.assemble(dir).series().get(0);
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve(phantom(i).getFileName());
            Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 3000));
        }
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp, Progress.NONE)) {
            assertEquals(2, source.broken().size());
            assertEquals(List.of(), source.parts());
            assertEquals(0, source.depth());
        }
    }

    @Test
    void theScratchFileIsNamedForTheProjectAndDeletedOnClose() throws Exception {
        Path scratchDir = tmp.resolve("scratch");
        DicomSeriesSource source = DicomSeriesSource.open(phantomSeries(), scratchDir, Progress.NONE);
        List<Path> scratch;
        try (Stream<Path> l = Files.list(scratchDir)) {
            scratch = l.toList();
        }
        assertEquals(1, scratch.size(), scratch.toString());
        assertTrue(scratch.get(0).getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX), scratch.toString());
        // decoded floats and the headers: the volume is on disk, not in memory
        assertTrue(Files.size(scratch.get(0)) > (long) SLICES * 256 * 256 * Float.BYTES);
        source.close();
        assertFalse(Files.exists(scratch.get(0)));
        assertThrows(IOException.class, () -> source.slice(0));
    }

    @Test
    void cancellingTheDecodingPassDeletesTheScratchFile() throws Exception {
        Path scratchDir = tmp.resolve("cancel");
        AtomicInteger reports = new AtomicInteger();
        Progress cancelAfterThree = new Progress() {
            @Override public void report(double fraction, String message) { reports.incrementAndGet(); }
            @Override public boolean isCancelled() { return reports.get() >= 3; }
        };
        assertThrows(Progress.CancelledException.class,
                () -> DicomSeriesSource.open(phantomSeries(), scratchDir, cancelAfterThree));
        try (Stream<Path> l = Files.list(scratchDir)) {
            assertEquals(List.of(), l.toList());
        }
    }

    @Test
    void aColourStackIsReadAsImagesNotAsSingleChannelSlices() throws Exception {
        Path f = DicomTestSupport.pydicomFile("SC_rgb_small_odd.dcm");
        DicomSeries s = SeriesAssembler.assemble(List.of(f)).series().get(0);
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp, Progress.NONE)) {
            assertEquals(3, source.samplesPerPixel());
            assertThrows(IllegalStateException.class, () -> source.slice(0));
            Image image = source.image(0);
            assertNotNull(image.source());
            assertArrayEquals(DicomReader.read(f).pixels(), image.pixels());
        }
    }
}
