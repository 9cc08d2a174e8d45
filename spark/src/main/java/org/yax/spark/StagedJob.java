package org.yax.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.yax.batch.BatchWorker;
import org.yax.batch.Failures;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.SeriesGrouping;
import org.yax.io.Formats;
import org.yax.io.ImageFormat;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomHeaders;
import org.yax.spark.fs.HadoopStaging;
import org.yax.spark.fs.StagedItem;

/**
 * A {@code yax spark} job whose inputs or output are on a Hadoop file system ({@code hdfs://}, {@code s3a://}, ...):
 * discovery lists the input roots with {@link HadoopStaging#list}; series grouping reads headers in two small Spark
 * stages (each file's SeriesInstanceUID, then each group of files sharing one grouped by the same
 * {@link SeriesGrouping} as locally, on local copies); each item's task copies its file(s) to local space,
 * reconstructs them with the executor's {@link BatchWorker} into a local output folder and publishes the outputs to
 * the remote output root (temporary name + rename per file); the driver keeps the resume manifest and the report
 * there (read with {@code open}, written with {@code publishFile}).
 *
 * <p>Items carry remote locations as strings ({@link Item#file()}: the location; {@link Item#relativeTo()}: the
 * path below its input root, which names the outputs as locally).
 */
final class StagedJob {
    static final String MANIFEST = ".yax-manifest.json";

    private StagedJob() { }

    /** Whether a command-line location needs staging: a URI with a scheme other than {@code file}. */
    static boolean isRemote(String location) {
        return HadoopStaging.isRemote(location);
    }

    // --- driver: discovery ------------------------------------------------------------------------------------

    /**
     * The job's items, as {@code yax reconstruct}'s discovery and series grouping give them for the same tree: the
     * inputs in order, each folder's files sorted by relative path (hidden and temporary names skipped), the slices
     * of each DICOM series grouped into one item placed where its first file was found.
     */
    static List<Item> items(JavaSparkContext sc, HadoopStaging staging, List<String> inputs,
                            Map<String, Long> lengths) throws IOException {
        List<Item> files = new ArrayList<>();
        for (String in : inputs) {
            if (!staging.exists(in)) {
                // as locally: a missing input is an item, reported with its reason by the task
                files.add(new Item(in, lastName(in), true, List.of(), null, null));
                continue;
            }
            boolean folder = staging.isDirectory(in);
            for (HadoopStaging.RemoteFile f : staging.list(in)) {
                files.add(new Item(f.location(), f.relative(), !folder, List.of(), null, null));
                lengths.put(f.location(), f.length());
            }
        }
        // series grouping: headers read on the executors from local copies (HeaderStages)
        return HeaderStages.group(sc, files, HeaderStages.Access.copied(staging));
    }

    /** The deepest folder holding every location ('/'-separated URIs or paths). */
    static String commonFolder(List<String> locations) {
        String common = parentOf(locations.get(0));
        for (String l : locations) {
            while (!common.isEmpty() && !l.startsWith(common + "/")) {
                common = parentOf(common);
            }
        }
        return common;
    }

    private static String parentOf(String location) {
        int slash = location.lastIndexOf('/');
        return slash <= 0 ? "" : location.substring(0, slash);
    }

    static String lastName(String location) {
        String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return l.substring(l.lastIndexOf('/') + 1);
    }

