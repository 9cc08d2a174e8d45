package org.yax.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yax.io.AtomicFiles;
import org.yax.models.net.MultiTaskNet;

/**
 * A yax model on disk: {@code NAME.params} (DJL's parameter format, written by Block.saveParameters) and
 * {@code NAME.json} (its {@link ModelCard}) side by side. Both are written atomically.
 */
public final class ModelFiles {
    private ModelFiles() { }

    public static void save(MultiTaskNet net, ModelCard card, Path params) throws IOException {
        AtomicFiles.write(params, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                net.saveParameters(out);
            }
        });
        AtomicFiles.write(cardPath(params), tmp -> Files.writeString(tmp, card.toJson(), StandardCharsets.UTF_8));
    }

    /** NAME.json beside NAME.params (or NAME.pt): the card of a model file. */
    public static Path cardPath(Path params) {
        String name = params.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return params.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    /** A network with the card's architecture and the parameters from {@code params}, in {@code manager}. */
    public static MultiTaskNet load(ModelCard card, InputStream params, NDManager manager, String source)
            throws IOException {
        if (card.widths() == null || card.widths().length != 3) {
            throw new IOException(source + ": its card needs widths (three trunk channel counts) for a yax network");
        }
        MultiTaskNet net = new MultiTaskNet(card.widths());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(params))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(source + " is not a yax " + card.name() + " parameter file: " + e.getMessage(), e);
        }
        return net;
    }
}
