package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned model from the command line: listing, direct head, plug-and-play, adaptation, bad models, training. */
class LearnedMethodsTest {
    @TempDir
    Path tmp;

    record Outcome(int exit, String out, String err) { }

    static Outcome yax(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Yax.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void modelsListsTheBuiltinModelWithTasksTrainingDataAndScores() {
        Outcome r = yax("models");
        assertEquals(Yax.EXIT_OK, r.exit(), r.err());
        assertTrue(r.out().contains("yax-mt-small (default)"), r.out());
        assertTrue(r.out().contains("tasks:    denoise, sr2, sr4, inpaint"), r.out());
        assertTrue(r.out().contains("auto:     denoise: network, sr x2: network, sr x4: network, "
                + "inpaint: pnp from its head, deblur: pnp, mri: pnp"), r.out());
        assertTrue(r.out().contains("training:") && r.out().contains("validation"), r.out());
    }

    @Test
    void networkPnpAndAdaptationReconstructARasterAndTheReportNamesTheModel() throws Exception {
        Path in = SampleData.archive("mri/BrainT1Slice.png");
        for (String[] variant : new String[][] {{"network"}, {"pnp"}, {"network", "--adapt", "2"}}) {
            Path out = tmp.resolve(String.join("-", variant));
            Path report = tmp.resolve(String.join("-", variant) + ".json");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("reconstruct", in.toString(), "-o",
                    out.toString(), "--sigma", "5", "--report", report.toString(), "--method"));
            args.addAll(java.util.List.of(variant));
            Outcome r = yax(args.toArray(String[]::new));
            assertEquals(Yax.EXIT_OK, r.exit(), r.err());
            assertTrue(Files.isRegularFile(out.resolve("BrainT1Slice.tif")), r.err());
            String json = Files.readString(report);
            assertTrue(json.contains("\"method\": \"" + variant[0] + "\""), json);
        }
    }

    @Test
    void aModelThatIsNotOneIsAUsageErrorForLearnedMethodsAndANoteForAuto() throws Exception {
        Path junk = tmp.resolve("junk.params");
        Files.writeString(junk, "not a model");
        Path in = SampleData.archive("mri/BrainT1Slice.png");
        Outcome learned = yax("reconstruct", in.toString(), "-o", tmp.resolve("a").toString(), "--method", "network",
                "--model", junk.toString());
        assertEquals(Yax.EXIT_USAGE, learned.exit(), learned.err());
        assertTrue(learned.err().contains("no model card"), learned.err());
        Path report = tmp.resolve("b.csv");
        Outcome auto = yax("reconstruct", in.toString(), "-o", tmp.resolve("b").toString(), "--model", junk.toString(),
                "--report", report.toString());
        assertEquals(Yax.EXIT_OK, auto.exit(), auto.err());
        assertTrue(auto.err().contains("auto used the classical solver"), auto.err());
        String csv = Files.readString(report);
        assertTrue(csv.contains(",tv,") && csv.contains("auto used the classical solver"), csv);
        Outcome scale = yax("reconstruct", in.toString(), "-o", tmp.resolve("c").toString(), "--task", "sr", "--scale",
                "3", "--method", "network");
        assertEquals(Yax.EXIT_PARTIAL, scale.exit(), scale.err());
        assertTrue(scale.err().contains("no head for sr x3") && scale.err().contains("--method pnp"), scale.err());
    }

    @Test
    void trainWritesCheckpointLossCurvesAndAModelThatReconstructLoads() throws Exception {
        Path out = tmp.resolve("train");
        Outcome r = yax("train", "--data", SampleData.root().resolve("training/mri").toString(), "-o", out.toString(),
                "--name", "tiny", "--steps", "4", "--patches", "1", "--patch", "16", "--widths", "8,8,8",
                "--checkpoint-every", "2");
        assertEquals(Yax.EXIT_OK, r.exit(), r.err() + r.out());
        for (String f : new String[] {"tiny.params", "tiny.json", "loss.csv", "loss.png", "checkpoint/model.params",
            "checkpoint/optimizer.bin"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Outcome use = yax("reconstruct", SampleData.archive("mri/BrainT1Slice.png").toString(), "-o",
                tmp.resolve("use").toString(), "--method", "network", "--model", out.resolve("tiny.params").toString());
        assertEquals(Yax.EXIT_OK, use.exit(), use.err());
        Outcome bad = yax("train", "-o", tmp.resolve("bad").toString(), "--weights", "denoise=0,sr2=0,sr4=0,inpaint=0");
        assertEquals(Yax.EXIT_USAGE, bad.exit(), bad.err());
    }
}
