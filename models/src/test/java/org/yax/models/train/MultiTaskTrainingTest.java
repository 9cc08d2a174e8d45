package org.yax.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Progress;
import org.yax.models.ModelCard;
import org.yax.models.net.Head;

/** yax train's loop: losses fall, and an interrupted run resumed from its checkpoint ends where an uninterrupted one does. */
class MultiTaskTrainingTest {
    @TempDir
    Path tmp;

    static Path trainingData() {
        Path data = Path.of(System.getProperty("yax.sampleData", "../sample-data/data")).resolve("training/mri");
        assertTrue(Files.isDirectory(data), "missing " + data + ": run scripts/setup.sh");
        return data;
    }

    private TrainingSettings settings(Path out, int steps) {
        return new TrainingSettings(List.of(trainingData()), out, steps, 2, 16, 2e-3, 5,
                Map.of(Head.DENOISE, 1.0, Head.SR2, 1.0, Head.SR4, 0.5, Head.INPAINT, 1.0), new int[] {8, 8, 12},
                null, 3);
    }

    private static ModelCard card() {
        return new ModelCard("tiny", "test", new int[] {8, 8, 12}, MultiTaskTraining.allHeads(), "1", List.of(), "", 0,
                Map.of());
    }

    @Test
    void resumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws Exception {
        Path straight = new MultiTaskTraining(settings(tmp.resolve("a"), 8)).run(card(), Progress.NONE);

        AtomicInteger polls = new AtomicInteger();
        Progress stopsAfterFour = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return polls.incrementAndGet() > 4; }
        };
        Path b = tmp.resolve("b");
        new MultiTaskTraining(settings(b, 8)).run(card(), stopsAfterFour);
        assertEquals(4, ModelCard.fromJson(Files.readString(b.resolve("checkpoint/model.json"))).steps());
        Path resumed = new MultiTaskTraining(settings(b, 8)).run(card(), Progress.NONE);

        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed),
                "parameters after 8 steps differ between a straight and a resumed run");
        assertEquals(8, ModelCard.fromJson(Files.readString(b.resolve("tiny.json"))).steps());
        List<String> csv = Files.readAllLines(b.resolve("loss.csv"));
        assertTrue(csv.get(0).startsWith("step,learning_rate,loss_denoise"), csv.get(0));
        assertTrue(Files.size(b.resolve("loss.png")) > 1000, "loss plot missing");
        assertTrue(!Files.exists(b.resolve("checkpoint.new")) && !Files.exists(b.resolve("checkpoint.old")));
    }

    @Test
    void lossesFallOverTheFirstSteps() throws Exception {
        Path out = tmp.resolve("c");
        new MultiTaskTraining(settings(out, 60)).run(card(), Progress.NONE);
        List<String> rows = Files.readAllLines(out.resolve("loss.csv"));
        double first = total(rows.get(1));
        double last = total(rows.get(rows.size() - 1));
        assertTrue(last < 0.8 * first, "summed head losses went from " + first + " to " + last);
    }

    private static double total(String row) {
        String[] f = row.split(",");
        double sum = 0;
        for (int h = 0; h < Head.values().length; h++) {
            sum += Double.parseDouble(f[2 + h]);
        }
        return sum;
    }
}
