package org.yax.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.cli.Yax;

/**
 * {@code yax spark hdfs://... -o hdfs://...} against a real HDFS (MiniDFSCluster: a NameNode and a DataNode in this
 * JVM, one per class) with one SparkContext per class (local[2,4]: 2 cores, 4 attempts per task): the archive of {@link SparkReconstructTest}
 * (CT_small.dcm, MR_small.dcm, 3 slices of phantom-ct as one series, a 64x64 crop of L7_ETMs.tif) is uploaded, the
 * job runs HDFS to HDFS, and the output tree, downloaded, equals a local {@code yax reconstruct} of the same files.
 */
class SparkHdfsTest {
    private static final List<String> RECIPE = List.of("--task", "denoise", "--method", "tv", "--sigma", "auto");
    private static final Path SCRIPT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
            .resolve("scripts/compare-trees.py");

    @TempDir
    static Path tmp;
    static Path in;
    static Path local;
    static MiniDFSCluster cluster;
    static FileSystem fs;
    static String root;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() throws Exception {
        in = Files.createDirectories(tmp.resolve("in"));
        Files.createDirectories(in.resolve("dicom/phantom-ct"));
        Files.createDirectories(in.resolve("raster"));
        for (String n : List.of("CT_small.dcm", "MR_small.dcm")) {
            Files.copy(SparkReconstructTest.archive("dicom/" + n), in.resolve("dicom/" + n));
        }
        for (String n : List.of("IM0001.dcm", "IM0002.dcm", "IM0003.dcm")) {
            Files.copy(SparkReconstructTest.archive("dicom/phantom-ct/" + n), in.resolve("dicom/phantom-ct/" + n));
        }
        SparkReconstructTest.Run crop = SparkReconstructTest.run("gdal_translate", "-q", "-srcwin", "40", "40", "64",
                "64", "-b", "1", "-b", "2", SparkReconstructTest.archive("raster/L7_ETMs.tif").toString(),
                in.resolve("raster/small.tif").toString());
        assertEquals(0, crop.exit(), crop.out());
        local = tmp.resolve("local");
        SparkReconstructTest.Outcome o = yax(List.of("reconstruct", in.toString(), "-o", local.toString()));
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());

        Path base = Files.createDirectories(tmp.resolve("minidfs"));
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        root = fs.getUri().toString();
        upload(in, root + "/archive");

        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("SparkHdfsTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.close();
        }
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    static SparkReconstructTest.Outcome yax(List<String> args) {
        return SparkReconstructTest.yax(args);
    }

