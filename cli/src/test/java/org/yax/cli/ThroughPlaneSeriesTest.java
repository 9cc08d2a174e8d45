package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `yax reconstruct --task sr --axes z`: the generated thick-slice CT series (20 slices of 3 mm) becomes 60 slices of
 * 1 mm that dciodvfy, dcmdump and pydicom accept, placed along the normal with the source's field of view; bad
 * stacks (a single slice, missing positions) get their reason while the others go on; split stacks (a gap, a
 * second orientation) are each refined on their own and the report says so.
 */
class ThroughPlaneSeriesTest {
    @TempDir
    Path tmp;

    private static Path phantom(int slice) {
        return SampleData.root().resolve("archive/dicom/phantom-ct/" + String.format("IM%04d.dcm", slice));
    }

    private static void dcmodify(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        SampleData.Run r = SampleData.run(cmd.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.out());
    }

    private static Set<String> dciodvfyErrors(Path file) throws Exception {
        Set<String> errors = new TreeSet<>();
        for (String line : SampleData.run("dciodvfy", file.toString()).out().split("\n")) {
            if (line.startsWith("Error")) {
                errors.add(line.trim());
            }
        }
        return errors;
    }

    private static int copy = 0;

    /** Copies of phantom slices as another series: its own Series UID, new SOP Instance UIDs. */
    private Path copies(Path in, String folder, int... slices) throws Exception {
        Path dir = Files.createDirectories(in.resolve(folder));
        copy++;
        for (int z : slices) {
            Path f = dir.resolve(String.format("IM%04d.dcm", z));
            Files.copy(phantom(z), f);
            if (!folder.equals("thick")) {
                dcmodify(f, "-m", "(0020,000e)=1.2.826.0.1.3680043.2.1125.77." + copy,
                        "-m", "(0008,0018)=1.2.826.0.1.3680043.2.1125.78." + copy + "." + z);
            }
        }
        return dir;
    }

