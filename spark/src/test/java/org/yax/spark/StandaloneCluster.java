package org.yax.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests, from the project's own jars (no Spark distribution):
 * one Master JVM and N Worker JVMs, started with {@link ProcessBuilder}; each worker launches the application's
 * executors in JVMs of their own. Spark's launcher needs {@code SPARK_HOME} with an empty {@code RELEASE} file and
 * a {@code jars/} folder: the harness builds one in its work folder holding links to every jar of the test
 * classpath, plus a jar made from each classes folder on it (so executors load the project's and the tests'
 * classes, no {@code setJars} needed). Every JVM is stopped by its pid in {@link #close()} (executors first).
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
 *     try (JavaSparkContext sc = new JavaSparkContext(cluster.appConf("name"))) { ... }
 *     cluster.executors();                     // live executor JVMs (pid, app, executor id, its log)
 *     cluster.awaitExecutorRunningTask(t, s);  // an executor whose log says a task is running
 *     cluster.kill(executor);                  // SIGKILL, like a lost node
 * }
 * }</pre>
 */
public final class StandaloneCluster implements AutoCloseable {
    /** What Spark needs on Java 17 (shared/FACTS.md), for the daemons and the executors. */
    public static final List<String> OPENS = Stream.of("java.lang", "java.lang.invoke", "java.lang.reflect",
            "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();
    /**
     * Readiness and "task running" are read from the JVMs' INFO logs: with slf4j-simple as the binding (yax's) the
     * default level may be set to warn by a simplelogger.properties; log4j2 (Spark's own binding) ignores this.
     */
    private static final String INFO_LOGS = "-Dorg.slf4j.simpleLogger.defaultLogLevel=info";
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    /** A live executor JVM. {@code log} is its stderr in the worker's work folder. */
    public record Executor(long pid, String appId, String executorId, Path log) { }

    private final Path dir;
    private final Path sparkHome;
    private final int masterPort;
    private final List<Process> daemons = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();
    private final Set<Long> killed = new HashSet<>();

    private StandaloneCluster(Path dir, Path sparkHome, int masterPort) {
        this.dir = dir;
        this.sparkHome = sparkHome;
        this.masterPort = masterPort;
    }

    /** Starts a Master and {@code workers} Workers (1 core, 1 GiB each) and waits until all have registered. */
    public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        return start(dir, workers, 1, "1g");
    }