    static void upload(Path dir, String target) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(target + "/"
                        + dir.relativize(f).toString().replace('\\', '/'));
                try (OutputStream out = fs.create(p, true)) {
                    Files.copy(f, out);
                }
            }
        }
    }

    /** Every file below {@code location} (hidden ones included), relative path -> full path. */
    static Map<String, String> list(String location) throws IOException {
        Map<String, String> out = new TreeMap<>();
        org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(location);
        if (!fs.exists(base)) {
            return out;
        }
        String prefix = fs.getFileStatus(base).getPath().toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            out.put(f.getPath().toUri().getPath().substring(prefix.length() + 1), f.getPath().toString());
        }
        return out;
    }

    static void download(String location, Path dir) throws IOException {
        for (Map.Entry<String, String> e : list(location).entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            try (InputStream is = fs.open(new org.apache.hadoop.fs.Path(e.getValue()))) {
                Files.copy(is, f);
            }
        }
    }

    static JsonObject json(String location) throws IOException {
        try (InputStream is = fs.open(new org.apache.hadoop.fs.Path(location))) {
            return JsonParser.parseString(new String(is.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static Map<String, JsonObject> rowsByInput(JsonObject report) {
        Map<String, JsonObject> rows = new TreeMap<>();
        for (JsonElement e : report.getAsJsonArray("items")) {
            JsonObject r = e.getAsJsonObject();
            assertNull(rows.put(r.get("input").getAsString(), r), "two rows for " + r.get("input"));
        }
        assertEquals(4, rows.size(), rows.keySet().toString());
        return rows;
    }

    static SparkReconstructTest.Outcome spark(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("spark", root + "/archive", "-o", out));
        args.addAll(List.of(more));
        return yax(args);
    }

    @Test
    void hdfsToHdfsWritesWhatReconstructWritesAndResumeSkipsEverything() throws Exception {
        String out = root + "/out";
        String report = root + "/reports/first.json";
        SparkReconstructTest.Outcome o = spark(out, "--report", report);
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(o.err().contains("yax: 4 done, 0 failed, 0 skipped"), o.err());

        Path downloaded = tmp.resolve("downloaded");
        download(out, downloaded);
        SparkReconstructTest.Run cmp = SparkReconstructTest.compareTrees(local, downloaded);
        assertEquals(0, cmp.exit(), cmp.out());
        assertTrue(list(out).containsKey(".yax-manifest.json"), list(out).toString());
        for (Map.Entry<String, JsonObject> e : rowsByInput(json(report)).entrySet()) {
            JsonObject r = e.getValue();
            assertTrue(e.getKey().startsWith(root + "/archive/"), e.getKey());
            assertEquals("done", r.get("status").getAsString(), r.toString());
            assertTrue(r.get("output").getAsString().startsWith(out + "/"), r.toString());
            assertTrue(r.has("host") && r.get("attempt").getAsInt() == 0, r.toString());
        }
        for (String rel : list("/").keySet()) {
            assertFalse(rel.contains(".yax-tmp-"), "left behind on HDFS: " + rel);
        }
        assertLocalSpaceClean();

        // --resume: every item is skipped, nothing is rewritten, the run goes on
        String again = root + "/reports/resumed.csv";
        SparkReconstructTest.Outcome r = spark(out, "--resume", "--report", again);
        assertEquals(Yax.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains("yax: 0 done, 0 failed, 4 skipped"), r.err());
        String csv;
        try (InputStream is = fs.open(new org.apache.hadoop.fs.Path(again))) {
            csv = new String(is.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(4, csv.lines().filter(l -> l.contains(",skipped,already done with the same input")).count(),
                csv);
        Path downloadedAgain = tmp.resolve("downloaded-again");
        download(out, downloadedAgain);
        cmp = SparkReconstructTest.compareTrees(local, downloadedAgain);
        assertEquals(0, cmp.exit(), cmp.out());
        for (String rel : list("/").keySet()) {
            assertFalse(rel.contains(".yax-tmp-"), "left behind on HDFS: " + rel);
        }
    }

    /** Nothing of an item's local copies is left in Spark's local space (nor the job's local output folder). */
    static void assertLocalSpaceClean() throws IOException {
        Path space = Path.of(org.apache.spark.SparkFiles.getRootDirectory());
        try (Stream<Path> s = Files.list(space)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("yax-")).toList();
            assertTrue(left.isEmpty(), "left in " + space + ": " + left);
        }
    }

    @Test
    void firstAttemptsFailingAfterPublishingToHdfsAreRetriedWithoutHarm() throws Exception {
        String out = root + "/retried";
        String report = root + "/reports/retried.json";
        System.setProperty(FailureHook.ITEMS_PROPERTY, "phantom-ct,small.tif");
        SparkReconstructTest.Outcome o;
        try {
            o = spark(out, "--report", report);
        } finally {
            System.clearProperty(FailureHook.ITEMS_PROPERTY);
        }
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(o.err().contains(FailureHook.MESSAGE), "the hook did not fire: " + o.err());
        Path downloaded = tmp.resolve("downloaded-retried");
        download(out, downloaded);
        SparkReconstructTest.Run cmp = SparkReconstructTest.compareTrees(local, downloaded);
        assertEquals(0, cmp.exit(), cmp.out());
        List<String> retried = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : rowsByInput(json(report)).entrySet()) {
            assertEquals("done", e.getValue().get("status").getAsString(), e.getValue().toString());
            if (e.getValue().get("attempt").getAsInt() == 1) {
                retried.add(e.getKey().substring(e.getKey().lastIndexOf('/') + 1));
            }
        }
        assertEquals(List.of("phantom-ct", "small.tif"), retried.stream().sorted().toList());
        JsonObject series = rowsByInput(json(report)).get(root + "/archive/dicom/phantom-ct");
        assertEquals(3, series.get("slices").getAsInt(), series.toString());
        for (String rel : list("/").keySet()) {
            assertFalse(rel.contains(".yax-tmp-"), "left behind on HDFS: " + rel);
        }
        assertLocalSpaceClean();
    }

    @Test
    void dryRunOnHdfsPlansEveryItemAndWritesNothing() throws Exception {
        String out = root + "/dry";
        String report = root + "/reports/dry.json";
        SparkReconstructTest.Outcome o = spark(out, "--dry-run", "--report", report);
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out)), "a dry run writes nothing into OUTDIR");
        for (JsonObject r : rowsByInput(json(report)).values()) {
            assertEquals("planned", r.get("status").getAsString(), r.toString());
        }
    }
}
