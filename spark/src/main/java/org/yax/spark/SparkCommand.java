package org.yax.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.batch.ResumeManifest;
import org.yax.cli.ProgressLine;
import org.yax.cli.ReconstructOptions;
import org.yax.cli.Yax;
import org.yax.core.ReconstructionSettings;
import org.yax.io.RunStamp;
import org.yax.models.ModelChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yax spark INPUT... -o OUTDIR [reconstruct options] [--master URL]}: yax reconstruct on Apache Spark. */
@Command(name = "yax spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs 'yax reconstruct' on Apache Spark: every option of reconstruct, the same outputs; one "
                + "Spark task per item (a file, a DICOM series), largest first; one engine and one model per executor "
                + "JVM. Failed tasks are retried (spark.task.maxFailures) without harm: an attempt writes into a "
                + "staging folder of its own and publishes with atomic renames, and every output is a function of "
                + "the run (its id is kept in OUTDIR/.yax-manifest.json), so a retry writes the same bytes.",
            "The driver writes the one report (--report; rows also say the executor's host and the attempt) and the "
                + "resume manifest. Paths must be visible to every executor under the same name (local mode, NFS).",
            "Default master: local[*], inside this JVM (no Spark installation needed)."},
        footer = {"", "Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 some inputs failed (the rest done), "
                + "130 interrupted (items not finished are reported as skipped, 'interrupted'; --resume finishes them)."})
public final class SparkCommand implements Callable<Integer> {
    /** How long a signal waits for the report to be written before the JVM exits anyway. */
    private static final long SECONDS_TO_STOP = 60;

    @Spec
    CommandSpec spec;

    @Mixin
    ReconstructOptions options;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[*] (default, in this JVM; local[N]: N cores; local[N,F]: F attempts "
                    + "per task), spark://HOST:PORT, yarn, k8s://... Under spark-submit, its --master applies unless "
                    + "this is given. Without either, --jobs N means local[N]; on a cluster, tasks per executor are "
                    + "its cores (spark.executor.cores) and --jobs is not used.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=4g.")
    Map<String, String> conf;

    /** The arguments as given (shipped to the executors, which parse them with the same options). */
    private List<String> args = List.of();

    /** Sets the raw arguments (SparkMain does, before picocli parses them). */
    SparkCommand withArgs(String... given) {
        this.args = List.of(given);
        return this;
    }

    @Override
    public Integer call() throws IOException {
        ReconstructionSettings settings = options.validate();
        PrintWriter err = spec.commandLine().getErr();
        String cannot = options.createOutputFolder();
        if (cannot != null) {
            err.println("yax: fatal: " + cannot);
            return Yax.EXIT_FATAL;
        }
        Path out = options.outputRoot.toAbsolutePath().normalize();
        try (ModelChoice choice = options.modelChoice(settings)) { // checks --model here; executors load it lazily
            if (choice.note() != null) {
                err.println("yax: note: " + choice.note());
            }
        }
        // discovery and series grouping (headers) on the driver; items carry absolute paths for the executors
        List<Item> items = Inputs.items(options.inputs.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        ResumeManifest manifest = ResumeManifest.load(out);
        RunStamp stamp = manifest.startRun(options.resume);
        JobSpec job = new JobSpec(args, out.toString(),
                options.referenceRoot == null ? null : options.referenceRoot.toAbsolutePath().normalize().toString(),
                stamp, FailureHook.fromEnvironment());

        SparkBatch batch = new SparkBatch();
        CountDownLatch reported = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            batch.cancel();
            try {
                reported.await(SECONDS_TO_STOP, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "yax-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        SparkContext active = SparkContext$.MODULE$.getActive().getOrElse(() -> null);
        // a context that is already running in this JVM (a test's, an embedding application's) is used, not stopped
        JavaSparkContext sc = active != null ? JavaSparkContext.fromSparkContext(active)
                : new JavaSparkContext(sparkConf());
        try {
            Report report = batch.run(sc, job, items, manifest,
                    new ProgressLine(items.size(), err, System.console() != null));
            if (options.reportFile != null) {
                report.write(options.reportFile);
            }
            boolean stopped = batch.isCancelled();
            err.println("yax: " + (stopped ? "interrupted: " : "") + report.summary()
                    + (stopped ? " (" + report.interrupted() + " interrupted; rerun with --resume)" : "")
                    + (options.reportFile != null ? "; report: " + options.reportFile : ""));
            err.flush();
            if (stopped) {
                return Yax.EXIT_INTERRUPTED;
            }
            return report.count(ItemResult.Status.failed) > 0 ? Yax.EXIT_PARTIAL : Yax.EXIT_OK;
        } finally {
            if (active == null) {
                sc.close();
            }
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the report is written
            }
        }
    }

    /**
     * Spark's settings: spark-submit's (system properties spark.*) first, then --master (default local[*] unless
     * spark-submit named one) and --conf. Executors get the add-opens flags Spark needs on Java 17.
     */
    SparkConf sparkConf() {
        SparkConf c = new SparkConf().setAppName("yax spark");
        if (master != null || !c.contains("spark.master")) {
            boolean jobsGiven = spec != null && spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption("--jobs");
            c.setMaster(master != null ? master : jobsGiven ? "local[" + options.jobs + "]" : "local[*]");
        }
        if (c.get("spark.master").startsWith("local")) {
            c.setIfMissing("spark.ui.enabled", "false"); // an embedded run needs no web UI (and no port)
            c.setIfMissing("spark.driver.host", "127.0.0.1"); // nor a network address
            c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (conf != null) {
            conf.forEach(c::set);
        }
        // executors (their own JVMs on a cluster) need the same flags; added to what the user gave, once
        String executorOptions = c.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains(SparkJvm.ADD_OPENS.get(0))) {
            c.set("spark.executor.extraJavaOptions", (executorOptions + " " + SparkJvm.addOpens()).strip());
        }
        // ./yax spark --master spark://... (not spark-submit, whose --jars say this): executors get yax's jars
        String home = System.getProperty("yax.home");
        if (!c.get("spark.master").startsWith("local") && !c.contains("spark.jars") && home != null) {
            List<String> jars = yaxJars(Path.of(home));
            if (!jars.isEmpty()) {
                c.set("spark.jars", String.join(",", jars));
            }
        }
        return c;
    }

    /** yax and its dependencies without Spark: cli/target/yax-cli.jar and cli/target/lib (what spark-submit's --jars names). */
    static List<String> yaxJars(Path home) {
        Path cli = home.resolve("cli/target");
        if (!java.nio.file.Files.isRegularFile(cli.resolve("yax-cli.jar"))) {
            return List.of();
        }
        List<String> jars = new java.util.ArrayList<>(List.of(cli.resolve("yax-cli.jar").toString()));
        try (var l = java.nio.file.Files.list(cli.resolve("lib"))) {
            l.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
        } catch (IOException e) {
            return List.of();
        }
        Path self = home.resolve("spark/target/yax-spark.jar");
        if (java.nio.file.Files.isRegularFile(self)) {
            jars.add(self.toString());
        }
        return jars;
    }
}
