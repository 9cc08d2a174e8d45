package org.yax.spark;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The job's SparkContext, started on a thread of its own so that its seconds of start-up overlap the driver's own
 * preparations. A context already running in this JVM (a test's, an embedding application's) is used and left
 * running; one started here is stopped on close, also when the job never asked for it (a usage error).
 */
final class ContextStart implements AutoCloseable {
    private final CompletableFuture<JavaSparkContext> context;
    private final boolean ours;

    private ContextStart(CompletableFuture<JavaSparkContext> context, boolean ours) {
        this.context = context;
        this.ours = ours;
    }

    static ContextStart begin(Supplier<SparkConf> conf) {
        SparkContext active = SparkContext$.MODULE$.getActive().getOrElse(() -> null);
        if (active != null) {
            return new ContextStart(CompletableFuture.completedFuture(JavaSparkContext.fromSparkContext(active)), false);
        }
        CompletableFuture<JavaSparkContext> starting = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                starting.complete(new JavaSparkContext(conf.get()));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        }, "yax-spark-context");
        t.setDaemon(true);
        t.start();
        return new ContextStart(starting, true);
    }

    /** The context, once started; Spark's own exception if it could not start. */
    JavaSparkContext get() {
        try {
            return context.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (ours) {
            try {
                context.join().close();
            } catch (CompletionException didNotStart) {
                // nothing to stop
            }
        }
    }
}
