package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * With the task known, auto loads a model only when its card says auto would use it: the weights file below
 * is not a model at all, so any attempt to load it shows (as a note for auto, an error for network).
 */
class ModelChoiceTest {
    static Path modelWithCard(Path dir, List<String> auto) throws Exception {
        Path params = dir.resolve("m.params");
        Files.writeString(params, "not a yax parameter file", StandardCharsets.UTF_8);
        ModelCard card = new ModelCard("m", "test card", new int[] {8, 8, 8}, List.of("denoise", "sr2"), "per band",
                List.of(), "none", 0, Map.of(), auto);
        Files.writeString(ModelFiles.cardPath(params), card.toJson(), StandardCharsets.UTF_8);
        return params;
    }

    @Test
    void autoLoadsNothingWhenTheCardPrefersTheClassicalSolver(@TempDir Path dir) throws Exception {
        Path params = modelWithCard(dir, List.of("sr2"));
        try (ModelChoice c = ModelChoice.of(params.toString(), Method.AUTO, Task.DENOISE, 1)) {
            assertNull(c.model());
            assertNull(c.note(), "nothing went wrong: auto is the classical solver for denoise with this model");
        }
        assertNull(ModelCard.fromJson(Files.readString(ModelFiles.cardPath(params))).autoMethod(Task.DENOISE, 1));
    }

    @Test
    void autoTriesToLoadWhenTheCardPrefersTheNetwork(@TempDir Path dir) throws Exception {
        Path params = modelWithCard(dir, List.of("denoise"));
        try (ModelChoice c = ModelChoice.of(params.toString(), Method.AUTO, Task.DENOISE, 1)) {
            assertNotNull(c.model(), "deferred: the weights load when a solve first asks");
            assertNull(c.note(), "nothing tried yet");
            assertFalse(((DeferredModel) c.model()).isLoaded());
            assertNull(c.model().preferredMethod(Task.INPAINT, 1), "not in the card's auto list: classical");
            assertFalse(((DeferredModel) c.model()).isLoaded());
            assertNull(c.note());
            assertNull(c.model().preferredMethod(Task.DENOISE, 1), "the weights do not load: the classical solver");
            assertNotNull(c.note());
            assertTrue(c.note().contains("auto used the classical solver"), c.note());
            assertThrows(IllegalStateException.class, () -> c.model().denoise(null, 0.1),
                    "a solve that asks for the weights anyway is told why there are none");
        }
        // a learned method always loads: here the bad weights are the user's error
        assertThrows(IllegalArgumentException.class,
                () -> ModelChoice.of(params.toString(), Method.NETWORK, Task.DENOISE, 1));
    }

    @Test
    void theBuiltInModelLoadsWhenAutoFirstNeedsIt() {
        try (ModelChoice c = ModelChoice.of(ModelRegistry.DEFAULT_MODEL, Method.AUTO, Task.DENOISE, 1)) {
            DeferredModel model = (DeferredModel) c.model();
            assertFalse(model.isLoaded());
            assertEquals(ModelRegistry.DEFAULT_MODEL, model.name());
            assertTrue(model.hasHead(Task.SUPER_RESOLUTION, 4));
            assertEquals(Method.NETWORK, model.preferredMethod(Task.DENOISE, 1), "the shipped card: the denoise head");
            assertTrue(model.isLoaded());
            assertNull(c.note());
        }
    }

    @Test
    void aFineTunedCardHasTheNewNameAndNoScoresOrAutoEntries() throws Exception {
        ModelCard shipped = ModelRegistry.card(ModelRegistry.DEFAULT_MODEL);
        assertFalse(shipped.validation().isEmpty());
        ModelCard tuned = ModelCard.fromJson(shipped.fineTuned("my-scans", List.of("/data/scans")).toJson());
        assertEquals("my-scans", tuned.name());
        assertTrue(tuned.validation().isEmpty(), "scores of the base model were never measured for this one");
        assertEquals(List.of(), tuned.auto());
        for (Task t : Task.values()) {
            assertNull(tuned.autoMethod(t, 2), "auto stays classical until scripts/eval-models.sh writes entries: " + t);
        }
        assertEquals(shipped.heads(), tuned.heads());
        assertEquals(shipped.steps(), tuned.steps());
        assertTrue(tuned.trainingData().get(0).equals("/data/scans"), tuned.trainingData().toString());
    }

    @Test
    void theCardSaysWhichMethodAutoStandsFor() {
        ModelCard card = new ModelCard("m", "test card", new int[] {8, 8, 8}, List.of("denoise", "sr2", "inpaint"),
                "per band", List.of(), "none", 0, Map.of(), List.of("sr2", "inpaint:pnp", "pnp"));
        assertTrue(card.autoMethod(Task.SUPER_RESOLUTION, 2) == Method.NETWORK);
        assertTrue(card.autoMethod(Task.INPAINT, 1) == Method.PNP, "plug-and-play from the inpainting head");
        assertTrue(card.autoMethod(Task.DEBLUR, 1) == Method.PNP, "no head: plug-and-play");
        assertNull(card.autoMethod(Task.DENOISE, 1), "not listed: the classical solver");
        assertTrue(card.autoMethod(Task.SUPER_RESOLUTION, 4) == Method.PNP, "no x4 head in this card: pnp");
        ModelCard everything = new ModelCard("m", "a user's card", new int[] {8, 8, 8}, List.of("denoise", "inpaint"),
                "per band", List.of(), "none", 0, Map.of(), null);
        assertTrue(everything.autoMethod(Task.INPAINT, 1) == Method.NETWORK, "no list: every head directly");
        assertTrue(everything.autoMethod(Task.DEBLUR, 1) == Method.PNP);
        ModelCard perTask = new ModelCard("m", "test card", new int[] {8, 8, 8}, List.of("denoise"), "per band",
                List.of(), "none", 0, Map.of(), List.of("mri:pnp"));
        assertTrue(perTask.autoMethod(Task.MRI, 1) == Method.PNP, "plug-and-play listed for MRI");
        assertNull(perTask.autoMethod(Task.DEBLUR, 1), "not for deblurring: the classical solver");
        assertNull(perTask.autoMethod(Task.DENOISE, 1), "empty of heads: the classical solver");
    }

    @Test
    void cardsAreReadWithoutTheWeights(@TempDir Path dir) throws Exception {
        Path params = modelWithCard(dir, List.of());
        assertTrue(ModelRegistry.card(params.toString()).heads().contains("sr2"));
        assertNotNull(ModelRegistry.card(ModelRegistry.DEFAULT_MODEL));
        assertThrows(java.io.IOException.class, () -> ModelRegistry.card(dir.resolve("absent.params").toString()));
    }
}
