package org.yax.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.batch.BatchWorker;
import org.yax.batch.Inputs;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.cli.Yax;
import org.yax.io.RunStamp;

/**
 * yax spark in local mode (one SparkContext for the class, local[2,4]: 2 cores, 4 attempts per task) against yax
 * reconstruct on one small archive: CT_small.dcm, MR_small.dcm, 3 slices of the generated CT series (one series item)
 * and a 64x64 two-band crop of L7_ETMs.tif.
 */
class SparkReconstructTest {
    /** Fast and deterministic: TV, no model to load. */
    private static final List<String> RECIPE = List.of("--task", "denoise", "--method", "tv", "--sigma", "auto");
    private static final Path SCRIPT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
            .resolve("scripts/compare-trees.py");

    @TempDir
    static Path tmp;
    static Path in;
    static Path local;
    static JavaSparkContext sc;

    static Path archive(String rel) {
        return Path.of(System.getProperty("yax.sampleData", "../sample-data/data"), "archive", rel);
    }

    @BeforeAll
    static void setUp() throws Exception {
        in = Files.createDirectories(tmp.resolve("in"));
        Files.createDirectories(in.resolve("dicom/phantom-ct"));
        Files.createDirectories(in.resolve("raster"));
        for (String n : List.of("CT_small.dcm", "MR_small.dcm")) {
            Files.copy(archive("dicom/" + n), in.resolve("dicom/" + n));
        }
        for (String n : List.of("IM0001.dcm", "IM0002.dcm", "IM0003.dcm")) {
            Files.copy(archive("dicom/phantom-ct/" + n), in.resolve("dicom/phantom-ct/" + n));
        }
        Run crop = run("gdal_translate", "-q", "-srcwin", "40", "40", "64", "64", "-b", "1", "-b", "2",
                archive("raster/L7_ETMs.tif").toString(), in.resolve("raster/small.tif").toString());
        assertEquals(0, crop.exit, crop.out);

        local = tmp.resolve("local");
        Outcome o = yax(List.of("reconstruct", in.toString(), "-o", local.toString(), "--report",
                tmp.resolve("local.json").toString()));
        assertEquals(Yax.EXIT_OK, o.exit, o.err);

        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("SparkReconstructTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.close();
        }
        System.clearProperty(FailureHook.ITEMS_PROPERTY);
    }

    record Outcome(int exit, String err) { }

    record Run(int exit, String out) { }

    /** yax reconstruct (args start with "reconstruct") or yax spark (the rest), with RECIPE appended. */
    static Outcome yax(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(RECIPE);
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = all.get(0).equals("reconstruct") ? Yax.run(all.toArray(String[]::new))
                    : SparkMain.run(all.toArray(String[]::new));
            return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    static Outcome spark(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("spark", in.toString(), "-o", out.toString()));
        args.addAll(List.of(more));
        return yax(args);
    }

    static Run run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    static Run compareTrees(Path a, Path b) throws Exception {
        return run("/usr/bin/python3", SCRIPT.toString(), a.toString(), b.toString());
    }

