package org.yax.models;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.List;
import java.util.Map;

/**
 * What a model is and how it was made, stored as JSON next to its parameters: the architecture (trunk
 * widths), its heads, the training data and recipe, and validation scores measured by {@code yax eval}
 * on held-out images.
 *
 * @param name         registry name, e.g. "yax-mt-small"
 * @param description  one line for {@code yax models}
 * @param widths       trunk channels at full, half and quarter resolution
 * @param heads        head names (see {@link org.yax.models.net.Head})
 * @param channels     how multi-band images are handled
 * @param trainingData where the training images came from
 * @param recipe       the training command and settings
 * @param steps        optimisation steps done
 * @param validation   score name -> value, e.g. "denoise sigma 25 camera PSNR" -> 30.1
 * @param auto         what {@code --method auto} may use, written by scripts/eval-models.sh from the held-out scores
 *                     by the rule in docs/MODELS.md: a head name ("sr4") where the head's direct result won,
 *                     "head:pnp" ("inpaint:pnp") where plug-and-play from that head did, "task:pnp" ("mri:pnp")
 *                     where plug-and-play did for a task without a head, and "pnp" for every task without a head;
 *                     a task not listed gets the classical solver; empty: nothing measured yet (a fine-tuned
 *                     model); null means every head and pnp
 */
public record ModelCard(String name, String description, int[] widths, List<String> heads, String channels,
                        List<String> trainingData, String recipe, int steps, Map<String, Double> validation,
                        List<String> auto) {
    public ModelCard(String name, String description, int[] widths, List<String> heads, String channels,
                     List<String> trainingData, String recipe, int steps, Map<String, Double> validation) {
        this(name, description, widths, heads, channels, trainingData, recipe, steps, validation, null);
    }

    /** Whether {@code --method auto} may use this head, "head:pnp" or "pnp". */
    public boolean autoUses(String headOrPnp) {
        return auto == null ? headOrPnp.equals("pnp") || heads.contains(headOrPnp) : auto.contains(headOrPnp);
    }

    /**
     * What {@code --method auto} does with this model for a task and scale: PNP (plug-and-play from the head
     * for them is allowed, or there is no head and plug-and-play is allowed), NETWORK (the head is allowed), or
     * null (the classical solver). Read from the card
     * alone, so a front end can tell before loading the weights (and the engine) whether it needs them.
     */
    public org.yax.core.task.Method autoMethod(org.yax.core.task.Task task, int scale) {
        org.yax.models.net.Head h = org.yax.models.net.Head.of(task, scale);
        if (h != null && heads.contains(h.cliName())) {
            if (auto != null && auto.contains(h.cliName() + ":pnp")) {
                return org.yax.core.task.Method.PNP;
            }
            return autoUses(h.cliName()) ? org.yax.core.task.Method.NETWORK : null;
        }
        return autoUses("pnp") || autoUses(task.cliName() + ":pnp") ? org.yax.core.task.Method.PNP : null;
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public String toJson() {
        return GSON.toJson(this);
    }

    public static ModelCard fromJson(String json) {
        ModelCard card = GSON.fromJson(json, ModelCard.class);
        if (card == null || card.heads() == null || card.heads().isEmpty() || card.name() == null) {
            throw new IllegalArgumentException("not a yax model card (needs name and heads)");
        }
        return card;
    }

    public ModelCard withProgress(int doneSteps, String newRecipe) {
        return new ModelCard(name, description, widths, heads, channels, trainingData, newRecipe, doneSteps, validation,
                auto);
    }

    /**
     * The card of a model fine-tuned from this one ({@code yax train --init}): the new name and training data, this
     * architecture and step count, and no validation scores and an empty auto list (so {@code --method auto} uses
     * the classical solvers) until scripts/eval-models.sh measures the new model and writes them.
     */
    public ModelCard fineTuned(String newName, List<String> newData) {
        List<String> data = new java.util.ArrayList<>(newData);
        data.add("fine-tuned from " + name + ", trained on: " + String.join("; ", trainingData));
        return new ModelCard(newName, description + " (fine-tuned from " + name + ")", widths, heads, channels, data,
                recipe, steps, Map.of(), List.of());
    }

    public ModelCard withValidation(Map<String, Double> scores) {
        return new ModelCard(name, description, widths, heads, channels, trainingData, recipe, steps, scores, auto);
    }
}
