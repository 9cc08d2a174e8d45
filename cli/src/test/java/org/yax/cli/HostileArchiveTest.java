package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yax.batch.ResumeManifest;

/**
 * A scan archive as found in the wild: broken, foreign, duplicated and special files next to good ones.
 * Every bad item is reported with its reason, every good one is done, inputs stay byte-identical.
 */
class HostileArchiveTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(600)
    void everyHostileItemIsReportedWithItsReasonAndTheRestIsDone() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] ct = Files.readAllBytes(SampleData.archive("dicom/CT_small.dcm"));
        Files.write(in.resolve("empty.dcm"), new byte[0]);
        Files.write(in.resolve("truncated.dcm"), Arrays.copyOf(ct, ct.length / 2));
        byte[] noise = new byte[8192];
        new Random(7).nextBytes(noise);
        Files.write(in.resolve("random.dcm"), noise);
        Files.write(in.resolve("random.tif"), noise);

        // two copies of one DICOM (same SOP Instance UID) under different names
        Files.createDirectories(in.resolve("dup"));
        Files.write(in.resolve("dup/a.dcm"), ct);
        Files.write(in.resolve("dup/b.dcm"), ct);

        // a series with one broken slice
        Path series = Files.createDirectories(in.resolve("series"));
        List<Path> slices;
        try (Stream<Path> s = Files.list(SampleData.archive("dicom/phantom-ct/IM0001.dcm").getParent())) {
            slices = s.sorted().limit(4).toList();
        }
        for (Path slice : slices) {
            Files.copy(slice, series.resolve(slice.getFileName()));
        }
        Path broken = series.resolve(slices.get(2).getFileName());
        byte[] sliceBytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(sliceBytes, sliceBytes.length - sliceBytes.length / 3));

        // non-image DICOM objects
        Path rt = Files.createDirectories(in.resolve("rt"));
        Path pydicomFiles = SampleData.root().resolve("pydicom-test-files");
        Files.copy(pydicomFiles.resolve("rtplan.dcm"), rt.resolve("rtplan.dcm"));
        Files.copy(pydicomFiles.resolve("rtstruct.dcm"), rt.resolve("rtstruct.dcm"));

        // special files: a link loop, a link to itself, a FIFO and a folder that claim to be images
        Files.createSymbolicLink(in.resolve("loop"), Path.of("."));
        Files.createSymbolicLink(in.resolve("self.dcm"), Path.of("self.dcm"));
        assertEquals(0, SampleData.run("mkfifo", in.resolve("fifo.dcm").toString()).exitCode());
        Files.createDirectories(in.resolve("folder.dcm"));

        // a file nobody may read; root reads it anyway (permissions do not bind root), so the test
        // asserts what is meaningful for whoever runs it
        Path locked = in.resolve("locked.dcm");
        Files.write(locked, Files.readAllBytes(SampleData.archive("dicom/MR_small.dcm")));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        boolean permissionsBind = !Files.isReadable(locked);

        Map<Path, String> before = checksums(in);
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("report.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(),
                "-o", out.toString(), "--report", report.toString(), "--jobs", "2");

        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err());
        assertEquals(before, checksums(in), "inputs must be byte-identical after the run");
        assertFalse(o.err().contains("\tat ") || o.err().contains("Exception"), "no stack traces: " + o.err());

        Map<String, JsonObject> byName = new HashMap<>();
        JsonObject doc = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        for (var e : doc.getAsJsonArray("items")) {
            JsonObject item = e.getAsJsonObject();
            byName.put(in.relativize(Path.of(item.get("input").getAsString())).toString(), item);
        }
        assertStatus(byName, "empty.dcm", "failed", "empty file");
        assertStatus(byName, "truncated.dcm", "failed", "");
        assertStatus(byName, "random.dcm", "failed", "not a DICOM file or a raster GDAL can read");
        assertStatus(byName, "random.tif", "failed", "not a DICOM file or a raster GDAL can read");
        assertStatus(byName, "dup/a.dcm", "done", "");
        assertStatus(byName, "dup/b.dcm", "done", "");
        // with --jobs 2 either copy may be seen first: exactly one carries the note naming the other
        String noteA = byName.get("dup/a.dcm").has("reason") ? byName.get("dup/a.dcm").get("reason").getAsString() : "";
        String noteB = byName.get("dup/b.dcm").has("reason") ? byName.get("dup/b.dcm").get("reason").getAsString() : "";
        assertTrue(noteA.isEmpty() != noteB.isEmpty(), noteA + " | " + noteB);
        assertTrue((noteA + noteB).startsWith("same content as " + in.resolve(noteA.isEmpty() ? "dup/a.dcm" : "dup/b.dcm")),
                noteA + " | " + noteB);
        // the series is one item: its broken slice has a row of its own with the reason, the rest is done
        // (the gap it leaves splits the stack: slices 1-2 as a volume, slice 4 on its own, and the row says so)
        assertStatus(byName, "series", "done", "1 of 4 slices failed");
        assertEquals(3, byName.get("series").get("slices").getAsInt());
        assertTrue(byName.get("series").get("reconstruction").getAsString().startsWith(
                "2 stacks: volume, 2 slices (3-D TV"), byName.get("series").toString());
        for (Path slice : slices) {
            String name = "series/" + slice.getFileName();
            if (slice.getFileName().equals(broken.getFileName())) {
                assertStatus(byName, name, "failed", "pixel data truncated");
                assertFalse(Files.exists(out.resolve(name)), "no output for the broken slice");
            } else {
                assertFalse(byName.containsKey(name), "a good slice is part of the series row: " + name);
                assertEquals(0, SampleData.run("dcmdump", out.resolve(name).toString()).exitCode(), name);
            }
        }
        assertStatus(byName, "rt/rtplan.dcm", "skipped", "non-image DICOM object (RT Plan Storage): no pixel data");
        assertStatus(byName, "rt/rtstruct.dcm", "skipped", "non-image DICOM object (RT Structure Set Storage)");
        assertStatus(byName, "loop", "skipped", "symbolic link (not followed)");
        assertStatus(byName, "self.dcm", "skipped", "symbolic link (not followed)");
        assertStatus(byName, "fifo.dcm", "failed", "not a regular file");
        assertFalse(byName.containsKey("folder.dcm"), "a folder is walked, not processed");
        if (permissionsBind) {
            assertStatus(byName, "locked.dcm", "failed", "permission denied");
        } else {
            assertStatus(byName, "locked.dcm", "done", "");
        }
        for (JsonObject item : byName.values()) {
            if (!item.get("status").getAsString().equals("done")) {
                assertNotNull(item.get("reason"), item.toString());
                assertFalse(item.get("reason").getAsString().isBlank(), item.toString());
            }
        }
        // the two outputs of one duplicated source are two distinct derived instances
        SampleData.Run uids = SampleData.python(String.join("\n",
                "import sys, pydicom",
                "a = pydicom.dcmread(sys.argv[1]); b = pydicom.dcmread(sys.argv[2])",
                "print(a.SOPInstanceUID != b.SOPInstanceUID)"),
                out.resolve("dup/a.dcm").toString(), out.resolve("dup/b.dcm").toString());
        assertEquals("True", uids.out().strip(), uids.out());
        try (Stream<Path> left = Files.walk(out)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".yax-tmp-")), "temp files left");
        }
    }

    private static void assertStatus(Map<String, JsonObject> items, String name, String status, String reasonPart) {
        JsonObject item = items.get(name);
        assertNotNull(item, "no report row for " + name + " in " + items.keySet());
        assertEquals(status, item.get("status").getAsString(), item.toString());
        if (!reasonPart.isEmpty()) {
            assertTrue(item.get("reason").getAsString().contains(reasonPart), item.toString());
        }
    }

    /** sha256 of every regular file (links not followed), plus the kind of every other entry. */
    static Map<Path, String> checksums(Path dir) throws IOException {
        Map<Path, String> sums = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Path rel = dir.relativize(p);
                if (Files.isSymbolicLink(p)) {
                    sums.put(rel, "link to " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sums.put(rel, Files.isReadable(p) ? ResumeManifest.sha256(p)
                            : "unreadable, " + Files.size(p) + " bytes, " + Files.getLastModifiedTime(p));
                } else {
                    sums.put(rel, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "folder" : "special");
                }
            }
        }
        return sums;
    }
}
