package org.yax.sampledata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateSampleDataTest {
    private static final GenerateSampleData GENERATOR =
            new GenerateSampleData(PhantomCtSpec.DEFAULT, RotatedMultibandSpec.DEFAULT);

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void rerunIsANoOpThatTouchesNothing() throws Exception {
        Path data = GeneratedData.directory();
        List<FileTime> before = new ArrayList<>();
        for (Path f : files(data)) {
            before.add(Files.getLastModifiedTime(f));
        }
        assertFalse(GENERATOR.generate(data), "up-to-date data must not be regenerated");
        List<FileTime> after = new ArrayList<>();
        for (Path f : files(data)) {
            after.add(Files.getLastModifiedTime(f));
        }
        assertEquals(before, after);
    }

    @Test
    void regenerationIsByteIdenticalAndRepairsMissingOrStaleOutputs(@TempDir Path temp) throws Exception {
        Path reference = GeneratedData.directory();
        Path data = temp.resolve("data");
        // Real files placed by setup.sh next to the generated ones must survive.
        Path realFile = data.resolve("archive/dicom/CT_small.dcm");
        Files.createDirectories(realFile.getParent());
        Files.writeString(realFile, "not ours");

        assertTrue(GENERATOR.generate(data));
        assertSameGeneratedBytes(reference, data);
        assertEquals("not ours", Files.readString(realFile));

        Files.delete(data.resolve(GenerateSampleData.CT_NOISY_DIR).resolve("IM0007.dcm"));
        assertTrue(GENERATOR.generate(data), "a missing file must trigger regeneration");
        assertSameGeneratedBytes(reference, data);

        Path manifest = data.resolve(Manifest.RELATIVE_PATH);
        Files.writeString(manifest, Files.readString(manifest).replaceAll("\"fingerprint\": \"[0-9a-f]{8}",
                "\"fingerprint\": \"00000000"));
        assertTrue(GENERATOR.generate(data), "a manifest of other parameters must trigger regeneration");
        assertSameGeneratedBytes(reference, data);
        assertFalse(GENERATOR.generate(data));
        assertEquals("not ours", Files.readString(realFile));
        try (Stream<Path> walk = Files.walk(data)) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().contains(".new-")
                    || p.getFileName().toString().contains(".old-")), "staging leftovers");
        }
    }

    private static void assertSameGeneratedBytes(Path expectedDir, Path actualDir) throws IOException {
        List<Path> expected = files(expectedDir);
        int compared = 0;
        for (Path e : expected) {
            Path relative = expectedDir.relativize(e);
            Path a = actualDir.resolve(relative);
            assertTrue(Files.exists(a), "missing " + relative);
            assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(a), "bytes differ: " + relative);
            compared++;
        }
        assertEquals(2 * PhantomCtSpec.DEFAULT.slices() + 2 + 1, compared);
    }

    @Test
    void manifestIsValidJsonWithSigmaUnitsAndSizes() throws Exception {
        Path data = GeneratedData.directory();
        ExternalTool.Result result = ExternalTool.python("read_manifest.py",
                data.resolve(Manifest.RELATIVE_PATH).toString());
        assertEquals(0, result.exitCode(), result.output());
        Map<String, String> v = result.keyValues();
        System.out.println("manifest: " + v);
        assertEquals(GenerateSampleData.GENERATOR_VERSION, v.get("generatorVersion"));
        assertEquals(String.valueOf(GenerateSampleData.SEED), v.get("seed"));
        assertEquals("40.0", v.get("phantom-ct.noiseSigma"));
        assertEquals("HU", v.get("phantom-ct.units"));
        assertEquals(String.valueOf(2 * PhantomCtSpec.DEFAULT.slices()), v.get("phantom-ct.files"));
        assertEquals("100.0", v.get("rotated-multiband.noiseSigma"));
        assertEquals("reflectance x 10000", v.get("rotated-multiband.units"));
        assertEquals("2", v.get("rotated-multiband.files"));
        long ctBytes = 0;
        for (Path f : files(data.resolve("archive/dicom/phantom-ct"))) {
            ctBytes += Files.size(f);
        }
        for (Path f : files(data.resolve("ground-truth/dicom/phantom-ct"))) {
            ctBytes += Files.size(f);
        }
        assertEquals(String.valueOf(ctBytes), v.get("phantom-ct.bytes"));
    }

    @Test
    void uidsAreDeterministicAndDistinct() {
        DeterministicUids uids = new DeterministicUids(GenerateSampleData.SEED);
        assertEquals(uids.uid("a"), new DeterministicUids(GenerateSampleData.SEED).uid("a"));
        assertFalse(uids.uid("a").equals(uids.uid("b")));
        assertFalse(uids.uid("a").equals(new DeterministicUids(1).uid("a")));
        assertTrue(uids.uid("a").matches("2\\.25\\.[1-9][0-9]{0,38}"), uids.uid("a"));
        assertTrue(Arrays.stream(new String[] {uids.uid("x")}).allMatch(u -> u.length() <= 64));
    }
}
