package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.io.ImageFileException;

/** DicomSeriesWriter: the same bytes as DicomFormat.write, one derived series, nothing left behind on failure. */
class DicomSeriesWriterTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 3, 12, 34, 56, 789_000_000);
    private static final String UID = "2.25.1234567890";
    private static final Derivation DENOISE = new Derivation("denoise", "tv", 1, Map.of("sigma", "40"), "test");
    @TempDir
    Path tmp;

    private static Path phantom(int i) {
        return DicomTestSupport.sample(String.format("archive/dicom/phantom-ct/IM%04d.dcm", i));
    }

    private static DicomSeries stackOf(Path... files) {
        SeriesAssembly a = SeriesAssembler.assemble(List.of(files));
        assertEquals(List.of(), a.skipped());
        assertEquals(1, a.series().size());
        return a.series().get(0);
    }

    private static float[] processed(float[] px) {
        float[] out = px.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] * 0.75f + 3.25f;
        }
        return out;
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> l = Files.list(dir)) {
            return l.sorted().toList();
        }
    }

    /**
     * Through the scratch file's header and pixels, the bytes DicomFormat.write produces from a fresh decode (same
     * creation time and instance UID): CT, implicit VR, big endian, RLE, JPEG 2000, JPEG colour, YBR 4:2:2, padding.
     */
    @Test
    void writesTheBytesDicomFormatWrites() throws Exception {
        List<Path> files = new ArrayList<>(List.of(phantom(7)));
        for (String name : List.of("CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
                "JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_ybr_full_422_uncompressed.dcm", "MR_small_padded.dcm",
                "image_dfl.dcm")) {
            files.add(DicomTestSupport.pydicomFile(name));
        }
        for (Path f : files) {
            Path ours = tmp.resolve("series/" + f.getFileName());
            Path reference = tmp.resolve("single/" + f.getFileName());
            try (DicomSeriesSource source = DicomSeriesSource.open(stackOf(f), tmp, Progress.NONE);
                 DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE, () -> NOW, () -> UID)) {
                assertEquals(List.of(), source.broken(), f.toString());
                float[] px = processed(source.image(0).pixels());
                writer.write(source, 0, px, ours);
                writer.commit();
                Image fresh = DicomReader.read(f);
                DicomWriter.write(new Image(px, fresh.channels(), 1, fresh.height(), fresh.width(), fresh.source()),
                        DENOISE, reference, NOW, UID);
            }
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(ours), f.toString());
        }
    }

    @Test
    void aFailureHalfWayDeletesEverySliceWritten() throws Exception {
        DicomSeries s = stackOf(phantom(1), phantom(2), phantom(3), phantom(4));
        Path out = tmp.resolve("out");
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp.resolve("scratch"), Progress.NONE)) {
            assertThrows(IllegalArgumentException.class, () -> {
                try (DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE)) {
                    for (int z = 0; z < source.depth(); z++) {
                        float[] px = z == 3 ? new float[7] : source.slice(z); // the solver breaks at slice 3
                        writer.write(source, z, px, out.resolve(source.file(z).getFileName()));
                        assertEquals(z + 1, filesIn(out).size());
                    }
                    writer.commit();
                }
            });
        }
        assertEquals(List.of(), filesIn(out)); // no slice, no temporary file
    }

    @Test
    void aWriteThatFailsLeavesNoTemporaryFileAndRollbackRemovesTheRest() throws Exception {
        DicomSeries s = stackOf(phantom(1), phantom(2));
        Path out = tmp.resolve("out");
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp.resolve("scratch"), Progress.NONE);
             DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE)) {
            writer.write(source, 0, source.slice(0), out.resolve("a.dcm"));
            Files.createDirectories(out.resolve("b.dcm")); // a folder where the slice should go
            assertThrows(ImageFileException.class, () -> writer.write(source, 1, source.slice(1), out.resolve("b.dcm")));
            assertEquals(List.of(out.resolve("a.dcm")), writer.written());
            writer.rollback();
            assertEquals(List.of(out.resolve("b.dcm")), filesIn(out));
            assertThrows(IllegalStateException.class, () -> writer.write(source, 0, source.slice(0), out.resolve("c.dcm")));
        }
    }

    @Test
    void cancelRollsBackAndCommitKeeps() throws Exception {
        DicomSeries s = stackOf(phantom(1), phantom(2), phantom(3));
        Path cancelled = tmp.resolve("cancelled");
        Path kept = tmp.resolve("kept");
        try (DicomSeriesSource source = DicomSeriesSource.open(s, tmp.resolve("scratch"), Progress.NONE)) {
            Progress cancelAtTwo = new Progress() {
                int z;
                @Override public void report(double fraction, String message) { z++; }
                @Override public boolean isCancelled() { return z >= 2; }
            };
            assertThrows(Progress.CancelledException.class, () -> {
                try (DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE)) {
                    for (int z = 0; z < source.depth(); z++) {
                        cancelAtTwo.checkCancelled();
                        writer.write(source, z, source.slice(z), cancelled.resolve(source.file(z).getFileName()));
                        cancelAtTwo.report(z, "");
                    }
                    writer.commit();
                }
            });
            assertEquals(List.of(), filesIn(cancelled));

            try (DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE)) {
                for (int z = 0; z < source.depth(); z++) {
                    writer.write(source, z, processed(source.slice(z)), kept.resolve(source.file(z).getFileName()));
                }
                writer.commit();
            }
            assertEquals(3, filesIn(kept).size());
            SeriesAssembly again = SeriesAssembler.assemble(kept);
            assertEquals(1, again.series().size()); // one derived series UID for all slices
            assertTrue(again.series().get(0).seriesInstanceUid().startsWith("2.25."));
            assertFalse(again.series().get(0).seriesInstanceUid().equals(s.seriesInstanceUid()));
        }
    }
}
