package org.yax.spark;

import com.pixelmed.dicom.DicomException;
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
import org.yax.io.dicom.SliceHeader;
import org.yax.spark.fs.HadoopStaging;
import scala.Tuple2;

/**
 * Series grouping with the headers read on the executors, not on the driver (30 million files at ~2.6 ms a header
 * are a day on one thread): stage 1 reads each discovered file's header where it lies, once; the headers are
 * shuffled by SeriesInstanceUID, and stage 2 groups each UID's files (two or more) with the same
 * {@link SeriesGrouping} as {@code yax reconstruct}, from the headers stage 1 read (no file is opened again).
 * Grouping is per SeriesInstanceUID, so grouping each UID's files apart gives what grouping all files together
 * gives; {@link SeriesGrouping#merge} puts the series in place of their slices. Only the groups come back to the
 * driver, never a row per file.
 *
 * <p>Files on a shared path are read in place; files on a Hadoop file system are copied to executor-local space
 * first (the whole file: exact, no guessing where a header ends) and deleted at once.
 */
final class HeaderStages {
    /** Files per header task: a few seconds of header reads, few enough tasks for the scheduler. */
    private static final int FILES_PER_TASK = 1000;

    private HeaderStages() { }

    /**
     * What stage 1 learnt about one file that may be a slice: its place in discovery order, the file, and its header,
     * or (header null) why assembly could not read it, with the UID a plain header read still found.
     */
    record Known(int index, Item file, SliceHeader header, String unreadable) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

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
                    // stage 1: the header of every file that may be a slice, keyed by its SeriesInstanceUID
                    List<Tuple2<String, Known>> out = new ArrayList<>();
                    try (Access.Scratch scratch = access.scratch("yax-headers-")) {
                        DicomFormat dicom = new DicomFormat();
                        while (it.hasNext()) {
                            Tuple2<Integer, Item> f = it.next();
                            Tuple2<String, Known> known = read(scratch, f._1(), f._2(), dicom);
                            if (known != null) {
                                out.add(known);
                            }
                        }
                    }
                    return out.iterator();
                })
                .groupByKey(tasks)
                .filter(g -> count(g._2()) >= 2)
                .map(g -> {
                    // stage 2: one UID's files, in discovery order, grouped exactly as locally
                    List<Known> members = new ArrayList<>();
                    g._2().forEach(members::add);
                    members.sort(Comparator.comparingInt(Known::index));
                    return groupOne(access, g._1(), members);
                })
                .collect();
        return SeriesGrouping.merge(files, grouped);
    }

    /** The file's UID and what assembly needs of it, or null when it is no slice candidate or has no UID. */
    private static Tuple2<String, Known> read(Access.Scratch scratch, int index, Item file, DicomFormat dicom) {
        try {
            Item local = scratch.local(file);
            try {
                if (!SeriesGrouping.isCandidate(local, dicom)) {
                    return null;
                }
                try {
                    SliceHeader h = SliceHeader.read(local.input());
                    return h.seriesUid().isEmpty() ? null : new Tuple2<>(h.seriesUid(), new Known(index, file, h, null));
                } catch (IOException | DicomException | RuntimeException e) {
                    // assembly skips it with this reason (a note if its series is grouped); a copy's path is the file's
                    String uid = DicomHeaders.seriesInstanceUid(local.input());
                    String reason = String.valueOf(e.getMessage()).replace(local.file(), file.file());
                    return uid.isEmpty() ? null : new Tuple2<>(uid, new Known(index, file, null, reason));
                }
            } finally {
                scratch.release(local);
            }
        } catch (IOException | RuntimeException unreadable) {
            return null; // the item's task reports why
        }
    }

    /** Groups one UID's files from their headers, as {@link SeriesGrouping#group} groups files it reads. */
    private static List<Item> groupOne(Access access, String uid, List<Known> members) {
        Map<Path, Known> byInput = new HashMap<>();
        for (Known k : members) {
            byInput.put(k.file().input(), k);
        }
        SeriesGrouping.Headers headers = new SeriesGrouping.Headers() {
            @Override
            public boolean isCandidate(Item item) {
                return true; // stage 1 checked, where the file could be read
            }

            @Override
            public SliceHeader header(Path file) throws IOException {
                Known k = byInput.get(file);
                if (k.header() == null) {
                    throw new IOException(k.unreadable());
                }
                return k.header();
            }

            @Override
            public String seriesUid(Path file) {
                return uid;
            }
        };
        List<Item> out = new ArrayList<>();
        for (Item r : SeriesGrouping.group(members.stream().map(Known::file).toList(), headers)) {
            if (access.readsInPlace()) {
                if (r.isSeries() || r.note() != null) {
                    out.add(r);
                }
            } else if (r.isSeries()) { // a URI's Path folds its '//': name the series by its files' locations
                out.add(new Item(StagedJob.commonFolder(r.slices().stream().map(Item::file).toList()), r.relativeTo(),
                        r.explicit(), r.slices(), r.seriesUid(), r.note()));
            } else if (r.note() != null) {
                String note = r.note();
                for (Known k : members) { // a note names files by their Paths: by their locations instead
                    note = note.replace(k.file().input().toString(), k.file().file());
                }
                out.add(new Item(r.file(), r.relativeTo(), r.explicit(), List.of(), null, note));
            }
        }
        return out;
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
                        Item local(Item file) {
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
                        Item local(Item file) throws IOException {
                            Path p = dir.resolve(StagedJob.lastName(file.file())); // one file at a time
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

            /** The file as an item whose {@link Item#input()} this JVM can read. */
            abstract Item local(Item file) throws IOException;

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
