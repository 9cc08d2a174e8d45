package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.cli.ReconstructCommandTest.Outcome;

/** yax eval end to end on a real MRI slice. */
class EvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void nonLocalMeansIsScoredForDenoisingAndRefusedForOtherTasks() throws Exception {
        Path slice = SampleData.archive("mri/BrainT1Slice.png");
        Path report = tmp.resolve("eval.json");
        Outcome o = ReconstructCommandTest.yax("eval", slice.toString(), "--sigma", "10%", "--methods", "noisy,nlm",
                "--report", report.toString());
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        JsonArray items = JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("items");
        assertEquals(2, items.size(), items.toString());
        assertEquals("nlm", items.get(1).getAsJsonObject().get("method").getAsString());
        double gain = items.get(1).getAsJsonObject().get("psnrAfter").getAsDouble()
                - items.get(0).getAsJsonObject().get("psnrAfter").getAsDouble();
        assertTrue(gain > 5, "non-local means should gain > 5 dB at sigma 10%: " + items);

        Outcome sr = ReconstructCommandTest.yax("eval", slice.toString(), "--task", "sr", "--methods", "bicubic,nlm");
        assertEquals(Yax.EXIT_USAGE, sr.exit());
        assertTrue(sr.err().contains("method 'nlm' does not apply to task sr"), sr.err());
    }
}
