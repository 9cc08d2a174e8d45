package org.yax.spark;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.yax.batch.BatchWorker;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * One Spark task: its partition holds exactly one item, which the executor JVM's {@link ExecutorState worker}
 * reconstructs into a staging folder of this attempt's own, then publishes (see {@link BatchWorker}). The rows say
 * on which host and in which attempt the item ran.
 */
final class ItemTask extends AbstractFunction2<TaskContext, Iterator<Item>, BatchWorker.Outcome>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final JobSpec spec;

    ItemTask(JobSpec spec) {
        this.spec = spec;
    }

    @Override
    public BatchWorker.Outcome apply(TaskContext task, Iterator<Item> items) {
        List<ItemResult> rows = new ArrayList<>();
        List<org.yax.batch.ResumeManifest.Done> done = new ArrayList<>();
        while (items.hasNext()) { // one item per partition; a loop all the same
            Item item = items.next();
            if (spec.staged()) {
                boolean fail = spec.hook().failsOn(item, task.attemptNumber());
                BatchWorker.Outcome o = StagedJob.process(spec, ExecutorState.of(spec), item,
                        "p" + task.partitionId() + "-a" + task.attemptNumber() + "-t" + task.taskAttemptId(),
                        task::isInterrupted, () -> {
                            if (fail) {
                                spec.hook().fail(); // after the item's outputs were published
                            }
                        });
                if (fail) {
                    spec.hook().fail(); // nothing was published
                }
                String host = host();
                for (ItemResult r : o.rows()) {
                    r.host = host;
                    r.attempt = task.attemptNumber();
                }
                rows.addAll(o.rows());
                done.addAll(o.done());
                continue;
            }
            BatchWorker worker = ExecutorState.of(spec).worker;
            Path staging = worker.isDryRun() ? null : Path.of(spec.stagingRoot()).resolve("p" + task.partitionId()
                    + "-a" + task.attemptNumber() + "-t" + task.taskAttemptId());
            boolean fail = spec.hook().failsOn(item, task.attemptNumber());
            AtomicInteger published = new AtomicInteger();
            BatchWorker.Outcome o = worker.process(item, staging, task::isInterrupted, file -> {
                if (fail && published.incrementAndGet() == 1) {
                    spec.hook().fail(); // after the first file of the item was published: a partial output
                }
            });
            if (fail) {
                spec.hook().fail(); // nothing was published (e.g. the item failed or was skipped)
            }
            String host = host();
            for (ItemResult r : o.rows()) {
                r.host = host;
                r.attempt = task.attemptNumber();
            }
            rows.addAll(o.rows());
            done.addAll(o.done());
        }
        return new BatchWorker.Outcome(rows, done);
    }

    /** This executor JVM's host name, looked up once (a lookup may ask the resolver). */
    private static String host() {
        return Host.NAME;
    }

    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown";
            }
        }
    }
}
