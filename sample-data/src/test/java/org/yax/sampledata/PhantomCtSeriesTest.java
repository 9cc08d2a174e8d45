package org.yax.sampledata;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhantomCtSeriesTest {
    private static final PhantomCtSpec SPEC = PhantomCtSpec.DEFAULT;
    private static Path data;

    @BeforeAll
    static void generate() {
        data = GeneratedData.directory();
    }

    private static List<Path> allFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of(GenerateSampleData.CT_NOISY_DIR, GenerateSampleData.CT_GROUND_TRUTH_DIR)) {
            try (Stream<Path> list = Files.list(data.resolve(dir))) {
                list.sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void writesOneFilePerSliceInBothSeries() throws IOException {
        for (String dir : List.of(GenerateSampleData.CT_NOISY_DIR, GenerateSampleData.CT_GROUND_TRUTH_DIR)) {
            try (Stream<Path> list = Files.list(data.resolve(dir))) {
                assertEquals(CtSeriesWriter.fileNames(SPEC.slices()),
                        list.map(p -> p.getFileName().toString()).sorted().toList(), dir);
            }
        }
    }

    @Test
    void dciodvfyReportsNoErrors() throws Exception {
        TreeSet<String> warnings = new TreeSet<>();
        for (Path file : allFiles()) {
            ExternalTool.Result result = ExternalTool.run(List.of("dciodvfy", file.toString()));
            for (String line : result.output().split("\n")) {
                assertTrue(!line.startsWith("Error"), file + ": " + line);
                if (line.startsWith("Warning")) {
                    warnings.add(line);
                }
            }
            assertTrue(result.output().contains("CTImage"), file + ": dciodvfy did not recognise a CT Image: "
                    + result.output());
        }
        System.out.println("dciodvfy warnings (" + warnings.size() + " distinct): " + warnings);
    }

    @Test
    void dcmdumpParsesEveryFile() throws Exception {
        for (Path file : allFiles()) {
            ExternalTool.Result result = ExternalTool.run(List.of("dcmdump", "-q", file.toString()));
            assertEquals(0, result.exitCode(), file + ": " + result.output());
            assertTrue(!result.output().contains("E: "), file + ": " + result.output());
            assertTrue(result.output().contains("(0010,0010) PN [Phantom^SheppLogan]"), file.toString());
            assertTrue(result.output().contains("(0002,0010) UI =LittleEndianExplicit"), file.toString());
            assertTrue(result.output().contains("(7fe0,0010) OW"), file.toString());
        }
    }

    @Test
    void pydicomReadsTheJavaGroundTruthAndTheKnownNoise(@TempDir Path temp) throws Exception {
        Path raw = temp.resolve("ground-truth.raw");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(raw))) {
            for (int z = 0; z < SPEC.slices(); z++) {
                int[] hu = SPEC.groundTruthHu(z);
                ByteBuffer bytes = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : hu) {
                    bytes.putShort((short) v);
                }
                out.write(bytes.array());
            }
        }
        ExternalTool.Result result = ExternalTool.python("check_ct_series.py",
                data.resolve(GenerateSampleData.CT_NOISY_DIR).toString(),
                data.resolve(GenerateSampleData.CT_GROUND_TRUTH_DIR).toString(), raw.toString());
        assertEquals(0, result.exitCode(), result.output());
        Map<String, String> v = result.keyValues();
        System.out.println("pydicom: " + v);

        assertEquals(String.valueOf(SPEC.slices()), v.get("slices"));
        assertEquals(String.valueOf(SPEC.slices()), v.get("noisySlices"));
        assertEquals("0", v.get("groundTruthMaxAbsDiff"), "pydicom HU differ from the Java ground truth");
        assertEquals("-1000", v.get("groundTruthMin"));
        assertEquals("1000", v.get("groundTruthMax"));
        // 1.3 M samples: the estimate of sigma is good to ~0.03 HU; rounding to whole HU adds 1/12 HU^2.
        assertEquals(SPEC.noiseSigmaHu(), Double.parseDouble(v.get("residualStd")), 0.2);
        assertEquals(0, Double.parseDouble(v.get("residualMean")), 0.2);

        for (String series : List.of("clean", "noisy")) {
            assertEquals(SPEC.sliceSpacingMm(), Double.parseDouble(v.get(series + ".zStepMin")), 1e-9, series);
            assertEquals(SPEC.sliceSpacingMm(), Double.parseDouble(v.get(series + ".zStepMax")), 1e-9, series);
            assertEquals(SPEC.sliceSpacingMm(), Double.parseDouble(v.get(series + ".sliceThickness")), 1e-9);
            assertEquals("True", v.get(series + ".sliceLocationEqualsZ"), series);
            assertEquals("True", v.get(series + ".xySame"), series);
            assertEquals("1\\0\\0\\0\\1\\0", v.get(series + ".orientation").replace(".0", ""), series);
            assertEquals("1", v.get(series + ".seriesUids"), series);
            assertEquals(String.valueOf(SPEC.slices()), v.get(series + ".sopUids"), series);
            assertEquals("1.2.840.10008.1.2.1", v.get(series + ".transferSyntax"), series);
            assertEquals("1.2.840.10008.5.1.4.1.1.2", v.get(series + ".sopClass"), series);
            assertEquals("1", v.get(series + ".pixelRepresentation"), series);
        }
        assertEquals("Phantom low-dose", v.get("noisy.description"));
        assertEquals("0", v.get("sharedSopUids"));
        assertEquals("True", v.get("sameStudy"));
        assertEquals("True", v.get("sameFrameOfReference"));
        assertEquals("True", v.get("uidsValid"));
        assertEquals("MediaStorageSOPInstanceUID,PixelData,SOPInstanceUID,SeriesDescription,SeriesInstanceUID,"
                + "SeriesNumber", v.get("differing"));
    }

    @Test
    void phantomHasTheIntendedTissueValues() {
        int[] centre = SPEC.groundTruthHu(SPEC.slices() / 2);
        TreeSet<Integer> values = new TreeSet<>();
        for (int hu : centre) {
            values.add(hu);
        }
        for (int tissue : new int[] {-1000, 1000, 40, 10, 70}) {
            assertTrue(values.contains(tissue), "missing " + tissue + " HU in " + values);
        }
        assertEquals(-1000, SPEC.groundTruthHu(0)[0], "corner must be air");
    }
}
