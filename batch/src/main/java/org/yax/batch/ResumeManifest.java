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
import org.yax.io.RunStamp;

/**
 * What an output folder already holds: for each output (relative path) the checksum of the input and
 * the hash of the parameters it was made with. {@code --resume} skips an item only when both match and
 * the output is still there. Kept as a hidden file in the output folder, rewritten atomically. It also records the
 * run's {@link RunStamp} (under the key {@value #RUN_KEY}), from which derived DICOM UIDs are made: {@code --resume}
 * continues that run (an item redone gets the UIDs it would have had), a fresh run starts a new one.
 *
 * <p>A cluster job reads the manifest on its workers and writes it only on the driver: a worker's
 * {@link #recorder()} answers {@link #isDone} from the file and collects what its item finished
 * ({@link #recorded()}), which the driver {@link #record records} when the item's result arrives.
 */
public final class ResumeManifest {
    static final String FILE_NAME = ".yax-manifest.json";
    /** The entry holding the run's id and start (never an output's path: those do not start with a dot). */
    static final String RUN_KEY = ".run";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** One finished output; the {@value #RUN_KEY} entry holds runId and started instead (Gson omits nulls). */
    record Entry(String inputSha256, String parameters, String runId, String started) {
        Entry(String inputSha256, String parameters) {
            this(inputSha256, parameters, null, null);
        }
    }

    /** What one item finished: sent from a worker to the driver, which records it. */
    public record Done(String key, String inputSha256, String parameters) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final Path file;
    private final Map<String, Entry> entries;
    /** A worker's recorder: what its item finished (the file is not written); null for the manifest itself. */
    private final java.util.List<Done> recorded;

    private ResumeManifest(Path file, Map<String, Entry> entries, java.util.List<Done> recorded) {
        this.file = file;
        this.entries = entries;
        this.recorded = recorded;
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
        return new ResumeManifest(f, entries, null);
    }

    /** The run recorded here (null if none): what {@code --resume} continues. */
    public synchronized RunStamp runStamp() {
        Entry e = entries.get(RUN_KEY);
        if (e == null || e.runId() == null || e.started() == null) {
            return null;
        }
        try {
            return new RunStamp(e.runId(), java.time.LocalDateTime.parse(e.started()));
        } catch (java.time.format.DateTimeParseException bad) {
            return null;
        }
    }

    /**
     * The stamp of the run about to start: with {@code resume} the one recorded here (a new one if none), else a
     * new one. Kept in memory; written with the next finished output (a dry run writes nothing).
     */
    public synchronized RunStamp startRun(boolean resume) {
        RunStamp stamp = resume && runStamp() != null ? runStamp() : RunStamp.fresh();
        entries.put(RUN_KEY, new Entry(null, null, stamp.runId(), stamp.started().toString()));
        return stamp;
    }

    /**
     * A view for one item on a worker: answers {@link #isDone} from this manifest's entries (shared, not copied: a
     * worker's manifest is only read), collects what the item finishes instead of writing the file.
     */
    public ResumeManifest recorder() {
        return new ResumeManifest(null, java.util.Collections.unmodifiableMap(entries), new java.util.ArrayList<>());
    }

    /** What a {@link #recorder()} collected (empty for the manifest itself). */
    public synchronized java.util.List<Done> recorded() {
        return recorded == null ? java.util.List.of() : java.util.List.copyOf(recorded);
    }

    /** Records what a worker's item finished (on the driver), in one atomic rewrite of the file. */
    public synchronized void record(java.util.List<Done> done) throws IOException {
        if (done.isEmpty()) {
            return;
        }
        for (Done d : done) {
            entries.put(d.key(), new Entry(d.inputSha256(), d.parameters()));
        }
        save();
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
        if (recorded != null) {
            recorded.add(new Done(outputRelative, inputSha256, parameters));
            return;
        }
        entries.put(outputRelative, new Entry(inputSha256, parameters));
        save();
    }

    private void save() throws IOException {
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
