package org.yax.batch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.yax.io.AtomicFiles;

/**
 * What an output folder already holds: for each output (relative path) the checksum of the input and
 * the hash of the parameters it was made with. {@code --resume} skips an item only when both match and
 * the output is still there. Kept as a hidden file in the output folder, rewritten atomically.
 */
public final class ResumeManifest {
    static final String FILE_NAME = ".yax-manifest.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** One finished output. */
    record Entry(String inputSha256, String parameters) { }

    private final Path file;
    private final Map<String, Entry> entries;

    private ResumeManifest(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public static ResumeManifest load(Path outputRoot) throws IOException {
        Path f = outputRoot.resolve(FILE_NAME);
        Map<String, Entry> entries = new TreeMap<>();
        if (Files.isRegularFile(f)) {
            try {
                Map<String, Entry> read = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8),
                        new TypeToken<TreeMap<String, Entry>>() { }.getType());
                if (read != null) {
                    entries.putAll(read);
                }
            } catch (JsonParseException e) {
                // a damaged manifest only costs redoing work; never a reason to stop
                entries.clear();
            }
        }
        return new ResumeManifest(f, entries);
    }

    public synchronized boolean isDone(String outputRelative, String inputSha256, String parameters, Path output) {
        Entry e = entries.get(outputRelative);
        return e != null && e.inputSha256().equals(inputSha256) && e.parameters().equals(parameters)
                && Files.isRegularFile(output);
    }

    /** As {@link #isDone(String, String, String, Path)} for an item with several outputs (a series): all must exist. */
    public synchronized boolean isDone(String key, String inputSha256, String parameters, java.util.List<Path> outputs) {
        Entry e = entries.get(key);
        return e != null && e.inputSha256().equals(inputSha256) && e.parameters().equals(parameters)
                && outputs.stream().allMatch(Files::isRegularFile);
    }

    public synchronized void markDone(String outputRelative, String inputSha256, String parameters)
            throws IOException {
        entries.put(outputRelative, new Entry(inputSha256, parameters));
        String json = GSON.toJson(entries);
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
