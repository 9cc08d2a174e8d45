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
 * from a path: a {@code .params} file written by {@code yax train} with its {@code .json} card beside it.
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
            if (!lower.endsWith(".params")) {
                throw new IOException(path + " is not a yax model: expected NAME.params (from yax train) with NAME.json "
                        + "beside it");
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
}
