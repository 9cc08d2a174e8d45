package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of output records the same provenance keys (#14 point 4): read back with pydicom
 * (DerivationDescription) and GDAL (YAX_PROVENANCE) from a single DICOM file, a raster in memory, a streamed
 * raster, a DICOM series as a volume and slice by slice; task, method, scale, sigma (given, or estimated and how),
 * psf for deblurring, model and adapt where used, and the software version.
 */
class ProvenanceKeysTest {
    @TempDir
    static Path tmp;
    private static Path series;
    private static Path raster;

    @BeforeAll
    static void archive() throws Exception {
        series = Files.createDirectories(tmp.resolve("in/series"));
        try (Stream<Path> s = Files.list(SampleData.archive("dicom/phantom-ct/IM0001.dcm").getParent())) {
            for (Path slice : s.sorted().limit(4).toList()) {
                Files.copy(slice, series.resolve(slice.getFileName()));
            }
        }
        raster = tmp.resolve("in/crop.tif");
        SampleData.Run crop = SampleData.run("gdal_translate", "-q", "-srcwin", "0", "0", "96", "80",
                SampleData.archive("raster/L7_ETMs.tif").toString(), raster.toString());
        assertEquals(0, crop.exitCode(), crop.out());
    }

    /** The provenance line split into its keys: "task" and "version" from its head, then each key=value. */
    static Map<String, String> keys(String line) {
        assertTrue(line.startsWith("yax "), line);
        String[] head = line.split(" ", 4);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("version", head[1]);
        keys.put("task", head[2]);
        // keys are printed in order: a key starts where " word=" does (values such as series=... have spaces)
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^| )([a-z_]+)=").matcher(head[3]);
        List<int[]> starts = new java.util.ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(1), m.end()});
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] - 1 : head[3].length();
            keys.put(head[3].substring(starts.get(i)[0], starts.get(i)[1] - 1), head[3].substring(starts.get(i)[1], end));
        }
        return keys;
    }

    private static String dicomProvenance(Path file) throws Exception {
        SampleData.Run r = SampleData.python("import pydicom, sys; print(pydicom.dcmread(sys.argv[1]).DerivationDescription)",
                file.toString());
        assertEquals(0, r.exitCode(), r.out());
        return r.out().trim();
    }

    private static String rasterProvenance(Path file) throws Exception {
        SampleData.Run r = SampleData.python("from osgeo import gdal; import sys; "
                + "print(gdal.Open(sys.argv[1]).GetMetadataItem('YAX_PROVENANCE'))", file.toString());
        assertEquals(0, r.exitCode(), r.out());
        return r.out().trim();
    }

    private static Path run(String name, String... options) {
        Path out = tmp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("reconstruct"));
        args.addAll(List.of(options));
        args.addAll(List.of("-o", out.toString()));
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax(args.toArray(String[]::new));
        assertEquals(0, o.exit(), o.err());
        return out;
    }

    /** The keys every output has, with the values this run must show. */
    private static void assertCommon(Map<String, String> keys, String task, String method, String scale) {
        assertEquals(task, keys.get("task"), keys.toString());
        assertEquals(method, keys.get("method"), keys.toString());
        assertEquals(scale, keys.get("scale"), keys.toString());
        assertEquals(org.yax.core.Version.get(), keys.get("version"), keys.toString());
        assertTrue(keys.containsKey("sigma"), keys.toString());
    }

    private static void assertEstimated(Map<String, String> keys, String how) {
        assertEquals("auto", keys.get("sigma"), keys.toString());
        assertEquals(how, keys.get("sigma_estimate"), keys.toString());
        assertTrue(keys.get("sigma_estimated").matches("[0-9.e+-]+(,[0-9.e+-]+)*"), keys.toString());
    }

    @Test
    void singleDicomFileWithTheNetwork() throws Exception {
        Path out = run("single", SampleData.archive("dicom/CT_small.dcm").toString(), "--method", "network",
                "--adapt", "1");
        Map<String, String> keys = keys(dicomProvenance(out.resolve("CT_small.dcm")));
        assertCommon(keys, "denoise", "network", "1");
        assertEstimated(keys, "per plane");
        assertEquals("yax-mt-small", keys.get("model"), keys.toString());
        assertEquals("1", keys.get("adapt"), keys.toString());
    }

    @Test
    void rasterInMemoryAndStreamedRecordTheSameKeys() throws Exception {
        Map<String, String> inMemory = keys(rasterProvenance(run("raster", raster.toString(), "--task", "sr",
                "--method", "tv").resolve("crop.tif")));
        Map<String, String> streamed = keys(rasterProvenance(run("streamed", raster.toString(), "--task", "sr",
                "--method", "tv", "--stream-above", "0").resolve("crop.tif")));
        assertCommon(inMemory, "sr", "tv", "2");
        assertCommon(streamed, "sr", "tv", "2");
        assertEstimated(inMemory, "per plane");
        assertEstimated(streamed, "median of sampled windows");
        assertEquals(inMemory.keySet(), streamed.keySet());
        assertEquals(6, inMemory.get("sigma_estimated").split(",").length, "one sigma per band: " + inMemory);
    }

    @Test
    void deblurredSeriesRecordsItsPsfAsAVolumeAndSliceBySlice() throws Exception {
        // deblurring goes slice by slice (a 2-D PSF); denoising is the volume path
        Map<String, String> deblurred = keys(dicomProvenance(run("deblur", series.toString(), "--task", "deblur",
                "--psf", "gaussian:1.5", "--method", "tv", "--sigma", "20").resolve("IM0002.dcm")));
        assertCommon(deblurred, "deblur", "tv", "1");
        assertEquals("gaussian:1.5", deblurred.get("psf"), deblurred.toString());
        assertEquals("20.00", deblurred.get("sigma"), deblurred.toString());
        assertTrue(deblurred.get("series").startsWith("per slice, 4 slices"), deblurred.toString());

        Map<String, String> volume = keys(dicomProvenance(run("volume", series.toString(), "--method", "tv")
                .resolve("IM0003.dcm")));
        assertCommon(volume, "denoise", "tv", "1");
        assertEstimated(volume, "median of per-slice estimates");
        assertTrue(volume.get("series").startsWith("volume, 4 slices"), volume.toString());

        Map<String, String> perSlice = keys(dicomProvenance(run("per-slice", series.toString(), "--method", "tv",
                "--per-slice").resolve("IM0001.dcm")));
        assertCommon(perSlice, "denoise", "tv", "1");
        assertEstimated(perSlice, "per plane");
        assertEquals(4, perSlice.get("sigma_estimated").split(",").length, perSlice.toString());
    }
}