    /** The PNG data URIs of an HTML report, in document order. */
    static List<String> thumbnails(Path html) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"(data:image/png;base64,[^\"]+)\"")
                .matcher(Files.readString(html));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    static JsonObject json(Path f) throws IOException {
        return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
    }

    /** input -> row, asserting one row per item (4 items, no duplicate inputs). */
    static Map<String, JsonObject> rowsByInput(JsonObject report) {
        Map<String, JsonObject> rows = new TreeMap<>();
        for (JsonElement e : report.getAsJsonArray("items")) {
            JsonObject r = e.getAsJsonObject();
            assertNull(rows.put(r.get("input").getAsString(), r), "two rows for " + r.get("input"));
        }
        assertEquals(4, rows.size(), rows.keySet().toString());
        return rows;
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Every output reads completely with tools nobody here wrote; nothing temporary is left. */
    static void assertValidOutputs(Path out) throws Exception {
        int outputs = 0;
        for (Path f : files(out)) {
            String n = f.getFileName().toString();
            assertFalse(out.relativize(f).toString().contains(".yax-tmp-"), "left behind: " + f);
            if (n.endsWith(".dcm")) {
                Run d = run("dcmdump", "-q", "+W", tmp.resolve("dump").toString(), f.toString());
                assertEquals(0, d.exit, f + ": " + d.out);
                assertTrue(d.out.contains("PixelData"), f + ": " + d.out);
                outputs++;
            } else if (n.endsWith(".tif")) {
                Run g = run("gdalinfo", "-checksum", f.toString());
                assertEquals(0, g.exit, f + ": " + g.out);
                assertTrue(g.out.contains("Checksum="), g.out);
                outputs++;
            }
        }
        assertEquals(6, outputs, "2 single DICOM files, 3 slices, 1 raster");
    }

    @Test
    void sameOutputsAsReconstructAndOneReportWithHostAndAttempt() throws Exception {
        Path out = tmp.resolve("spark");
        Path report = tmp.resolve("spark.json");
        Outcome o = spark(out, "--report", report.toString());
        assertEquals(Yax.EXIT_OK, o.exit, o.err);
        assertTrue(o.err.contains("[4/4]") && o.err.contains("yax: 4 done, 0 failed, 0 skipped"), o.err);
        Run cmp = compareTrees(local, out);
        assertEquals(0, cmp.exit, cmp.out);
        assertValidOutputs(out);
        for (JsonObject r : rowsByInput(json(report)).values()) {
            assertEquals("done", r.get("status").getAsString(), r.toString());
            assertTrue(r.has("host") && r.get("attempt").getAsInt() == 0, r.toString());
        }
        // the HTML page beside the report: the executors' thumbnails came back in the rows, the same as a local run's
        List<String> thumbnails = thumbnails(tmp.resolve("spark.html"));
        assertEquals(3 * 5, thumbnails.size(), "CT_small, MR_small, the raster: one view; the series: two");
        assertEquals(thumbnails(tmp.resolve("local.html")), thumbnails);
        assertFalse(Files.readString(report).contains("pictures"), "thumbnails belong in the HTML page only");
        // yax reconstruct's report is unchanged: no host, no attempt
        for (JsonElement e : json(tmp.resolve("local.json")).getAsJsonArray("items")) {
            assertFalse(e.getAsJsonObject().has("host") || e.getAsJsonObject().has("attempt"), e.toString());
        }
        // a fresh run is a new run: new derived UIDs (compare-trees looks away from them)
        assertNotEquals(sopInstanceUid(local.resolve("dicom/CT_small.dcm")),
                sopInstanceUid(out.resolve("dicom/CT_small.dcm")));
    }

    @Test
    void firstAttemptsFailingAfterAPartialPublishAreRetriedWithoutHarm() throws Exception {
        Path out = tmp.resolve("retried");
        Path report = tmp.resolve("retried.json");
        System.setProperty(FailureHook.ITEMS_PROPERTY, "phantom-ct,small.tif,dicom/CT_small.dcm");
        Outcome o;
        try {
            o = spark(out, "--report", report.toString());
        } finally {
            System.clearProperty(FailureHook.ITEMS_PROPERTY);
        }
        assertEquals(Yax.EXIT_OK, o.exit, o.err);
        assertTrue(o.err.contains(FailureHook.MESSAGE), "the hook did not fire: " + o.err);
        Run cmp = compareTrees(local, out);
        assertEquals(0, cmp.exit, cmp.out);
        assertValidOutputs(out);
        Map<String, JsonObject> rows = rowsByInput(json(report));
        Set<String> retried = new HashSet<>();
        for (JsonObject r : rows.values()) {
            assertEquals("done", r.get("status").getAsString(), r.toString());
            if (r.get("attempt").getAsInt() == 1) {
                retried.add(Path.of(r.get("input").getAsString()).getFileName().toString());
            } else {
                assertEquals(0, r.get("attempt").getAsInt(), r.toString());
            }
        }
        assertEquals(Set.of("phantom-ct", "small.tif", "CT_small.dcm"), retried);
        // the series is one series: every slice carries the same derived Series UID
        Set<String> seriesUids = new HashSet<>();
        for (String n : List.of("IM0001.dcm", "IM0002.dcm", "IM0003.dcm")) {
            seriesUids.add(tag(out.resolve("dicom/phantom-ct/" + n), "0020,000e"));
        }
        assertEquals(1, seriesUids.size(), seriesUids.toString());
    }

    @Test
    void resumeSkipsWhatIsDoneInTheSameRunAndDryRunWritesNothing() throws Exception {
        Path out = tmp.resolve("resumed");
        assertEquals(Yax.EXIT_OK, spark(out).exit);
        String runId = json(out.resolve(".yax-manifest.json")).getAsJsonObject(".run").get("runId").getAsString();
        Map<Path, byte[]> before = new HashMap<>();
        for (Path f : files(out)) {
            before.put(f, Files.readAllBytes(f));
        }
        Files.delete(out.resolve("dicom/MR_small.dcm")); // lost: --resume redoes it, in the same run
        Path report = tmp.resolve("resumed.csv");
        Outcome o = spark(out, "--resume", "--report", report.toString());
        assertEquals(Yax.EXIT_OK, o.exit, o.err);
        String csv = Files.readString(report);
        assertTrue(csv.startsWith("input,output,format,status,reason,") && csv.lines().findFirst().get()
                .endsWith(",host,attempt"), csv);
        assertEquals(3, csv.lines().filter(l -> l.contains(",skipped,already done with the same input")).count(), csv);
        assertEquals(1, csv.lines().filter(l -> l.contains("MR_small.dcm,") && l.contains(",done,")).count(), csv);
        assertEquals(runId, json(out.resolve(".yax-manifest.json")).getAsJsonObject(".run").get("runId")
                .getAsString(), "--resume continues the run");
        // the redone file is byte for byte the one the first attempt wrote (same run, same output: same UIDs)
        for (Map.Entry<Path, byte[]> e : before.entrySet()) {
            if (!e.getKey().getFileName().toString().startsWith(".yax-manifest")) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey().toString());
            }
        }

        Path dry = tmp.resolve("dry");
        Path dryReport = tmp.resolve("dry.json");
        Outcome d = spark(dry, "--dry-run", "--report", dryReport.toString());
        assertEquals(Yax.EXIT_OK, d.exit, d.err);
        assertFalse(Files.exists(dry), "a dry run writes nothing into OUTDIR");
        for (JsonObject r : rowsByInput(json(dryReport)).values()) {
            assertEquals("planned", r.get("status").getAsString(), r.toString());
        }
    }

    @Test
    void usageErrorsExitWith2LikeReconstruct() {
        Outcome o = yax(List.of("spark", in.toString(), "-o", tmp.resolve("x").toString(), "--jobs", "0"));
        assertEquals(Yax.EXIT_USAGE, o.exit, o.err);
        Outcome inside = yax(List.of("spark", in.toString(), "-o", in.resolve("out").toString()));
        assertEquals(Yax.EXIT_USAGE, inside.exit, inside.err);
    }

    /** Two attempts of one item in one run (here: two workers, two output folders) write the same bytes. */
    @Test
    void anAttemptAgainInTheSameRunWritesTheSameBytes() throws Exception {
        RunStamp stamp = RunStamp.fresh();
        List<Item> items = Inputs.items(List.of(in));
        List<Path> roots = List.of(tmp.resolve("attempt-a"), tmp.resolve("attempt-b"));
        for (Path root : roots) {
            List<String> args = new ArrayList<>(List.of(in.toString(), "-o", root.toString()));
            args.addAll(RECIPE);
            JobSpec spec = new JobSpec(args, root.toString(), null, stamp, FailureHook.OFF);
            try {
                for (Item item : items) {
                    BatchWorker.Outcome o = ExecutorState.of(spec).worker.process(item,
                            root.resolve(".yax-tmp-staging/x"), () -> false);
                    assertEquals(ItemResult.Status.done, o.rows().get(0).status, o.rows().get(0).reason);
                }
            } finally {
                ExecutorState.release(spec);
            }
        }
        List<Path> a = files(roots.get(0)).stream().map(roots.get(0)::relativize).toList();
        assertEquals(6, a.size(), a.toString());
        assertEquals(a, files(roots.get(1)).stream().map(roots.get(1)::relativize).toList());
        for (Path rel : a) {
            assertArrayEquals(Files.readAllBytes(roots.get(0).resolve(rel)), Files.readAllBytes(roots.get(1).resolve(rel)),
                    rel.toString());
        }
    }

    /**
     * Series grouping with the headers read in Spark tasks (in place, and from local copies as for a Hadoop file
     * system) gives exactly the items of yax reconstruct's grouping on the driver, on a tree that has a series split
     * over two folders, a localizer and a duplicate slice of it, a file also named as an input, a link found by
     * walking (never followed), single DICOM files and a non-DICOM file.
     */
    @Test
    void headersReadOnTheExecutorsGroupTheSeriesAsLocally() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("grouping"));
        for (int i = 1; i <= 8; i++) {
            Path f = tree.resolve((i <= 4 ? "a/" : "b/") + String.format("IM%04d.dcm", i));
            Files.createDirectories(f.getParent());
            Files.copy(archive(String.format("dicom/phantom-ct/IM%04d.dcm", i)), f);
        }
        Path localizer = tree.resolve("b/LOC.dcm");
        Files.copy(archive("dicom/phantom-ct/IM0009.dcm"), localizer);
        Run mark = run("dcmodify", "-nb", "-gin", "-m", "(0008,0008)=ORIGINAL\\PRIMARY\\LOCALIZER", localizer.toString());
        assertEquals(0, mark.exit, mark.out);
        Files.createDirectories(tree.resolve("c"));
        Files.copy(tree.resolve("a/IM0002.dcm"), tree.resolve("c/COPY.dcm"));
        Files.copy(archive("dicom/CT_small.dcm"), tree.resolve("c/CT_small.dcm"));
        Files.copy(archive("dicom/MR_small.dcm"), tree.resolve("MR_small.dcm"));
        Files.writeString(tree.resolve("c/notes.txt"), "not DICOM");
        Files.createSymbolicLink(tree.resolve("c/link.dcm"), tree.resolve("a/IM0001.dcm"));
        List<Path> inputs = List.of(tree, tree.resolve("b/IM0006.dcm"));

        List<Item> expected = Inputs.items(inputs);
        assertTrue(expected.stream().anyMatch(i -> i.isSeries() && i.slices().size() == 8), expected.toString());
        assertTrue(expected.stream().anyMatch(i -> i.note() != null && i.file().endsWith("LOC.dcm")),
                expected.toString());
        List<Item> files = org.yax.batch.Discovery.find(inputs);
        assertEquals(expected, HeaderStages.group(sc, files, HeaderStages.Access.inPlace()));
        // a Hadoop file system has no links to leave alone: without it, copies group as the files themselves
        Files.delete(tree.resolve("c/link.dcm"));
        expected = Inputs.items(inputs);
        files = org.yax.batch.Discovery.find(inputs);
        assertEquals(expected, HeaderStages.group(sc, files,
                HeaderStages.Access.copied(new org.yax.spark.fs.HadoopStaging(sc.hadoopConfiguration()))));
    }

    static String sopInstanceUid(Path f) throws Exception {
        return tag(f, "0008,0018");
    }

    static String tag(Path f, String tag) throws Exception {
        Run d = run("dcmdump", "-q", "+P", tag, f.toString());
        assertEquals(0, d.exit, d.out);
        int open = d.out.indexOf('['), close = d.out.indexOf(']');
        return d.out.substring(open + 1, close);
    }
}
