package org.yax.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.yax.batch.Item;
import org.yax.batch.SeriesGrouping;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomHeaders;
import org.yax.spark.fs.HadoopStaging;
import scala.Tuple2;

/**
 * Series grouping with the headers read on the executors, not on the driver (30 million files at ~2.6 ms a header
 * are a day on one thread): stage 1 reads each discovered file's SeriesInstanceUID where it lies; the files are
 * shuffled by UID, and stage 2 groups each UID's files (two or more) with the same {@link SeriesGrouping} as
 * {@code yax reconstruct}. Grouping is per SeriesInstanceUID, so grouping each UID's files apart gives what grouping
 * all files together gives; {@link SeriesGrouping#merge} puts the series in place of their slices. Only the groups
 * come back to the driver, never a row per file.
 *
 * <p>Files on a shared path are read in place; files on a Hadoop file system are copied to executor-local space
 * first (the whole file: exact, no guessing where a header ends) and deleted at once.
 */
final class HeaderStages {
    /** Files per header task: a few seconds of header reads, few enough tasks for the scheduler. */
    private static final int FILES_PER_TASK = 1000;

    private HeaderStages() { }

    /** The discovered {@code files} (in discovery order) with each DICOM series' slices grouped into one item. */
    static List<Item> group(JavaSparkContext sc, List<Item> files, Access access) {
        Map<String, Integer> first = new LinkedHashMap<>();
        List<Tuple2<Integer, Item>> distinct = new ArrayList<>();
        for (Item f : files) {
            if (first.putIfAbsent(f.file(), distinct.size()) == null) {
                distinct.add(new Tuple2<>(distinct.size(), f));
            }
        }
        if (distinct.size() < 2) {
            return files;
        }
        int tasks = Math.min(distinct.size(), Math.max(sc.defaultParallelism() * 2, distinct.size() / FILES_PER_TASK));
        List<List<Item>> grouped = sc.parallelize(distinct, tasks)
                .mapPartitionsToPair(it -> {
                    // stage 1: the SeriesInstanceUID of every file that may be a slice
                    List<Tuple2<String, Tuple2<Integer, Item>>> out = new ArrayList<>();
                    try (Access.Scratch scratch = access.scratch("yax-headers-")) {
                        DicomFormat dicom = new DicomFormat();
                        while (it.hasNext()) {
                            Tuple2<Integer, Item> f = it.next();
                            String uid = uidOf(access, scratch, f._2(), dicom);
                            if (!uid.isEmpty()) {
                                out.add(new Tuple2<>(uid, f));
                            }
                        }
                    }
                    return out.iterator();
                })
                .groupByKey(tasks)
                .filter(g -> count(g._2()) >= 2)
                .map(g -> {
                    // stage 2: one UID's files, in discovery order, grouped exactly as locally
                    List<Tuple2<Integer, Item>> members = new ArrayList<>();
                    g._2().forEach(members::add);
                    members.sort(Comparator.comparingInt(Tuple2::_1));
                    return groupOne(access, members.stream().map(Tuple2::_2).toList());
                })
                .collect();
        return SeriesGrouping.merge(files, grouped);
    }

    private static String uidOf(Access access, Access.Scratch scratch, Item file, DicomFormat dicom) {
        try {
            Item local = scratch.local(file, 0);
            try {
                return SeriesGrouping.isCandidate(local, dicom) ? DicomHeaders.seriesInstanceUid(local.input()) : "";
            } finally {
                scratch.release(local);
            }
        } catch (IOException | RuntimeException unreadable) {
            return ""; // the item's task reports why
        }
    }

    private static List<Item> groupOne(Access access, List<Item> members) throws IOException {
        try (Access.Scratch scratch = access.scratch("yax-series-")) {
            Map<String, Item> original = new HashMap<>();
            List<Item> local = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Item l = scratch.local(members.get(i), i);
                local.add(l);
                original.put(l.file(), members.get(i));
            }
            List<Item> out = new ArrayList<>();
            for (Item r : SeriesGrouping.group(local)) {
                if (r.isSeries()) {
                    List<Item> slices = r.slices().stream().map(s -> original.get(s.file())).toList();
                    out.add(access.readsInPlace() ? r : new Item(StagedJob.commonFolder(slices.stream().map(Item::file)
                            .toList()), r.relativeTo(), r.explicit(), slices, r.seriesUid(), r.note()));
                } else if (r.note() != null) {
                    Item f = original.get(r.file());
                    String note = r.note();
                    for (Map.Entry<String, Item> copy : original.entrySet()) { // a note names the file, not its copy
                        note = note.replace(copy.getKey(), copy.getValue().file());
                    }
                    out.add(new Item(f.file(), f.relativeTo(), f.explicit(), List.of(), null, note));
                }
            }
            return out;
        }
    }

    private static int count(Iterable<?> values) {
        int n = 0;
        for (Object ignored : values) {
            if (++n >= 2) {
                break;
            }
        }
        return n;
    }

    /** How an executor gets at a discovered file: in place, or as a copy in local space. */
    abstract static class Access implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Files on a path every executor sees (a shared mount; anything in local mode). */
        static Access inPlace() {
            return new Access() {
                private static final long serialVersionUID = 1L;

                @Override
                boolean readsInPlace() {
                    return true;
                }

                @Override
                Scratch scratch(String prefix) {
                    return new Scratch(null) {
                        @Override
                        Item local(Item file, int slot) {
                            return file;
                        }
                    };
                }
            };
        }

        /** Files on a Hadoop file system, copied to the executor's local space. */
        static Access copied(HadoopStaging staging) {
            return new Access() {
                private static final long serialVersionUID = 1L;

                @Override
                boolean readsInPlace() {
                    return false;
                }

                @Override
                Scratch scratch(String prefix) throws IOException {
                    Path dir = Files.createTempDirectory(ExecutorState.localSpace(), prefix);
                    return new Scratch(dir) {
                        @Override
                        Item local(Item file, int slot) throws IOException {
                            // a folder per file: two files of one name from two folders never collide
                            Path p = dir.resolve(Integer.toString(slot)).resolve(StagedJob.lastName(file.file()));
                            Files.createDirectories(p.getParent());
                            try (InputStream in = staging.open(file.file())) {
                                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                            }
                            return new Item(p.toString(), file.relativeTo(), file.explicit(), List.of(), null, null);
                        }

                        @Override
                        void release(Item local) throws IOException {
                            Files.deleteIfExists(local.input());
                        }
                    };
                }
            };
        }

        abstract boolean readsInPlace();

        abstract Scratch scratch(String prefix) throws IOException;

        /** One task's local space (none for files read in place); deleted on close, whatever happened. */
        abstract static class Scratch implements AutoCloseable {
            private final Path dir;

            Scratch(Path dir) {
                this.dir = dir;
            }

            /** The file as an item whose {@link Item#input()} this JVM can read; slot keeps copies apart. */
            abstract Item local(Item file, int slot) throws IOException;

            /** Done with a file's header (a copy is deleted at once, so a task holds one file at a time). */
            void release(Item local) throws IOException { }

            @Override
            public void close() {
                if (dir != null) {
                    SparkBatch.deleteTree(dir);
                }
            }
        }
    }
}
