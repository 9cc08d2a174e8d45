package org.yax.sampledata;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotatedMultibandGeoTiffTest {
    private static final RotatedMultibandSpec SPEC = RotatedMultibandSpec.DEFAULT;
    private static Path data;

    @BeforeAll
    static void generate() {
        data = GeneratedData.directory();
    }

    @Test
    void gdalReadsGeoreferencingNodataAndTheJavaGroundTruth(@TempDir Path temp) throws Exception {
        float[][] clean = SyntheticScene.render(SPEC, GenerateSampleData.SCENE_SEED);
        Path raw = temp.resolve("ground-truth.raw");
        try (OutputStream out = Files.newOutputStream(raw)) {
            for (float[] band : clean) {
                ByteBuffer bytes = ByteBuffer.allocate(band.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : band) {
                    bytes.putFloat(v);
                }
                out.write(bytes.array());
            }
        }
        ExternalTool.Result result = ExternalTool.python("check_geotiff.py",
                data.resolve(GenerateSampleData.RASTER_NOISY).toString(),
                data.resolve(GenerateSampleData.RASTER_GROUND_TRUTH).toString(), raw.toString(),
                String.valueOf(SPEC.nodata()));
        assertEquals(0, result.exitCode(), result.output());
        Map<String, String> v = result.keyValues();
        System.out.println("gdalinfo/python3-gdal: " + v);

        String geoTransform = Arrays.stream(SPEC.geoTransform()).mapToObj(Double::toString)
                .collect(Collectors.joining(","));
        for (String file : new String[] {"clean", "noisy"}) {
            assertEquals("GTiff", v.get(file + ".driver"));
            assertEquals(SPEC.width() + "x" + SPEC.height(), v.get(file + ".size"));
            assertEquals("4", v.get(file + ".bands"));
            assertEquals("Float32", v.get(file + ".types"));
            assertEquals("-9999.0", v.get(file + ".nodata"));
            assertEquals("True", v.get(file + ".epsg32633"));
            assertEquals(geoTransform, v.get(file + ".geoTransform"));
            assertEquals(String.join("|", RotatedMultibandSpec.BAND_DESCRIPTIONS), v.get(file + ".descriptions"));
        }
        assertTrue(SPEC.geoTransform()[2] != 0 && SPEC.geoTransform()[4] != 0, "geotransform must be rotated");
        assertEquals("True", v.get("groundTruthExact"));
        assertEquals("True", v.get("nodataMasksEqual"));
        assertEquals("True", v.get("nodataSameAcrossBands"));
        int nodataPixels = Integer.parseInt(v.get("nodataPixelsPerBand").split(",")[0]);
        assertTrue(nodataPixels > 1000 && nodataPixels < SPEC.width() * SPEC.height() / 4,
                "nodata region size " + nodataPixels);
        // ~250k valid samples: the estimated sigma is good to ~0.15 units.
        assertEquals(SPEC.noiseSigma(), Double.parseDouble(v.get("residualStd")), 1.0);
        assertEquals(0, Double.parseDouble(v.get("residualMean")), 1.0);
        for (String s : v.get("residualStdPerBand").split(",")) {
            assertEquals(SPEC.noiseSigma(), Double.parseDouble(s), 2.0);
        }
        // Same geometry, class spectra: visible bands move together, NIR against red (vegetation), as in real scenes.
        assertTrue(Double.parseDouble(v.get("minVisibleBandCorrelation")) > 0.8, "visible bands should correlate");
        assertTrue(Double.parseDouble(v.get("nirRedCorrelation")) < -0.1, "NIR should anticorrelate with red");
    }

    @Test
    void writesNoSidecarFiles() throws Exception {
        for (String tif : new String[] {GenerateSampleData.RASTER_NOISY, GenerateSampleData.RASTER_GROUND_TRUTH}) {
            Path file = data.resolve(tif);
            assertFalse(Files.exists(file.resolveSibling(file.getFileName() + ".aux.xml")), tif);
            try (var siblings = Files.list(file.getParent())) {
                assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".")),
                        "staging files left in " + file.getParent());
            }
        }
    }

    @Test
    void nodataRegionHasAWedgeAndScanGaps() {
        assertTrue(SyntheticScene.isNodata(SPEC, SPEC.width() - 1, 0), "top right corner");
        assertFalse(SyntheticScene.isNodata(SPEC, 0, SPEC.height() - 1), "bottom left corner");
        assertFalse(SyntheticScene.isNodata(SPEC, SPEC.width() / 2, 17), "scene centre has no gap");
        assertTrue(SyntheticScene.isNodata(SPEC, 0, 17), "gap at the left edge");
    }
}