    @Test
    @Timeout(600)
    void thickSlicesBecomeAValidThinSeriesAndBadStacksGetTheirReason() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        copies(in, "thick", java.util.stream.IntStream.rangeClosed(1, 20).toArray());
        copies(in, "single", 7);
        Path noPositions = copies(in, "nopos", 1, 2, 3);
        for (int z = 1; z <= 3; z++) {
            dcmodify(noPositions.resolve(String.format("IM%04d.dcm", z)), "-e", "(0020,0032)");
        }
        copies(in, "gap", 1, 2, 4, 5, 6);
        Path mixed = copies(in, "mixed", 8, 9, 10, 11, 12, 13);
        for (int z = 11; z <= 13; z++) {
            // the second half of the series is sagittal: another orientation, another stack
            dcmodify(mixed.resolve(String.format("IM%04d.dcm", z)), "-m", "(0020,0037)=0\\1\\0\\0\\0\\-1", "-m",
                    "(0020,0032)=" + (z * 3.0) + "\\-114.75\\114.75");
        }
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("r.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--task", "sr", "--axes", "z", "--scale", "3", "--method", "tv", "--report",
                report.toString());
        Map<String, JsonObject> rows = new HashMap<>();
        for (var e : JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("items")) {
            JsonObject item = e.getAsJsonObject();
            rows.put(in.relativize(Path.of(item.get("input").getAsString())).toString(), item);
        }
        JsonObject thick = rows.get("thick");
        assertEquals("done", thick.get("status").getAsString(), thick.toString());
        assertTrue(thick.get("reconstruction").getAsString().contains("x3 along z, box profile 3 mm every 3 mm -> 60 "
                + "slices"), thick.toString());
        JsonObject one = rows.get("single/IM0007.dcm");
        assertEquals("failed", one.get("status").getAsString(), one.toString());
        assertTrue(one.get("reason").getAsString().contains("single"), one.toString());
        JsonObject nopos = rows.get("nopos");
        assertEquals("failed", nopos.get("status").getAsString(), rows.keySet().toString());
        assertTrue(nopos.get("reason").getAsString().contains("has no ImagePositionPatient"), nopos.toString());
        JsonObject gapped = rows.get("gap");
        assertEquals("done", gapped.get("status").getAsString(), gapped.toString());
        assertTrue(gapped.get("reason").getAsString().contains("2 stacks, each refined on its own")
                && gapped.get("reason").getAsString().contains("gap"), gapped.toString());
        assertTrue(gapped.get("reconstruction").getAsString().endsWith("-> 15 slices"), gapped.toString());
        JsonObject orientations = rows.get("mixed");
        assertEquals("done", orientations.get("status").getAsString(), orientations.toString());
        assertTrue(orientations.get("reason").getAsString().contains("2 stacks"), orientations.toString());
        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err());

        List<Path> written;
        try (Stream<Path> files = Files.list(out.resolve("thick"))) {
            written = files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        assertEquals(60, written.size());
        Set<String> sourceErrors = dciodvfyErrors(phantom(1));
        for (Path f : List.of(written.get(0), written.get(29), written.get(59))) {
            Set<String> errors = dciodvfyErrors(f);
            errors.removeAll(sourceErrors);
            assertEquals(Set.of(), errors, f + ": dciodvfy errors the source did not have");
        }
        for (Path f : written) {
            SampleData.Run dump = SampleData.run("dcmdump", "-q", f.toString());
            assertEquals(0, dump.exitCode(), f + ": " + dump.out());
        }
        SampleData.Run py = SampleData.python(String.join("\n",
                "import sys, glob, pydicom, numpy as np",
                "out = [pydicom.dcmread(f) for f in glob.glob(sys.argv[1] + '/*.dcm')]",
                "src = [pydicom.dcmread(f) for f in glob.glob(sys.argv[2] + '/*.dcm')]",
                "n = np.cross(np.array(src[0].ImageOrientationPatient[:3], float), np.array(src[0].ImageOrientationPatient[3:], float))",
                "pos = lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), n))",
                "out.sort(key=pos); src.sort(key=pos)",
                "assert [int(d.InstanceNumber) for d in out] == list(range(1, 61)), 'instance numbers follow the normal'",
                "p = [pos(d) for d in out]",
                "assert np.allclose(np.diff(p), 1.0, atol=1e-6), np.diff(p)",
                "s = pos(src[1]) - pos(src[0]); t = float(src[0].SliceThickness)",
                "assert abs((p[0] - 0.5) - (pos(src[0]) - t / 2)) < 1e-6 and abs((p[-1] + 0.5) - (pos(src[-1]) + t / 2)) < 1e-6, 'same field of view'",
                "assert abs(p[0] - (pos(src[0]) - 1.0)) < 1e-6 and abs(p[-1] - (pos(src[-1]) + 1.0)) < 1e-6",
                "assert all(float(d.SliceThickness) == 1.0 and float(d.SpacingBetweenSlices) == 1.0 for d in out)",
                "assert np.allclose([float(d.SliceLocation) for d in out], p)",
                "assert len({d.SOPInstanceUID for d in out}) == 60 and len({d.SeriesInstanceUID for d in out}) == 1",
                "assert out[0].SeriesInstanceUID != src[0].SeriesInstanceUID and out[0].StudyInstanceUID == src[0].StudyInstanceUID",
                "uids = [d.SOPInstanceUID for d in src]",
                "for j, d in enumerate(out):",
                "    refs = [uids.index(i.ReferencedSOPInstanceUID) for i in d.SourceImageSequence]",
                "    assert refs == [j // 3], (j, refs)",
                "    assert d.pixel_array.shape == (256, 256)",
                "assert 'DERIVED' in out[0].ImageType",
                "print('ok', p[0], p[-1])"), out.resolve("thick").toString(), in.resolve("thick").toString());
        assertEquals(0, py.exitCode(), py.out());
        assertTrue(py.out().contains("ok"), py.out());
    }
}