    private static void copy(HadoopStaging staging, String location, Path local) throws IOException {
        Files.createDirectories(local.getParent());
        try (InputStream in = staging.open(location)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Bytes of an item (a series: all its slices), from the listing, for largest-first ordering. */
    static long bytes(Item item, Map<String, Long> lengths) {
        if (item.isSeries()) {
            return item.slices().stream().mapToLong(s -> bytes(s, lengths)).sum();
        }
        return lengths.getOrDefault(item.file(), 0L);
    }

    // --- executor: one item ------------------------------------------------------------------------------------

    /**
     * Processes one item of a staged job on this executor: copies its file(s) to local space, reconstructs with the
     * JVM's worker into its local output folder, publishes what the item wrote to the remote output root, and
     * deletes the local copies whatever happened. Rows name the remote input and output locations.
     */
    static BatchWorker.Outcome process(JobSpec spec, ExecutorState state, Item item, String attemptName,
                                       BooleanSupplier cancelled, Runnable afterPublish) {
        HadoopStaging staging = spec.staging();
        BatchWorker worker = state.worker;
        Path localOut = state.localOutput;
        Map<String, String> remoteOf = new HashMap<>();
        List<Path> placeholders = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        try (StagedItem scratch = staging.newItem(state.localSpace, item.relativeTo())) {
            Item local;
            try {
                local = stage(staging, item, scratch.inputDir(), remoteOf);
            } catch (IOException | RuntimeException e) {
                ItemResult r = SparkBatch.rowOf(item);
                r.fail(e instanceof FileNotFoundException ? "no such file or folder"
                        : "cannot copy the input to local space: " + Failures.reason(e));
                return new BatchWorker.Outcome(List.of(r), List.of());
            }
            if (isResume(spec)) {
                placeholders.addAll(placeholders(staging, spec.outputRoot(), item, localOut));
            }
            Path attempt = worker.isDryRun() ? null : scratch.outputDir().resolveSibling("staging-" + attemptName);
            BatchWorker.Outcome o = worker.process(local, attempt, cancelled, written::add);
            List<org.yax.batch.ResumeManifest.Done> done = o.done();
            ItemResult first = o.rows().get(0);
            if (!written.isEmpty()) {
                try {
                    for (Path w : written) {
                        Path target = scratch.outputDir().resolve(localOut.relativize(w).toString());
                        Files.createDirectories(target.getParent());
                        Files.move(w, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    scratch.publish(spec.outputRoot());
                    afterPublish.run();
                } catch (IOException | RuntimeException e) {
                    if (first.status == ItemResult.Status.done) {
                        first.status = ItemResult.Status.failed;
                        first.reason = "cannot publish the output into " + spec.outputRoot() + ": "
                                + Failures.reason(e);
                        done = List.of();
                    }
                    if (e instanceof RuntimeException re && !(e instanceof java.io.UncheckedIOException)) {
                        throw re; // e.g. the test hook's failure: the task fails and is retried
                    }
                }
            }
            for (ItemResult r : o.rows()) {
                r.input = r.input == null ? null : remoteOf.getOrDefault(r.input, r.input);
                r.output = remoteName(r.output, localOut, spec.outputRoot());
                if (r.reason != null) { // a reason naming a local copy names the remote file instead
                    for (Map.Entry<String, String> e : remoteOf.entrySet()) {
                        r.reason = r.reason.replace(e.getKey(), e.getValue());
                    }
                    r.reason = r.reason.replace(localOut.toString(), spec.outputRoot());
                }
            }
            return new BatchWorker.Outcome(o.rows(), done);
        } catch (IOException e) {
            return new BatchWorker.Outcome(List.of(SparkBatch.rowOf(item)
                    .fail("cannot use local space " + state.localSpace + ": " + Failures.reason(e))), List.of());
        } finally {
            for (Path p : placeholders) {
                deleteQuietly(p);
            }
            for (Path p : written) {
                deleteQuietly(p);
            }
        }
    }

    private static boolean isResume(JobSpec spec) {
        return spec.args().contains("--resume");
    }

    /** A local copy of the item (each file in a folder of its own: slices from two roots never collide). */
    private static Item stage(HadoopStaging staging, Item item, Path inputDir, Map<String, String> remoteOf)
            throws IOException {
        if (!item.isSeries()) {
            Path p = inputDir.resolve("0").resolve(lastName(item.file()));
            copy(staging, item.file(), p);
            remoteOf.put(p.toString(), item.file());
            return new Item(p.toString(), item.relativeTo(), item.explicit(), List.of(), null, item.note());
        }
        List<Item> slices = new ArrayList<>();
        for (int i = 0; i < item.slices().size(); i++) {
            Item s = item.slices().get(i);
            Path p = inputDir.resolve(Integer.toString(i)).resolve(lastName(s.file()));
            copy(staging, s.file(), p);
            remoteOf.put(p.toString(), s.file());
            slices.add(new Item(p.toString(), s.relativeTo(), s.explicit(), List.of(), null, s.note()));
        }
        remoteOf.put(inputDir.toString(), item.file());
        return new Item(inputDir.toString(), item.relativeTo(), item.explicit(), slices, item.seriesUid(),
                item.note());
    }

    /**
     * With --resume, the worker skips an output the manifest records only when the output exists below its
     * (local) output root: an empty local stand-in is made for each possible output name of the item that exists
     * on the remote root (never published: only files the worker writes are). Returns the stand-ins made.
     */
    private static List<Path> placeholders(HadoopStaging staging, String remoteRoot, Item item, Path localOut)
            throws IOException {
        List<Item> files = item.isSeries() ? item.slices() : List.of(item);
        Set<String> candidates = new LinkedHashSet<>();
        for (Item f : files) {
            String rel = f.relativeTo().replace('\\', '/');
            String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/') + 1) : "";
            String name = rel.substring(parent.length());
            for (ImageFormat format : Formats.all()) {
                candidates.add(parent + format.outputFileName(name));
            }
        }
        List<Path> made = new ArrayList<>();
        for (String rel : candidates) {
            Path p = localOut.resolve(rel);
            if (!Files.exists(p) && staging.exists(HadoopStaging.resolve(remoteRoot, rel))) {
                Files.createDirectories(p.getParent());
                Files.createFile(p);
                made.add(p);
            }
        }
        return made;
    }

    /** A path below the local output root as the remote location it stands for (anything else unchanged). */
    static String remoteName(String output, Path localOut, String remoteRoot) {
        if (output == null) {
            return null;
        }
        Path p = Path.of(output);
        if (!p.startsWith(localOut)) {
            return output;
        }
        String rel = localOut.relativize(p).toString().replace('\\', '/');
        return rel.isEmpty() ? remoteRoot : HadoopStaging.resolve(remoteRoot, rel);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // a stand-in or a moved output left in the local output folder: deleted with it at the end
        }
    }
}
