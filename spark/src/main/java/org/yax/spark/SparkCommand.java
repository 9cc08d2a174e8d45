package org.yax.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.yax.batch.Discovery;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.batch.ResumeManifest;
import org.yax.batch.SeriesGrouping;
import org.yax.cli.Interrupts;
import org.yax.cli.ProgressLine;
import org.yax.cli.ReconstructOptions;
import org.yax.cli.Yax;
import org.yax.core.ReconstructionSettings;
import org.yax.io.RunStamp;
import org.yax.models.ModelChoice;
import org.yax.spark.fs.HadoopStaging;
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
                + "resume manifest. INPUT, OUTDIR and --report are plain paths (visible to every executor under the same "
                + "name: local mode, NFS) or Hadoop URIs (hdfs://, s3a://, ...; file:// is a plain path): items are "
                + "then copied to executor-local space and their outputs published with temporary names and renames.",
            "Default master: local[*], inside this JVM (no Spark installation needed)."},
        footer = {"", "Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 some inputs failed (the rest done), "
                + "130 interrupted (items not finished are reported as skipped, 'interrupted'; --resume finishes them)."})
public final class SparkCommand implements Callable<Integer> {

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
        String reportLocation = fileUrisAsPaths();
        ReconstructionSettings settings = options.validate();
        // a SparkContext takes seconds to start (Spark's classes and services): it starts while the driver checks the
        // model, lists the inputs and reads the manifest
        try (ContextStart context = ContextStart.begin(this::sparkConf)) {
            return run(settings, reportLocation, context);
        }
    }

    private int run(ReconstructionSettings settings, String reportLocation, ContextStart context) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> inputs = rawInputs();
        String output = raw("--output", options.outputRoot.toString());
        boolean staged = StagedJob.isRemote(output) || inputs.stream().anyMatch(StagedJob::isRemote);
        if (!staged) {
            String cannot = options.createOutputFolder();
            if (cannot != null) {
                err.println("yax: fatal: " + cannot);
                return Yax.EXIT_FATAL;
            }
        }
        Path out = staged ? null : options.outputRoot.toAbsolutePath().normalize();
        try (ModelChoice choice = options.modelChoice(settings)) { // checks --model here; executors load it lazily
            if (choice.note() != null) {
                err.println("yax: note: " + choice.note());
            }
        }
        String referenceRoot = options.referenceRoot == null ? null
                : options.referenceRoot.toAbsolutePath().normalize().toString();
        List<Item> items = null;
        ResumeManifest manifest = null;
        JobSpec job = null;
        if (!staged) {
            manifest = ResumeManifest.load(out);
            RunStamp stamp = manifest.startRun(options.resume);
            job = new JobSpec(args, out.toString(), referenceRoot, stamp, FailureHook.fromEnvironment());
        } else {
            output = absolute(output);
            inputs = inputs.stream().map(SparkCommand::absolute).toList();
            for (String in : inputs) {
                if (output.equals(in) || output.startsWith(in.endsWith("/") ? in : in + "/")) {
                    throw new Yax.UsageException("output folder " + output + " is inside input folder " + in
                            + " (inputs are never overwritten): choose another output folder");
                }
            }
        }

        SparkBatch batch = new SparkBatch();
        // Ctrl-C / SIGINT / SIGTERM stop the batch; the exit waits until the report of what was done is written
        Interrupts signals = Interrupts.install(batch::cancel);
        JavaSparkContext sc = context.get();
        Path localManifest = null;
        try {
            Report report;
            if (!staged) {
                // discovery lists the folders here; items carry absolute paths for the executors. Series grouping
                // reads the headers on the executors, except in local mode: there the executor is this JVM, so the
                // header stages would read the same headers here at the cost of two stages and a shuffle
                List<Item> found = Discovery.find(options.inputs.stream()
                        .map(p -> p.toAbsolutePath().normalize()).toList());
                items = sc.isLocal() ? SeriesGrouping.group(found)
                        : HeaderStages.group(sc, found, HeaderStages.Access.inPlace());
                report = batch.run(sc, job, items, manifest,
                        new ProgressLine(items.size(), err, System.console() != null));
            } else {
                // a Hadoop file system: listing and headers through HadoopStaging, items staged by the tasks, the
                // manifest kept in a local copy and published to the output root after each save
                HadoopStaging staging = new HadoopStaging(sc.hadoopConfiguration());
                if (!options.dryRun) {
                    try {
                        staging.mkdirs(output);
                    } catch (IOException | RuntimeException e) {
                        err.println("yax: fatal: cannot create output folder " + output + ": " + Yax.oneLine(e));
                        return Yax.EXIT_FATAL;
                    }
                }
                localManifest = Files.createTempDirectory("yax-spark-manifest-");
                String remoteManifest = HadoopStaging.resolve(output, StagedJob.MANIFEST);
                if (staging.exists(remoteManifest)) {
                    try (var in = staging.open(remoteManifest)) {
                        Files.copy(in, localManifest.resolve(StagedJob.MANIFEST));
                    }
                }
                manifest = ResumeManifest.load(localManifest);
                RunStamp stamp = manifest.startRun(options.resume);
                Map<String, Long> lengths = new java.util.HashMap<>();
                items = StagedJob.items(sc, staging, inputs, lengths);
                job = new JobSpec(args, output, referenceRoot, stamp, FailureHook.fromEnvironment(), staging);
                Path saved = localManifest.resolve(StagedJob.MANIFEST);
                String target = output;
                report = batch.run(sc, job, items, manifest,
                        new ProgressLine(items.size(), err, System.console() != null),
                        item -> StagedJob.bytes(item, lengths),
                        () -> staging.publishFile(saved, HadoopStaging.resolve(target, StagedJob.MANIFEST)));
            }
            List<String> written = reportLocation != null ? writeReport(report, reportLocation, !options.noHtml, sc)
                    : List.of();
            boolean stopped = batch.isCancelled();
            err.println("yax: " + (stopped ? "interrupted: " : "") + report.summary()
                    + (stopped ? " (" + report.interrupted() + " interrupted; rerun with --resume)" : "")
                    + (written.isEmpty() ? "" : "; report: " + String.join(", ", written)));
            err.flush();
            if (stopped) {
                return Yax.EXIT_INTERRUPTED;
            }
            return report.count(ItemResult.Status.failed) > 0 ? Yax.EXIT_PARTIAL : Yax.EXIT_OK;
        } finally {
            if (localManifest != null) {
                SparkBatch.deleteTree(localManifest);
            }
            signals.close();
        }
    }

    /**
     * Writes the report to a plain path, or to a Hadoop file system (written locally, then published), and with
     * {@code html} the HTML page beside a JSON or CSV report (its thumbnails came back from the executors in the rows).
     *
     * @return the locations written
     */
    private static List<String> writeReport(Report report, String location, boolean html, JavaSparkContext sc)
            throws IOException {
        if (!StagedJob.isRemote(location)) {
            return report.write(Path.of(location), html).stream().map(Path::toString).toList();
        }
        Path dir = Files.createTempDirectory("yax-spark-report-");
        try {
            String name = StagedJob.lastName(location);
            String folder = location.substring(0, location.length() - name.length());
            List<String> published = new java.util.ArrayList<>();
            for (Path local : report.write(dir.resolve(name), html)) { // its extension says JSON, CSV or HTML
                String target = folder + local.getFileName();
                new HadoopStaging(sc.hadoopConfiguration()).publishFile(local, target);
                published.add(target);
            }
            return published;
        } finally {
            SparkBatch.deleteTree(dir);
        }
    }

    /**
     * {@code file:} URIs among the inputs, -o and --report become plain paths (read and written in place, as plain
     * paths are); returns the report's location as given (a URI kept as such: picocli's Path folds hdfs:// into
     * hdfs:/), or null without --report.
     */
    private String fileUrisAsPaths() {
        if (options.inputs != null) {
            List<String> raw = rawInputs();
            if (raw.size() == options.inputs.size()) {
                List<Path> converted = new java.util.ArrayList<>();
                for (int i = 0; i < raw.size(); i++) {
                    converted.add(isFileUri(raw.get(i)) ? Path.of(java.net.URI.create(raw.get(i)))
                            : options.inputs.get(i));
                }
                options.inputs = converted;
            }
        }
        String out = raw("--output", null);
        if (out != null && isFileUri(out)) {
            options.outputRoot = Path.of(java.net.URI.create(out));
        }
        if (options.reportFile == null) {
            return null;
        }
        String report = raw("--report", options.reportFile.toString());
        if (isFileUri(report)) {
            options.reportFile = Path.of(java.net.URI.create(report));
            return options.reportFile.toString();
        }
        return StagedJob.isRemote(report) ? report : options.reportFile.toString();
    }

    private static boolean isFileUri(String s) {
        return s.regionMatches(true, 0, "file:", 0, 5);
    }

    /** A plain path made absolute; a URI as given. */
    private static String absolute(String location) {
        return StagedJob.isRemote(location) ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }

    /** The inputs as typed (picocli's Paths fold the '//' of a URI). */
    List<String> rawInputs() {
        if (spec == null || spec.commandLine().getParseResult() == null) {
            return options.inputs.stream().map(Path::toString).toList();
        }
        List<String> raw = new java.util.ArrayList<>();
        for (var p : spec.commandLine().getParseResult().matchedPositionals()) {
            raw.addAll(p.originalStringValues());
        }
        return raw.size() == options.inputs.size() ? raw : options.inputs.stream().map(Path::toString).toList();
    }

    /** An option's value as typed (the last one if repeated), or {@code otherwise}. */
    String raw(String option, String otherwise) {
        if (spec == null || spec.commandLine().getParseResult() == null) {
            return otherwise;
        }
        var o = spec.commandLine().getParseResult().matchedOption(option);
        if (o == null || o.originalStringValues().isEmpty()) {
            return otherwise;
        }
        List<String> v = o.originalStringValues();
        return v.get(v.size() - 1);
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
