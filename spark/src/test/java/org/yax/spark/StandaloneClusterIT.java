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

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * The yax job ({@code yax spark}, org.yax.spark.SparkMain) submitted to the cluster from an in-process driver on
     * a small archive (a DICOM series, single DICOM files, GeoTIFFs): an executor JVM is killed in the middle of a
     * task; the job still finishes, its outputs equal a local {@code yax reconstruct}'s (compare-trees.py), and the
     * report has one row per item. Called by reflection, so the harness compiles before the job exists (skipped
     * then).
     */
    @Test
    void theYaxJobOnTheClusterWritesWhatReconstructWritesThoughAnExecutorIsKilled() throws Exception {
        Class<?> sparkMain = classOrNull("org.yax.spark.SparkMain");
        Class<?> yax = classOrNull("org.yax.cli.Yax");
        Assumptions.assumeTrue(sparkMain != null && yax != null, "yax spark (org.yax.spark.SparkMain) not built");
        Path data = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("archive/dicom")), "no sample data: scripts/setup.sh");
        Path archive = dir.resolve("archive");
        copyTree(data.resolve("archive/dicom"), archive.resolve("dicom"));
        copyTree(data.resolve("archive/raster"), archive.resolve("raster"));
        Path local = dir.resolve("local-out");
        Path onCluster = dir.resolve("cluster-out");
        Path localReport = dir.resolve("local-report.json");
        Path clusterReport = dir.resolve("cluster-report.json");

        int localRc = (int) yax.getMethod("run", String[].class).invoke(null, (Object) new String[] {
            "reconstruct", archive.toString(), "-o", local.toString(), "--report", localReport.toString()});
        assertEquals(0, localRc, "local yax reconstruct");

        String[] args = {archive.toString(), "-o", onCluster.toString(), "--report", clusterReport.toString(),
            "--master", cluster.masterUrl(),
            "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=640m",
            "--conf", "spark.task.maxFailures=4",
            "--conf", "spark.executor.extraJavaOptions=" + StandaloneCluster.executorJavaOptions()};
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> {
            try {
                return (Integer) sparkMain.getMethod("run", String[].class).invoke(null, (Object) args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        // stages 0 and 1 read the headers (series grouping); the item tasks are stage 2's
        StandaloneCluster.Executor victim = cluster.awaitExecutorRunningTask(Duration.ofSeconds(90),
                Duration.ofMillis(300), 2).orElse(null);
        assertTrue(victim != null || job.isDone(), "no executor ran a task\n" + cluster.logTails());
        if (victim != null) {
            System.out.println("killing executor " + victim.executorId() + " (pid " + victim.pid() + ") inside a task");
            cluster.kill(victim);
        }
        int rc = job.get(150, TimeUnit.SECONDS);
        assertTrue(victim != null, "the job ended before an executor could be killed inside a task");
        assertEquals(0, rc, "yax spark exit code\n" + cluster.logTails());

        Process compare = new ProcessBuilder("/usr/bin/python3", projectRoot().resolve("scripts/compare-trees.py")
                .toString(), local.toString(), onCluster.toString()).redirectErrorStream(true).start();
        String diff = new String(compare.getInputStream().readAllBytes());
        assertEquals(0, compare.waitFor(), "outputs differ from yax reconstruct's:\n" + diff);

        List<String> localInputs = inputs(localReport);
        List<String> clusterInputs = inputs(clusterReport);
        assertEquals(localInputs.size(), Set.copyOf(clusterInputs).size(), "one report row per item");
        assertEquals(Set.copyOf(localInputs), Set.copyOf(clusterInputs));
        assertEquals(clusterInputs.size(), Set.copyOf(clusterInputs).size(), "no item reported twice");
        assertTrue(attempts(clusterReport).stream().anyMatch(a -> a >= 1),
                "the task of the killed executor ran again: attempts " + attempts(clusterReport));
        try (var walk = Files.walk(onCluster)) {
            assertFalse(walk.anyMatch(p -> p.getFileName().toString().startsWith(".yax-tmp-")),
                    "no temporary name survives");
        }
    }

    /**
     * The yax job with its inputs and outputs on a real HDFS (an in-process MiniDFSCluster on 127.0.0.1), run by the
     * cluster's executor JVMs: they list nothing, read headers and stage items from HDFS into their own local space
     * and publish to HDFS; the downloaded tree equals a local {@code yax reconstruct}'s, one row per item, no
     * temporary name left on HDFS.
     */
    @Test
    void theYaxJobOnTheClusterReadsAndWritesHdfs() throws Exception {
        Class<?> sparkMain = classOrNull("org.yax.spark.SparkMain");
        Class<?> yax = classOrNull("org.yax.cli.Yax");
        Assumptions.assumeTrue(sparkMain != null && yax != null, "yax spark (org.yax.spark.SparkMain) not built");
        Path data = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("archive/dicom")), "no sample data: scripts/setup.sh");
        Path archive = dir.resolve("hdfs-archive");
        Files.createDirectories(archive.resolve("ct"));
        for (String n : List.of("CT_small.dcm", "MR_small.dcm")) {
            Files.copy(data.resolve("archive/dicom/" + n), archive.resolve(n));
        }
        for (String n : List.of("IM0001.dcm", "IM0002.dcm", "IM0003.dcm")) {
            Files.copy(data.resolve("archive/dicom/phantom-ct/" + n), archive.resolve("ct/" + n));
        }
        Path local = dir.resolve("hdfs-local-out");
        int localRc = (int) yax.getMethod("run", String[].class).invoke(null, (Object) new String[] {
            "reconstruct", archive.toString(), "-o", local.toString()});
        assertEquals(0, localRc, "local yax reconstruct");

        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("minidfs").toString());
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        org.apache.hadoop.hdfs.MiniDFSCluster hdfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(conf)
                .numDataNodes(1).build();
        try {
            hdfs.waitActive();
            org.apache.hadoop.fs.FileSystem fs = hdfs.getFileSystem();
            String root = fs.getUri().toString();
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(archive.toUri()), new org.apache.hadoop.fs.Path(
                    root + "/archive"));
            String report = root + "/report.json";
            String[] args = {root + "/archive", "-o", root + "/out", "--report", report,
                "--master", cluster.masterUrl(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=640m",
                "--conf", "spark.executor.extraJavaOptions=" + StandaloneCluster.executorJavaOptions()};
            int rc = (Integer) sparkMain.getMethod("run", String[].class).invoke(null, (Object) args);
            assertEquals(0, rc, "yax spark exit code\n" + cluster.logTails());

            Path downloaded = dir.resolve("hdfs-downloaded");
            var it = fs.listFiles(new org.apache.hadoop.fs.Path(root + "/"), true);
            int rows = 0;
            while (it.hasNext()) {
                String p = it.next().getPath().toUri().getPath();
                assertFalse(p.contains(".yax-tmp-"), "left behind on HDFS: " + p);
                if (p.startsWith("/out/")) {
                    Path f = downloaded.resolve(p.substring("/out/".length()));
                    Files.createDirectories(f.getParent());
                    try (var in = fs.open(new org.apache.hadoop.fs.Path(p))) {
                        Files.copy(in, f);
                    }
                }
            }
            Process compare = new ProcessBuilder("/usr/bin/python3", projectRoot().resolve("scripts/compare-trees.py")
                    .toString(), local.toString(), downloaded.toString()).redirectErrorStream(true).start();
            String diff = new String(compare.getInputStream().readAllBytes());
            assertEquals(0, compare.waitFor(), "outputs differ from yax reconstruct's:\n" + diff);
            try (var in = fs.open(new org.apache.hadoop.fs.Path(report))) {
                for (JsonElement row : JsonParser.parseString(new String(in.readAllBytes())).getAsJsonObject()
                        .getAsJsonArray("items")) {
                    assertEquals("done", row.getAsJsonObject().get("status").getAsString(), row.toString());
                    rows++;
                }
            }
            assertEquals(3, rows, "CT_small, MR_small and the 3-slice series: one row each");
        } finally {
            hdfs.shutdown(true);
        }
    }

    private static List<String> inputs(Path report) throws IOException {
        JsonElement doc = JsonParser.parseString(Files.readString(report));
        List<String> out = new java.util.ArrayList<>();
        for (JsonElement row : doc.getAsJsonObject().getAsJsonArray("items")) {
            out.add(row.getAsJsonObject().get("input").getAsString());
        }
        return out;
    }

    private static List<Integer> attempts(Path report) throws IOException {
        JsonElement doc = JsonParser.parseString(Files.readString(report));
        List<Integer> out = new java.util.ArrayList<>();
        for (JsonElement row : doc.getAsJsonObject().getAsJsonArray("items")) {
            JsonElement a = row.getAsJsonObject().get("attempt");
            out.add(a == null || a.isJsonNull() ? -1 : a.getAsInt());
        }
        return out;
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Path projectRoot() {
        String root = System.getProperty("maven.multiModuleProjectDirectory");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