    public static StandaloneCluster start(Path dir, int workers, int coresPerWorker, String memoryPerWorker)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path home = sparkHome(dir.resolve("spark-home"));
        StandaloneCluster c = new StandaloneCluster(dir, home, freePort());
        try {
            Path masterLog = dir.resolve("master.log");
            c.daemons.add(c.launch(masterLog, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(c.masterPort), "--webui-port", "0"));
            c.awaitLog(c.daemons.get(0), masterLog, "I have been elected leader", Duration.ofSeconds(90));
            for (int i = 0; i < workers; i++) {
                Path wd = Files.createDirectories(dir.resolve("worker-" + i));
                c.workerDirs.add(wd);
                Path log = dir.resolve("worker-" + i + ".log");
                c.daemons.add(c.launch(log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
                        "--webui-port", "0", "--work-dir", wd.toString(), c.masterUrl()));
            }
            for (int i = 0; i < workers; i++) {
                c.awaitLog(c.daemons.get(i + 1), dir.resolve("worker-" + i + ".log"),
                        "Successfully registered with master", Duration.ofSeconds(90));
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The folder that serves as SPARK_HOME (its {@code jars/} is the executors' classpath). */
    public Path sparkHome() {
        return sparkHome;
    }

    /** The Master's and Workers' logs and work folders live here. */
    public Path dir() {
        return dir;
    }

    /** The JVM flags every executor needs: add-opens, yax's natives path, DJL offline. */
    public static String executorJavaOptions() {
        return String.join(" ", OPENS) + " -Djava.library.path=/usr/lib/jni -Dai.djl.offline=true"
                + " -XX:+UseSerialGC " + INFO_LOGS;
    }

    /** A configuration for an in-process driver talking to this cluster (loopback only, no UI). */
    public SparkConf appConf(String appName) {
        return new SparkConf().setAppName(appName).setMaster(masterUrl())
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", "640m")
                .set("spark.executor.extraJavaOptions", executorJavaOptions())
                .set("spark.executorEnv.DJL_OFFLINE", "true")
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The live executor JVMs (children of the worker JVMs whose main class is the executor backend). */
    public List<Executor> executors() {
        List<Executor> out = new ArrayList<>();
        for (int i = 1; i < daemons.size(); i++) {
            Path wd = workerDirs.get(i - 1);
            daemons.get(i).toHandle().descendants().filter(ProcessHandle::isAlive).forEach(h -> {
                String[] args = h.info().arguments().orElse(new String[0]);
                List<String> a = List.of(args);
                if (a.contains(EXECUTOR_MAIN)) {
                    String exec = after(a, "--executor-id");
                    String app = after(a, "--app-id");
                    out.add(new Executor(h.pid(), app, exec, wd.resolve(app).resolve(exec).resolve("stderr")));
                }
            });
        }
        return out;
    }

    /** The live executor with this pid, if it is one of this cluster's. */
    public Optional<Executor> executor(long pid) {
        return executors().stream().filter(e -> e.pid() == pid).findFirst();
    }

    /** Waits for {@code count} live executors. */
    public List<Executor> awaitExecutors(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Executor> ex = executors();
        while (ex.size() < count) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + ex.size() + " of " + count + " executors after "
                        + timeout + "\n" + logTails());
            }
            Thread.sleep(100);
            ex = executors();
        }
        return ex;
    }

    /**
     * Waits until some executor's log shows more tasks started ("Running task") than finished and still does
     * {@code settle} later (so the task is past its start-up and inside the job's code), and returns it.
     */
    public Optional<Executor> awaitExecutorRunningTask(Duration timeout, Duration settle) throws InterruptedException {
        return awaitExecutorRunningTask(timeout, settle, 0);
    }

    /**
     * As {@link #awaitExecutorRunningTask(Duration, Duration)}, counting only tasks of stages numbered
     * {@code fromStage} or later (Spark numbers the stages of an application in order: a job's earlier stages can be
     * passed over).
     */
    public Optional<Executor> awaitExecutorRunningTask(Duration timeout, Duration settle, int fromStage)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Executor e : executors()) {
                if (killed.contains(e.pid()) || !Files.isRegularFile(e.log())) {
                    continue;
                }
                String log = readQuietly(e.log());
                int started = tasks(log, "Running", fromStage);
                if (started > tasks(log, "Finished", fromStage)) {
                    Thread.sleep(settle.toMillis());
                    String later = readQuietly(e.log());
                    if (tasks(later, "Running", fromStage) == started && started > tasks(later, "Finished", fromStage)
                            && ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                        return Optional.of(e);
                    }
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** Executor log lines "Running task 1.0 in stage 2.0 (TID 7)" (or "Finished ...") of stages from fromStage on. */
    private static int tasks(String log, String what, int fromStage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(what + " task \\S+ in stage (\\d+)\\.").matcher(log);
        int n = 0;
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) >= fromStage) {
                n++;
            }
        }
        return n;
    }

    /** Kills an executor JVM with SIGKILL (as a lost machine would) and waits until it is gone. */
    public void kill(Executor e) throws InterruptedException {
        killed.add(e.pid());
        Optional<ProcessHandle> h = ProcessHandle.of(e.pid());
        if (h.isPresent()) {
            h.get().destroyForcibly();
            try {
                h.get().onExit().get();
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    /** The pids of the executors killed through {@link #kill}. */
    public Set<Long> killedPids() {
        return Set.copyOf(killed);
    }

    /** The last lines of the Master's and Workers' logs (for failure messages). */
    public String logTails() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path p : (Iterable<Path>) logs.filter(f -> f.toString().endsWith(".log")).sorted()::iterator) {
                String[] lines = readQuietly(p).split("\n");
                sb.append("== ").append(p.getFileName()).append('\n');
                for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
                    sb.append(lines[i]).append('\n');
                }
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    /** Stops every JVM it started, by pid: executors first, then workers, then the master. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).toHandle().descendants().forEach(all::add);
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            all.add(daemons.get(i).toHandle());
        }
        for (ProcessHandle h : all) {
            h.destroy();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private Process launch(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add(INFO_LOGS);
        cmd.addAll(OPENS);
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + File.separator + "*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("DJL_OFFLINE", "true");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private void awaitLog(Process p, Path log, String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!readQuietly(log).contains(text)) {
            if (!p.isAlive()) {
                throw new IllegalStateException(log.getFileName() + ": JVM exited (" + p.exitValue()
                        + ") before '" + text + "'\n" + logTails());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(log.getFileName() + ": no '" + text + "' after " + timeout
                        + "\n" + logTails());
            }
            Thread.sleep(100);
        }
    }

    /** SPARK_HOME for the launcher: an empty RELEASE file and jars/ with the test classpath's jars. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.write(home.resolve("RELEASE"), new byte[0]);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Set<String> names = new HashSet<>();
        int n = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                jarFolder(p, jars.resolve("classes-" + (n++) + ".jar"));
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                String name = p.getFileName().toString();
                if (!names.add(name)) {
                    name = (n++) + "-" + name;
                }
                Files.createSymbolicLink(jars.resolve(name), p);
            }
        }
        return home;
    }

    private static void jarFolder(Path folder, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "?";
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a folder tree (the cluster's work folder after {@link #close()}). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
