package org.yax.models;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yax.models.net.MultiTaskNet;

/**
 * The built-in models (parameters and cards shipped as resources of this module) and user models loaded
 * from a path, each with its {@code .json} card beside it: a {@code .params} file written by {@code yax train}
 * (or fine-tuned with it), or a TorchScript module ({@code .pt}) whose card names the one head it serves and
 * whose forward takes the same (N, 3, H, W) input as yax's network (measurement on the output grid, noise
 * map, mask) and returns (N, 1, H, W).
 */
public final class ModelRegistry {
    /** The model {@code --method auto|network|pnp} uses unless told otherwise. */
    public static final String DEFAULT_MODEL = "yax-mt-small";
    private static final String RESOURCES = "/org/yax/models/builtin/";

    private ModelRegistry() { }

    /** Cards of the built-in models, in the order of the resource index. */
    public static List<ModelCard> builtins() throws IOException {
        List<ModelCard> cards = new ArrayList<>();
        for (String name : builtinNames()) {
            cards.add(builtinCard(name));
        }
        return cards;
    }

    public static List<String> builtinNames() throws IOException {
        try (InputStream in = ModelRegistry.class.getResourceAsStream(RESOURCES + "index.txt")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    private static ModelCard builtinCard(String name) throws IOException {
        try (InputStream in = ModelRegistry.class.getResourceAsStream(RESOURCES + name + ".json")) {
            if (in == null) {
                throw new IOException("built-in model " + name + " has no card");
            }
            return ModelCard.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The card of a built-in model or of a model file (the {@code .json} beside it), without loading the
     * weights or the engine.
     *
     * @throws IOException as {@link #load} for an unknown name, a missing card or a card that is not one
     */
    public static ModelCard card(String nameOrPath) throws IOException {
        if (builtinNames().contains(nameOrPath)) {
            return builtinCard(nameOrPath);
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            throw new IOException("no model '" + nameOrPath + "': not a built-in (" + String.join(", ", builtinNames())
                    + ") and not a file");
        }
        Path cardFile = ModelFiles.cardPath(path);
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException(path + " has no model card " + cardFile.getFileName() + " beside it");
        }
        try {
            return ModelCard.fromJson(Files.readString(cardFile, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(cardFile + " is not a yax model card: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a built-in model by name, or a user model from a {@code .params} path, on {@code device}.
     *
     * @throws IOException with a message naming the model and what is wrong (unknown name, no card, not a
     *                     yax parameter file, ...)
     */
    public static LearnedModel load(String nameOrPath, Device device) throws IOException {
        ModelCard card;
        String source;
        InputStream params;
        if (builtinNames().contains(nameOrPath)) {
            card = builtinCard(nameOrPath);
            source = nameOrPath;
            params = ModelRegistry.class.getResourceAsStream(RESOURCES + nameOrPath + ".params");
            if (params == null) {
                throw new IOException("built-in model " + nameOrPath + " has no parameters");
            }
        } else {
            Path path = Path.of(nameOrPath);
            if (!Files.isRegularFile(path)) {
                throw new IOException("no model '" + nameOrPath + "': not a built-in (" + String.join(", ", builtinNames())
                        + ") and not a file");
            }
            String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean torchScript = lower.endsWith(".pt") || lower.endsWith(".torchscript");
            if (!lower.endsWith(".params") && !torchScript) {
                throw new IOException(path + " is not a yax model: expected NAME.params (from yax train) or a "
                        + "TorchScript NAME.pt, with NAME.json beside it");
            }
            Path cardFile = ModelFiles.cardPath(path);
            if (!Files.isRegularFile(cardFile)) {
                throw new IOException(path + " has no model card " + cardFile.getFileName() + " beside it");
            }
            try {
                card = ModelCard.fromJson(Files.readString(cardFile, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new IOException(cardFile + " is not a yax model card: " + e.getMessage(), e);
            }
            if (torchScript) {
                return loadTorchScript(path, card, device);
            }
            source = path.toString();
            params = Files.newInputStream(path);
        }
        NDManager manager = NDManager.newBaseManager(device);
        try (InputStream in = params) {
            MultiTaskNet net = ModelFiles.load(card, in, manager, source);
            return new LearnedModel(card, card.name(), manager, net);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static LearnedModel loadTorchScript(Path path, ModelCard card, Device device) throws IOException {
        if (card.heads().size() != 1) {
            throw new IOException(path + ": a TorchScript model serves exactly one head; its card names " + card.heads());
        }
        org.yax.models.net.Head.fromName(card.heads().get(0));
        ai.djl.Model model = ai.djl.Model.newInstance(card.name(), device, "PyTorch");
        try {
            model.load(path);
            // probe: the module must take the three input planes and give one
            try (NDManager probe = model.getNDManager().newSubManager()) {
                ai.djl.ndarray.NDArray out = model.getBlock().forward(new ai.djl.training.ParameterStore(probe, false),
                        new ai.djl.ndarray.NDList(probe.zeros(new ai.djl.ndarray.types.Shape(1, 3, 16, 16))), false)
                        .singletonOrThrow();
                if (!out.getShape().equals(new ai.djl.ndarray.types.Shape(1, 1, 16, 16))) {
                    throw new IOException("returns " + out.getShape() + " for a (1, 3, 16, 16) input");
                }
            }
            return new LearnedModel(card, card.name(), model);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException(path + " is not a usable TorchScript model: it must map (N, 3, H, W) (measurement, "
                    + "noise map, mask) to (N, 1, H, W): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
