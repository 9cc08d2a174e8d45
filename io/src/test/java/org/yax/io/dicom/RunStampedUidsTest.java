package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.io.RunStamp;

/**
 * Derived instances of a batch run: the same output written twice in one run (a retried cluster task) has the same
 * bytes; another run, another output path (a duplicate input elsewhere) or another derivation gets another UID.
 */
class RunStampedUidsTest {
    private static final Derivation DENOISE = new Derivation("denoise", "tv", 1, Map.of("sigma", "40"), "test");
    private static final RunStamp RUN = new RunStamp("run-a", LocalDateTime.of(2026, 12, 3, 12, 0, 0, 123_456_789));
    @TempDir
    Path tmp;

    private static Path phantom(int i) {
        return DicomTestSupport.sample(String.format("archive/dicom/phantom-ct/IM%04d.dcm", i));
    }

    private static String uid(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile());
        return l.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString();
    }

    private Path write(RunStamp run, Derivation d, String key, String name) throws Exception {
        Image in = DicomReader.read(phantom(3));
        Path out = tmp.resolve(name);
        new DicomFormat().write(in, d, out, run, key);
        return out;
    }

    @Test
    void sameRunSameOutputSameBytesOtherwiseOtherUids() throws Exception {
        Path a = write(RUN, DENOISE, "ct/IM0003.dcm", "a.dcm");
        Path again = write(RUN, DENOISE, "ct/IM0003.dcm", "again.dcm");
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(again), "a retried write must be byte-identical");
        String base = uid(a);
        assertNotEquals(base, uid(write(RunStamp.fresh(), DENOISE, "ct/IM0003.dcm", "fresh.dcm")), "fresh run");
        assertNotEquals(base, uid(write(RUN, DENOISE, "copy/IM0003.dcm", "copy.dcm")), "duplicate at another path");
        assertNotEquals(base, uid(write(RUN, new Derivation("denoise", "tv", 1, Map.of("sigma", "20"), "test"),
                "ct/IM0003.dcm", "other.dcm")), "other parameters");
        assertEquals(true, base.startsWith("2.25.") && base.length() <= 64, base);
    }

    @Test
    void aRunsSeriesWriterIsDeterministicToo() throws Exception {
        for (String dir : List.of("x", "y")) {
            try (DicomSeriesSource source = DicomSeriesSource.open(
                    SeriesAssembler.assemble(List.of(phantom(1), phantom(2))).series().get(0), tmp, Progress.NONE);
                 DicomSeriesWriter writer = new DicomSeriesWriter(DENOISE, RUN)) {
                for (int z = 0; z < source.depth(); z++) {
                    writer.write(source, z, source.slice(z), tmp.resolve(dir + "/" + z + ".dcm"), "s/" + z + ".dcm");
                }
                writer.commit();
            }
        }
        for (int z = 0; z < 2; z++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("x/" + z + ".dcm")),
                    Files.readAllBytes(tmp.resolve("y/" + z + ".dcm")));
        }
        assertNotEquals(uid(tmp.resolve("x/0.dcm")), uid(tmp.resolve("x/1.dcm")));
    }
}
