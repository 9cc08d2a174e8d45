package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/compare-trees.py, the "same results" check of two output trees: two runs of yax on one small archive
 * (new UIDs and times, same pixels) compare equal; a changed pixel, attribute or a missing file does not.
 * The changes are made with pydicom and GDAL directly, not with the script under test.
 */
class CompareTreesTest {
    @TempDir
    static Path tmp;

    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            Path.of("").toAbsolutePath().getParent().toString()));
    private static final Path SCRIPT = ROOT.resolve("scripts/compare-trees.py");

    private static Path first;
    private static Path second;

    /** CT_small.dcm, 3 slices of the generated CT series and a 64x64 two-band crop of L7_ETMs.tif. */
    @BeforeAll
    static void reconstructTwice() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), "missing " + SCRIPT);
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.createDirectories(in.resolve("dicom/phantom-ct"));
        Files.createDirectories(in.resolve("raster"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("dicom/CT_small.dcm"));
        for (String n : List.of("IM0001.dcm", "IM0002.dcm", "IM0003.dcm")) {
            Files.copy(SampleData.archive("dicom/phantom-ct/" + n), in.resolve("dicom/phantom-ct/" + n));
        }
        SampleData.Run crop = SampleData.python("import sys\nfrom osgeo import gdal\ngdal.UseExceptions()\n"
                        + "gdal.Translate(sys.argv[2], sys.argv[1], srcWin=[40, 40, 64, 64], bandList=[1, 2])\n",
                SampleData.archive("raster/L7_ETMs.tif").toString(), in.resolve("raster/small.tif").toString());
        assertEquals(0, crop.exitCode(), crop.out());

        first = tmp.resolve("first");
        second = tmp.resolve("second");
        for (Path out : List.of(first, second)) {
            ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(),
                    "-o", out.toString(), "--task", "denoise", "--report", out.resolve("report.json").toString());
            assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        }
        for (String f : List.of("dicom/CT_small.dcm", "dicom/phantom-ct/IM0002.dcm", "raster/small.tif")) {
            assertTrue(Files.isRegularFile(second.resolve(f)), "yax wrote no " + f);
        }
    }

    private static SampleData.Run compare(Path before, Path after, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), before.toString(),
                after.toString()));
        cmd.addAll(List.of(options));
        return SampleData.run(cmd.toArray(String[]::new));
    }

    /** A fresh copy of the second tree, to change. */
    private static Path copyOfSecond(String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(second)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(second.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    private static void python(String code, Path file) throws Exception {
        SampleData.Run r = SampleData.python("import sys\nimport pydicom\nfrom osgeo import gdal\n"
                + "gdal.UseExceptions()\ngdal.SetConfigOption('GDAL_PAM_ENABLED', 'NO')\n" + code, file.toString());
        assertEquals(0, r.exitCode(), r.out());
    }

    private static String dicomValue(Path file, String keyword) throws Exception {
        SampleData.Run r = SampleData.python("import sys, pydicom\nprint(pydicom.dcmread(sys.argv[1])."
                + keyword + ")", file.toString());
        assertEquals(0, r.exitCode(), r.out());
        return r.out().trim();
    }

    @Test
    void twoRunsDifferOnlyInUidsDatesAndTimings() throws Exception {
        // the runs really differ where the script must look away, so an exit 0 means the exclusions work
        assertNotEquals(dicomValue(first.resolve("dicom/CT_small.dcm"), "SOPInstanceUID"),
                dicomValue(second.resolve("dicom/CT_small.dcm"), "SOPInstanceUID"));
        assertFalse(Files.readString(first.resolve("report.json")).equals(Files.readString(second.resolve("report.json"))));

        Path json = tmp.resolve("result.json");
        SampleData.Run same = compare(first, second, "--json", json.toString());
        assertEquals(0, same.exitCode(), same.out());
        assertTrue(same.out().contains("5 files compared, 5 identical, 0 differ, only in before: 0, only in after: 0"),
                same.out());
        assertTrue(Files.readString(json).contains("\"identical\": 5"), Files.readString(json));
        assertTrue(Files.readString(json).contains("\"DICOM UID\": "), "UIDs were looked away from: " + Files.readString(json));

        SampleData.Run withReports = compare(first, second, "--reports");
        assertEquals(0, withReports.exitCode(), withReports.out());
        // report.json and report.html (its thumbnails byte for byte: the same pixels make the same PNGs)
        assertTrue(withReports.out().contains("7 files compared, 7 identical"), withReports.out());
    }

    @Test
    void provenanceTextIsNotADifference() throws Exception {
        Path changed = copyOfSecond("provenance");
        python("ds = pydicom.dcmread(sys.argv[1])\n"
                + "ds.DerivationDescription = 'yax 0.0-other denoise method=tv sigma=1'\n"
                + "ds.InstanceCreationTime = '010203'\nds.save_as(sys.argv[1])\n",
                changed.resolve("dicom/CT_small.dcm"));
        python("ds = gdal.Open(sys.argv[1], gdal.GA_Update)\n"
                + "ds.SetMetadataItem('YAX_PROVENANCE', 'yax 0.0-other denoise method=tv sigma=1')\nds = None\n",
                changed.resolve("raster/small.tif"));
        SampleData.Run r = compare(first, changed);
        assertEquals(0, r.exitCode(), r.out());
    }

    @Test
    void aChangedDicomPixelIsADifference() throws Exception {
        Path changed = copyOfSecond("dicom-pixel");
        python("ds = pydicom.dcmread(sys.argv[1])\na = ds.pixel_array.copy()\na[10, 20] ^= 1\n"
                + "ds.PixelData = a.tobytes()\nds.save_as(sys.argv[1])\n", changed.resolve("dicom/phantom-ct/IM0002.dcm"));
        SampleData.Run r = compare(first, changed);
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("dicom/phantom-ct/IM0002.dcm: pixels: 1 of "), r.out());
        assertTrue(r.out().contains("5 files compared, 4 identical, 1 differ"), r.out());
    }

    @Test
    void aChangedGeoTiffPixelIsADifference() throws Exception {
        Path changed = copyOfSecond("raster-pixel");
        python("ds = gdal.Open(sys.argv[1], gdal.GA_Update)\nb = ds.GetRasterBand(2)\n"
                + "v = b.ReadAsArray(7, 9, 1, 1)\nv[0, 0] += 1\nb.WriteArray(v, 7, 9)\nds = None\n",
                changed.resolve("raster/small.tif"));
        SampleData.Run r = compare(first, changed);
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("raster/small.tif: band 2 pixels"), r.out());
    }

    @Test
    void aChangedAttributeIsADifference() throws Exception {
        Path changed = copyOfSecond("attribute");
        python("ds = pydicom.dcmread(sys.argv[1])\nds.PatientName = 'Someone^Else'\nds.save_as(sys.argv[1])\n",
                changed.resolve("dicom/CT_small.dcm"));
        SampleData.Run r = compare(first, changed);
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("dicom/CT_small.dcm: (0010,0010) PatientName: ") && r.out().contains("Someone^Else"),
                r.out());
    }

    @Test
    void aMissingFileIsADifference() throws Exception {
        Path changed = copyOfSecond("missing");
        Files.delete(changed.resolve("dicom/phantom-ct/IM0003.dcm"));
        SampleData.Run r = compare(first, changed);
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("dicom/phantom-ct/IM0003.dcm: only in before"), r.out());
        assertTrue(r.out().contains("only in before: 1, only in after: 0"), r.out());

        assertEquals(2, compare(first, tmp.resolve("no-such-folder")).exitCode());
    }
}
