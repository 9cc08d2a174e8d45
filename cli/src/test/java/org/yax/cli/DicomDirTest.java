package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOMDIR is a media directory: never reconstructed, never a failure; named as an input it stands for the files
 * it references. On pydicom's dicomdirtests folder (seven DICOMDIR variants and the files of three patients).
 */
class DicomDirTest {
    @TempDir
    Path tmp;

    private static Path folder() {
        Path p = SampleData.root().resolve("pydicom-test-files/dicomdirtests");
        assertTrue(Files.isRegularFile(p.resolve("DICOMDIR")), "pydicom's dicomdirtests missing at " + p);
        return p;
    }

    private static JsonObject report(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void dicomdirsFoundInAFolderAreSkippedMediaDirectoriesNotFailures() throws Exception {
        Path report = tmp.resolve("walk.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", folder().toString(),
                "-o", tmp.resolve("out").toString(), "--method", "tv", "--dry-run", "--report", report.toString());
        assertEquals(0, o.exit(), o.err());
        assertEquals(8, dicomdirRows(report), "seven variants and TINY_ALPHA's: " + o.err());
    }

    @Test
    void severalDicomdirsOfOneMediumNamedAsInputsListEachFileOnce() throws Exception {
        Path report = tmp.resolve("several.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct",
                folder().resolve("DICOMDIR").toString(), folder().resolve("DICOMDIR-bigEnd").toString(),
                folder().resolve("DICOMDIR-implicit").toString(), folder().resolve("DICOMDIR-nopatient").toString(),
                folder().resolve("DICOMDIR-reordered").toString(), folder().resolve("DICOMDIR-empty.dcm").toString(),
                "-o", tmp.resolve("out").toString(), "--method", "tv", "--dry-run", "--report", report.toString());
        assertEquals(0, o.exit(), o.err());
        assertEquals(6, dicomdirRows(report), o.err());
        assertEquals(0, report(report).getAsJsonObject("summary").get("failed").getAsInt(), o.err());
    }

    /** Rows of DICOMDIR files, each checked to be a skipped media directory. */
    private static int dicomdirRows(Path report) throws Exception {
        int dicomdirs = 0;
        for (JsonElement e : report(report).getAsJsonArray("items")) {
            JsonObject row = e.getAsJsonObject();
            if (Path.of(row.get("input").getAsString()).getFileName().toString().startsWith("DICOMDIR")) {
                dicomdirs++;
                assertEquals("skipped", row.get("status").getAsString(), row.toString());
                assertTrue(row.get("reason").getAsString().startsWith("DICOM media directory (DICOMDIR)"), row.toString());
            }
        }
        return dicomdirs;
    }

    @Test
    void aDicomdirNamedAsInputStandsForItsFiles() throws Exception {
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("explicit.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct",
                folder().resolve("DICOMDIR").toString(), "-o", out.toString(), "--method", "tv",
                "--report", report.toString());
        assertEquals(0, o.exit(), o.err());
        JsonObject summary = report(report).getAsJsonObject("summary");
        assertEquals(0, summary.get("failed").getAsInt(), o.err());
        assertEquals(1, summary.get("skipped").getAsInt(), "the DICOMDIR itself: " + o.err());
        assertTrue(summary.get("done").getAsInt() > 0, o.err());
        // the outputs mirror the paths the DICOMDIR references, below its folder; the DICOMDIR is not copied
        assertTrue(Files.isRegularFile(out.resolve("77654033/CR1/6154")), o.err());
        assertTrue(Files.isDirectory(out.resolve("98892003/MR700")), o.err());
        assertFalse(Files.exists(out.resolve("DICOMDIR")));
        assertFalse(Files.exists(out.resolve("TINY_ALPHA")), "only what the DICOMDIR references");
    }
}
