package org.yax.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.yax.batch.BatchListener;
import org.yax.batch.BatchWorker;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.batch.ResumeManifest;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The driver of a {@code yax spark} job: one Spark task per item, largest items first; each item's rows arrive as
 * its task succeeds (exactly once per item, whatever retries or speculative copies ran), are shown to the listener
 * and recorded in the resume manifest (here, on the driver only); the report lists the rows in the order of the
 * items, as {@code yax reconstruct}'s does.
 */
public final class SparkBatch {
    /** How often the driver rewrites the resume manifest with what finished meanwhile (and at the end). */
    private static final long MANIFEST_EVERY_MS = 2000;
    static final String INTERRUPTED = "interrupted";

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private java.util.function.ToLongFunction<Item> size = SparkBatch::bytes;
    private ManifestSaved saved = () -> { };
    private volatile JavaSparkContext running;

    /** Asks the job to stop: running tasks are killed, items not finished are reported as interrupted. */
    public void cancel() {
        cancelled.set(true);
        JavaSparkContext sc = running;
        if (sc != null) {
            sc.sc().cancelAllJobs();
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs the job on {@code sc}.
     *
     * @param manifest the output folder's resume manifest, in which {@code spec}'s stamp was started
     */
    public Report run(JavaSparkContext sc, JobSpec spec, List<Item> items, ResumeManifest manifest,
                      BatchListener listener) throws IOException {
        return run(sc, spec, items, manifest, listener, SparkBatch::bytes, () -> { });
    }

    /** The manifest's side effect after each save (a staged job publishes it to the remote output root). */
    interface ManifestSaved {
        void saved() throws IOException;
    }

    /**
     * As {@link #run(JavaSparkContext, JobSpec, List, ResumeManifest, BatchListener)}, with the items' sizes (for
     * largest-first ordering) and what follows each save of the manifest given.
     */
    Report run(JavaSparkContext sc, JobSpec spec, List<Item> items, ResumeManifest manifest, BatchListener listener,
               java.util.function.ToLongFunction<Item> size, ManifestSaved saved) throws IOException {
        this.size = size;
        this.saved = saved;
        long start = System.nanoTime();
        ItemResult[][] rowsByItem = new ItemResult[items.size()][];
        try {
            if (!items.isEmpty() && !cancelled.get()) {
                execute(sc, spec, items, manifest, listener, rowsByItem);
            }
        } finally {
            ExecutorState.release(spec); // local mode: the driver's JVM was the executor
            deleteTree(Path.of(spec.stagingRoot()));
            listener.closed();
        }
        List<ItemResult> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (rowsByItem[i] == null) {
                ItemResult r = rowOf(items.get(i));
                r.status = ItemResult.Status.skipped;
                r.reason = INTERRUPTED;
                rows.add(r);
            } else {
                rows.addAll(Arrays.asList(rowsByItem[i]));
            }
        }
        markClashes(rows);
        return new Report(rows, (System.nanoTime() - start) / 1e9);
    }

    private void execute(JavaSparkContext sc, JobSpec spec, List<Item> items, ResumeManifest manifest,
                         BatchListener listener, ItemResult[][] rowsByItem) throws IOException {
        // largest first (bytes on disk; a series: all its slices), so the long items do not start last
        Integer[] order = new Integer[items.size()];
        long[] bytes = new long[items.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            bytes[i] = size.applyAsLong(items.get(i));
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> -bytes[i]).thenComparingInt(i -> i));
        List<Item> sorted = Arrays.stream(order).map(items::get).toList();
        JavaRDD<Item> rdd = sc.parallelize(sorted, sorted.size()); // one item per partition, hence per task

        record Arrived(int partition, BatchWorker.Outcome outcome) { }
        BlockingQueue<Arrived> arrivals = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        running = sc;
        if (cancelled.get()) {
            return;
        }
        Thread job = new Thread(() -> {
            try {
                sc.setJobGroup("yax-" + spec.stamp().runId(), "yax spark " + items.size() + " items", true);
                sc.sc().runJob(rdd.rdd(), new ItemTask(spec), new Handler<>(arrivals::add, Arrived::new),
                        ClassTag$.MODULE$.apply(BatchWorker.Outcome.class));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "yax-spark-job");
        job.setDaemon(true);
        job.start();
        List<ResumeManifest.Done> pending = new ArrayList<>();
        long lastSave = System.currentTimeMillis();
        try {
            while (job.isAlive() || !arrivals.isEmpty()) {
                Arrived a = arrivals.poll(200, TimeUnit.MILLISECONDS);
                if (a != null) {
                    rowsByItem[order[a.partition()]] = a.outcome().rows().toArray(ItemResult[]::new);
                    pending.addAll(a.outcome().done());
                    listener.finished(a.outcome().rows());
                }
                if (!pending.isEmpty() && (System.currentTimeMillis() - lastSave > MANIFEST_EVERY_MS || a == null)) {
                    manifest.record(pending);
                    saved.saved();
                    pending.clear();
                    lastSave = System.currentTimeMillis();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } finally {
            running = null;
            if (!pending.isEmpty()) {
                manifest.record(pending);
                saved.saved();
            }
        }
        Throwable t = failure.get();
        if (t != null && !cancelled.get()) {
            // a task failed more often than spark.task.maxFailures allows, an executor was lost for good, ...:
            // the items without a row are failed with Spark's reason (not 'interrupted': --resume still redoes them)
            String reason = "cluster job failed: " + oneLine(t);
            for (int i = 0; i < rowsByItem.length; i++) {
                if (rowsByItem[i] == null) {
                    rowsByItem[i] = new ItemResult[] {rowOf(items.get(i)).fail(reason)};
                }
            }
        }
    }

    /** The driver's side of runJob: hands each successful task's result to the main thread. */
    private static final class Handler<U, A> extends AbstractFunction2<Object, U, BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient java.util.function.Consumer<A> sink;
        private final transient java.util.function.BiFunction<Integer, U, A> wrap;

        Handler(java.util.function.Consumer<A> sink, java.util.function.BiFunction<Integer, U, A> wrap) {
            this.sink = sink;
            this.wrap = wrap;
        }

        @Override
        public BoxedUnit apply(Object partition, U result) {
            sink.accept(wrap.apply((Integer) partition, result));
            return BoxedUnit.UNIT;
        }
    }

    /**
     * Output clashes between items (two inputs whose outputs get one name, e.g. a.jp2 and a.tif): locally the later
     * item fails before writing; here both were written by executors that could not know, so the later rows (in
     * item order) are failed with the same reason, and the file holds one of the two results.
     */
    static void markClashes(List<ItemResult> rows) {
        Map<String, String> firstInput = new HashMap<>();
        for (ItemResult r : rows) {
            if (r.status != ItemResult.Status.done || r.output == null || r.series != null) {
                continue;
            }
            String previous = firstInput.putIfAbsent(r.output, r.input);
            if (previous != null) {
                r.fail("output " + r.output + " clashes with the output of " + previous);
            }
        }
    }

    /** A row for an item that has none from its task: its input as given (a location on a Hadoop file system too). */
    static ItemResult rowOf(Item item) {
        ItemResult r = ItemResult.of(item);
        if (StagedJob.isRemote(item.file())) {
            r.input = item.file(); // Path.of would fold hdfs:// into hdfs:/
        }
        return r;
    }

    private static long bytes(Item item) {
        if (item.isSeries()) {
            return item.slices().stream().mapToLong(SparkBatch::bytes).sum();
        }
        try {
            return Files.size(item.input());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException ignored) {
            // a leftover is a hidden .yax-tmp- folder: ignored by discovery and compare-trees
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return m.length() > 500 ? m.substring(0, 497) + "..." : m;
    }
}
