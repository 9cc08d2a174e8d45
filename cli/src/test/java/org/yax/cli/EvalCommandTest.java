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

    @Test
    void estimateSigmaTellsTheSolversTheNoiseTheyReadAsReconstructDoes() throws Exception {
        Path slice = SampleData.archive("mri/BrainT1Slice.png");
        double[] told = new double[2];
        for (int k = 0; k < 2; k++) {
            Path report = tmp.resolve("eval" + k + ".json");
            Outcome o = ReconstructCommandTest.yax(k == 0
                    ? new String[] {"eval", slice.toString(), "--sigma", "5%", "--methods", "tv", "--report",
                            report.toString()}
                    : new String[] {"eval", slice.toString(), "--sigma", "5%", "--methods", "tv", "--estimate-sigma",
                            "--report", report.toString()});
            assertEquals(Yax.EXIT_OK, o.exit(), o.err());
            JsonArray items = JsonParser.parseString(Files.readString(report)).getAsJsonObject()
                    .getAsJsonArray("items");
            assertEquals("noisy", items.get(0).getAsJsonObject().get("method").getAsString());
            double simulated = items.get(0).getAsJsonObject().get("sigma").getAsDouble();
            told[k] = items.get(1).getAsJsonObject().get("sigma").getAsDouble();
            if (k == 0) {
                assertEquals(simulated, told[k], 1e-9, "told the simulated sigma: " + items);
            } else {
                // the estimate reads the simulated noise plus the slice's own (about a tenth of it): near, not equal
                assertTrue(told[k] != simulated && Math.abs(told[k] / simulated - 1) < 0.1,
                        "estimated " + told[k] + " against the simulated " + simulated);
            }
        }
        Outcome mri = ReconstructCommandTest.yax("eval", slice.toString(), "--task", "mri", "--methods", "tv",
                "--estimate-sigma");
        assertEquals(Yax.EXIT_USAGE, mri.exit());
        assertTrue(mri.err().contains("an estimated sigma applies to tasks run on images"), mri.err());
    }
}
