package org.yax.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import picocli.CommandLine;

/** yax spark's settings and driver-side rules, without a SparkContext. */
class SparkCommandTest {
    private static SparkConf conf(String... args) {
        SparkCommand c = new SparkCommand().withArgs(args);
        new CommandLine(c).parseArgs(args);
        return c.sparkConf();
    }

    @Test
    void masterDefaultsToLocalStarOrJobsAndExecutorsGetTheAddOpensOnce() {
        assertEquals("local[*]", conf("in", "-o", "out").get("spark.master"));
        assertEquals("local[3]", conf("in", "-o", "out", "--jobs", "3").get("spark.master"));
        assertEquals("spark://h:7077", conf("in", "-o", "out", "--jobs", "3", "--master", "spark://h:7077")
                .get("spark.master"));
        SparkConf c = conf("in", "-o", "out", "--conf", "spark.executor.extraJavaOptions=-Xss4m",
                "--conf", "spark.executor.memory=3g");
        assertEquals("3g", c.get("spark.executor.memory"));
        String opts = c.get("spark.executor.extraJavaOptions");
        assertTrue(opts.startsWith("-Xss4m ") && opts.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), opts);
        String given = String.join(" ", SparkJvm.ADD_OPENS);
        assertEquals(given, conf("in", "-o", "out", "--conf", "spark.executor.extraJavaOptions=" + given)
                .get("spark.executor.extraJavaOptions"));
        assertEquals("false", c.get("spark.ui.enabled"), "an embedded run has no web UI");
        assertFalse(conf("in", "-o", "out", "--master", "spark://h:7077").contains("spark.ui.enabled"));
    }

    @Test
    void theFailureHookMatchesItemsByRelativePathFileNameOrSeriesFolder() {
        FailureHook hook = new FailureHook(List.of("a/b.tif", "c.dcm", "ct"), false);
        Item file = new Item(Path.of("/x/a/b.tif"), Path.of("a/b.tif"), false);
        Item byName = new Item(Path.of("/x/d/c.dcm"), Path.of("d/c.dcm"), false);
        Item other = new Item(Path.of("/x/d/e.dcm"), Path.of("d/e.dcm"), false);
        Item series = new Item(Path.of("/x/ct"), Path.of("ct"), false,
                List.of(new Item(Path.of("/x/ct/1.dcm"), Path.of("ct/1.dcm"), false)), "1.2.3", null);
        assertTrue(hook.failsOn(file, 0) && hook.failsOn(byName, 0) && hook.failsOn(series, 0));
        assertFalse(hook.failsOn(other, 0));
        assertFalse(hook.failsOn(file, 1), "only the first attempt fails");
        assertTrue(FailureHook.OFF.isOff() && !FailureHook.OFF.failsOn(file, 0));
    }

    @Test
    void outputClashesBetweenItemsFailTheLaterRow() {
        List<ItemResult> rows = new ArrayList<>();
        for (String in : List.of("a.jp2", "a.tif", "b.tif")) {
            ItemResult r = new ItemResult();
            r.input = in;
            r.output = in.startsWith("a") ? "out/a.tif" : "out/b.tif";
            r.status = ItemResult.Status.done;
            rows.add(r);
        }
        SparkBatch.markClashes(rows);
        assertEquals(ItemResult.Status.done, rows.get(0).status);
        assertEquals(ItemResult.Status.failed, rows.get(1).status);
        assertEquals("output out/a.tif clashes with the output of a.jp2", rows.get(1).reason);
        assertEquals(ItemResult.Status.done, rows.get(2).status);
    }

    @Test
    void hadoopLocationsAreTakenAsTypedNotAsFoldedPaths() {
        String[] args = {"hdfs://nn:8020/a", "/plain/b", "s3a://bucket/c", "-o", "hdfs://nn:8020/out",
            "--report", "hdfs://nn:8020/r.json"};
        SparkCommand c = new SparkCommand().withArgs(args);
        new CommandLine(c).parseArgs(args);
        assertEquals(List.of("hdfs://nn:8020/a", "/plain/b", "s3a://bucket/c"), c.rawInputs());
        assertEquals("hdfs://nn:8020/out", c.raw("--output", null));
        assertEquals("hdfs://nn:8020/r.json", c.raw("--report", null));
        assertEquals("hdfs:/nn:8020/out", c.options.outputRoot.toString(), "what picocli's Path makes of it");
        assertTrue(StagedJob.isRemote("hdfs://nn:8020/a") && !StagedJob.isRemote("/plain/b")
                && !StagedJob.isRemote("file:///plain/b"));
    }

    @Test
    void seriesFoldersAndOutputNamesOfStagedItems() {
        assertEquals("hdfs://nn:8020/in/ct", StagedJob.commonFolder(List.of("hdfs://nn:8020/in/ct/1.dcm",
                "hdfs://nn:8020/in/ct/2.dcm")));
        assertEquals("hdfs://nn:8020/in", StagedJob.commonFolder(List.of("hdfs://nn:8020/in/ct/a/1.dcm",
                "hdfs://nn:8020/in/ct2/2.dcm")));
        assertEquals("2.dcm", StagedJob.lastName("hdfs://nn:8020/in/ct2/2.dcm"));
        Path localOut = Path.of("/tmp/yax-out-x");
        assertEquals("hdfs://nn:8020/out/ct/1.dcm", StagedJob.remoteName("/tmp/yax-out-x/ct/1.dcm", localOut,
                "hdfs://nn:8020/out"));
        assertEquals("hdfs://nn:8020/out", StagedJob.remoteName("/tmp/yax-out-x", localOut, "hdfs://nn:8020/out"));
        assertEquals("/elsewhere/x", StagedJob.remoteName("/elsewhere/x", localOut, "hdfs://nn:8020/out"));
    }
}
