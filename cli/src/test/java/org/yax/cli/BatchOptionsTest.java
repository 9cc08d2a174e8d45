package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --dry-run, --resume after changes, and --jobs giving the same pixels as one job. */
class BatchOptionsTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void dryRunListsThePlanAndWritesNothing() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Files.copy(SampleData.archive("raster/L7_ETMs.tif"), in.resolve("L7_ETMs.tif"));
        Files.copy(SampleData.root().resolve("pydicom-test-files/rtplan.dcm"), in.resolve("rtplan.dcm"));
        Files.writeString(in.resolve("notes.txt"), "not an image\n");
        Path out = tmp.resolve("out");

        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--dry-run");

        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertFalse(Files.exists(out), "a dry run must not create or write OUTDIR");
        assertTrue(o.err().contains("plan    " + in.resolve("CT_small.dcm") + " -> " + out.resolve("CT_small.dcm")
                + " (DICOM)"), o.err());
        assertTrue(o.err().contains(in.resolve("L7_ETMs.tif") + " -> " + out.resolve("L7_ETMs.tif") + " (GDAL"),
                o.err());
        assertTrue(o.err().contains("rtplan.dcm: non-image DICOM object (RT Plan Storage): no pixel data"), o.err());
        assertTrue(o.err().contains("notes.txt: not an image"), o.err());
        assertTrue(o.err().contains("2 planned, 0 done, 0 failed, 2 skipped"), o.err());
    }

    @Test
    @Timeout(300)
    void resumeRedoesAChangedInputOnly() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("a.dcm"));
        Files.copy(SampleData.archive("dicom/MR_small.dcm"), in.resolve("b.dcm"));
        Path out = tmp.resolve("out");
        assertEquals(Yax.EXIT_OK, ReconstructCommandTest.yax("reconstruct", in.toString(), "-o", out.toString()).exit());
        Files.copy(SampleData.archive("dicom/phantom-ct/IM0001.dcm"), in.resolve("a.dcm"),
                StandardCopyOption.REPLACE_EXISTING);
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--resume");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(o.err().contains("done    " + in.resolve("a.dcm")), o.err());
        assertTrue(o.err().contains("skipped " + in.resolve("b.dcm") + ": already done"), o.err());
        assertTrue(o.err().contains("1 done, 0 failed, 1 skipped"), o.err());
        // the redone output is the new input's derivative (the phantom's size, not CT_small's)
        SampleData.Run py = SampleData.python("import sys, pydicom; a = pydicom.dcmread(sys.argv[1]); "
                + "b = pydicom.dcmread(sys.argv[2]); print(a.Rows == b.Rows and a.Columns == b.Columns)",
                SampleData.archive("dicom/phantom-ct/IM0001.dcm").toString(), out.resolve("a.dcm").toString());
        assertEquals("True", py.out().strip(), py.out());
    }

    @Test
    @Timeout(600)
    void twoJobsGiveTheSamePixelsAsOne() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Files.copy(SampleData.archive("dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        for (String s : new String[] {"IM0001.dcm", "IM0002.dcm", "IM0003.dcm"}) {
            Files.copy(SampleData.archive("dicom/phantom-ct/" + s), in.resolve(s));
        }
        Files.copy(SampleData.archive("raster/rotated-multiband.tif"), in.resolve("rotated-multiband.tif"));
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        ReconstructCommandTest.Outcome o1 = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                one.toString(), "--jobs", "1");
        ReconstructCommandTest.Outcome o2 = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                two.toString(), "--jobs", "2");
        assertEquals(Yax.EXIT_OK, o1.exit(), o1.err());
        assertEquals(Yax.EXIT_OK, o2.exit(), o2.err());
        // DICOM outputs carry fresh UIDs and times: compare pixel values, not bytes
        SampleData.Run py = SampleData.python(String.join("\n",
                "import sys, os, pydicom, numpy as np",
                "from osgeo import gdal",
                "one, two = sys.argv[1], sys.argv[2]",
                "n = 0",
                "for f in sorted(os.listdir(one)):",
                "    if f.startswith('.'): continue",
                "    if f.endswith('.dcm'):",
                "        a = pydicom.dcmread(os.path.join(one, f)); b = pydicom.dcmread(os.path.join(two, f))",
                "        same = np.array_equal(a.pixel_array, b.pixel_array) and a.RescaleSlope == b.RescaleSlope \\",
                "            and a.RescaleIntercept == b.RescaleIntercept if 'RescaleSlope' in a \\",
                "            else np.array_equal(a.pixel_array, b.pixel_array)",
                "    else:",
                "        a = gdal.Open(os.path.join(one, f)).ReadAsArray(); b = gdal.Open(os.path.join(two, f)).ReadAsArray()",
                "        same = np.array_equal(a, b, equal_nan=True)",
                "    print(f, same); n += 1",
                "print('files', n)"), one.toString(), two.toString());
        assertEquals(0, py.exitCode(), py.out());
        assertTrue(py.out().contains("files 6"), py.out());
        assertFalse(py.out().contains("False"), "--jobs 2 differs from --jobs 1: " + py.out());
    }
}
