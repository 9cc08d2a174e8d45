package org.yax.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.yax.batch.Item;

/**
 * A test hook: the first attempt of chosen items fails after publishing part of its output, so tests can check that
 * a retry finishes the item, every output stays valid, a series is never split and the report has one row per item.
 * Read on the driver and shipped with the job (so executor JVMs need not be configured):
 * <ul>
 *   <li>{@value #ITEMS_PROPERTY} (system property) or {@value #ITEMS_ENV} (environment): comma-separated item
 *       names; an item matches by its relative path, its file name, or (a series) its folder's name;</li>
 *   <li>{@value #MODE_PROPERTY} / {@value #MODE_ENV}: {@code throw} (default: the task throws, Spark retries it) or
 *       {@code halt} (the executor JVM halts at once, as if killed: for multi-JVM cluster tests only; in local mode
 *       it would halt the driver).</li>
 * </ul>
 * Only attempt 0 fails; with Spark's retries (local[N,F] with F &gt;= 2, or a cluster) the next attempt succeeds.
 *
 * @param items what to fail (empty: the hook is off)
 * @param halt  halt the JVM instead of throwing
 */
public record FailureHook(List<String> items, boolean halt) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String ITEMS_PROPERTY = "yax.spark.failFirstAttempt";
    public static final String ITEMS_ENV = "YAX_SPARK_FAIL_FIRST_ATTEMPT";
    public static final String MODE_PROPERTY = "yax.spark.failMode";
    public static final String MODE_ENV = "YAX_SPARK_FAIL_MODE";
    /** The message of the injected failure (tests look for it in the logs). */
    public static final String MESSAGE = "yax test hook: first attempt failed on purpose after a partial publish";

    public static final FailureHook OFF = new FailureHook(List.of(), false);

    public FailureHook {
        items = List.copyOf(items);
    }

    /** The hook as this (driver) JVM's system properties or environment configure it. */
    public static FailureHook fromEnvironment() {
        String names = System.getProperty(ITEMS_PROPERTY, System.getenv(ITEMS_ENV));
        if (names == null || names.isBlank()) {
            return OFF;
        }
        String mode = System.getProperty(MODE_PROPERTY, System.getenv(MODE_ENV));
        return new FailureHook(Arrays.stream(names.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
                mode != null && mode.toLowerCase(Locale.ROOT).equals("halt"));
    }

    public boolean isOff() {
        return items.isEmpty();
    }

    /** Whether attempt {@code attempt} of {@code item} is to fail. */
    public boolean failsOn(Item item, int attempt) {
        if (attempt != 0 || items.isEmpty()) {
            return false;
        }
        String rel = item.relativeTo().replace('\\', '/');
        String name = item.relative().getFileName() == null ? rel : item.relative().getFileName().toString();
        String folder = item.input().getFileName() == null ? "" : item.input().getFileName().toString();
        return items.contains(rel) || items.contains(name) || (item.isSeries() && items.contains(folder));
    }

    /** Fails: called after part of the item's output was published. */
    public void fail() {
        if (halt) {
            Runtime.getRuntime().halt(137);
        }
        throw new IllegalStateException(MESSAGE);
    }
}
