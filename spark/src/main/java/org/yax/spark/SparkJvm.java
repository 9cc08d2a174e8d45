package org.yax.spark;

import java.util.List;

/** What a JVM running Spark needs on Java 17 (../shared/FACTS.md): the launcher, tests and executors use this list. */
public final class SparkJvm {
    private SparkJvm() { }

    /** Packages Spark reaches into by reflection; without them a SparkContext fails on module access. */
    public static final List<String> ADD_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect",
            "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar").stream()
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    /** The flags as one string, e.g. for {@code spark.executor.extraJavaOptions}. */
    public static String addOpens() {
        return String.join(" ", ADD_OPENS);
    }
}
