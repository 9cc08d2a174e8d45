package org.yax.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real multi-JVM Spark cluster on 127.0.0.1 (a Master and two Workers, each its own JVM, executors in JVMs of
 * their own), started from the project's jars by {@link StandaloneCluster}; an in-process driver submits jobs.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StandaloneClusterIT {
    private static Path dir;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("yax-standalone-");
        cluster = StandaloneCluster.start(dir, 2);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        assertTrue(cluster == null || cluster.executors().isEmpty(), "every executor JVM stopped");
        StandaloneCluster.deleteTree(dir);
    }

    @Test
    void tasksRunInTwoExecutorJvmsOtherThanTheDriver() throws Exception {
        long driver = ProcessHandle.current().pid();
        List<Long> pids;
        try (JavaSparkContext sc = new JavaSparkContext(cluster.appConf("yax-pids"))) {
            pids = sc.parallelize(IntStream.range(0, 12).boxed().toList(), 12).map(i -> {
                Thread.sleep(250); // long enough that both executors take tasks
                return ManagementFactory.getRuntimeMXBean().getPid();
            }).collect();
            Set<Long> executors = cluster.executors().stream().map(StandaloneCluster.Executor::pid)
                    .collect(Collectors.toSet());
            Set<Long> ran = Set.copyOf(pids);
            assertEquals(2, ran.size(), "two executor JVMs ran tasks: " + pids);
            assertEquals(executors, ran, "the tasks ran in the workers' executor JVMs");
            assertFalse(ran.contains(driver));
        }
    }

    @Test
    void anExecutorKilledInTheMiddleOfATaskIsReplacedAndTheJobFinishes() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("marks"));
        String marksDir = marks.toString(); // a Path is not serialisable
        try (JavaSparkContext sc = new JavaSparkContext(cluster.appConf("yax-kill")
                .set("spark.task.maxFailures", "4"))) {
            CompletableFuture<List<String>> job = CompletableFuture.supplyAsync(() ->
                    sc.parallelize(IntStream.range(0, 6).boxed().toList(), 6).map(i -> {
                        TaskContext t = TaskContext.get();
                        long pid = ManagementFactory.getRuntimeMXBean().getPid();
                        String id = i + "-" + t.attemptNumber() + "-" + pid;
                        Files.writeString(Path.of(marksDir, "start-" + id), "");
                        Thread.sleep(1500);
                        Files.writeString(Path.of(marksDir, "done-" + id), "");
                        return i + ":" + pid;
                    }).collect());
            // the victim: the executor that is inside the user code of a task (its start mark is written)
            StandaloneCluster.Executor victim = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (victim == null && System.nanoTime() < end) {
                try (var s = Files.list(marks)) {
                    List<String> names = s.map(p -> p.getFileName().toString()).toList();
                    for (String n : names) {
                        String[] f = n.split("-");
                        if (f[0].equals("start") && !names.contains("done-" + f[1] + "-" + f[2] + "-" + f[3])) {
                            victim = cluster.executor(Long.parseLong(f[3])).orElse(null);
                        }
                    }
                }
                Thread.sleep(20);
            }
            assertTrue(victim != null, "no executor ran a task\n" + cluster.logTails());
            cluster.kill(victim);
            long victimPid = victim.pid();
            List<String> result = job.get(120, TimeUnit.SECONDS);

            Map<Integer, String> byItem = new TreeMap<>();
            for (String r : result) {
                String[] f = r.split(":");
                byItem.put(Integer.parseInt(f[0]), f[1]);
            }
            assertEquals(6, result.size(), "one result per item: " + result);
            assertEquals(Set.of(0, 1, 2, 3, 4, 5), byItem.keySet());
            assertFalse(byItem.containsValue(String.valueOf(victimPid)), "no result from the killed JVM");
            List<String> started;
            try (var s = Files.list(marks)) {
                started = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("start-")).sorted()
                        .toList();
            }
            assertTrue(started.stream().anyMatch(n -> n.endsWith("-" + victimPid)),
                    "the killed executor had started a task: " + started);
            assertTrue(started.stream().anyMatch(n -> n.split("-")[2].equals("1")),
                    "the interrupted task ran again as attempt 1: " + started);
            assertFalse(cluster.executors().stream().anyMatch(e -> e.pid() == victimPid));
        }
    }
}
