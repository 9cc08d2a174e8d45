package org.yax.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.spark.fs.HadoopStaging;
import org.yax.spark.fs.HadoopStagingAccess;
import org.yax.spark.fs.StagedItem;

/** {@link HadoopStaging} against a real HDFS (MiniDFSCluster: a NameNode and a DataNode in this JVM). */
class MiniHdfsStagingTest {
    private static MiniDFSCluster cluster;
    private static FileSystem fs;
    private static String root;
    private static Path base;

    @BeforeAll
    static void startHdfs() throws IOException {
        base = Files.createTempDirectory("yax-minidfs-");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        root = fs.getUri().toString();
    }

    @AfterAll
    static void stopHdfs() throws IOException {
        if (cluster != null) {
            cluster.shutdown(true);
        }
        if (base != null && Files.exists(base)) { // shutdown(true) deletes it already
            try (var walk = Files.walk(base)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void put(String path, String text) throws IOException {
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(String path) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HadoopStaging staging() {
        return new HadoopStaging(fs.getConf());
    }

    @Test
    void listsFilesRecursivelySkippingHiddenAndTemporaryNames() throws IOException {
        put("/list/a/s1/1.dcm", "one");
        put("/list/a/s1/2.dcm", "two2");
        put("/list/b.tif", "tif");
        put("/list/.hidden/x.dcm", "no");
        put("/list/a/.yax-tmp-123-1.dcm", "no");
        put("/list/.yax-manifest.json", "no");
        List<HadoopStaging.RemoteFile> files = staging().list(root + "/list");
        assertEquals(List.of("a/s1/1.dcm", "a/s1/2.dcm", "b.tif"),
                files.stream().map(HadoopStaging.RemoteFile::relative).toList());
        assertEquals(4, files.get(1).length());
        assertTrue(files.get(0).location().startsWith("hdfs://"), files.get(0).location());
        assertEquals("one", new String(staging().open(files.get(0).location()).readAllBytes(),
                StandardCharsets.UTF_8));
        // a file as root: itself, named by its file name
        assertEquals(List.of("b.tif"), staging().list(root + "/list/b.tif").stream()
                .map(HadoopStaging.RemoteFile::relative).toList());
        assertTrue(HadoopStaging.isRemote(root + "/list"));
        assertFalse(HadoopStaging.isRemote("/mnt/nfs/archive"));
        assertFalse(HadoopStaging.isRemote("file:///mnt/nfs/archive"));
    }

    @Test
    void stagesAnItemLocallyPublishesAtomicallyAndCleansUp(@TempDir Path tmp) throws IOException {
        put("/in/study/series1/1.dcm", "slice one");
        put("/in/study/series1/2.dcm", "slice two");
        HadoopStaging staging = staging();
        Path scratch;
        List<String> published;
        try (StagedItem item = staging.newItem(tmp, "study/series1")) {
            scratch = item.inputDir().getParent();
            List<Path> local = item.stage(root + "/in", List.of("study/series1/1.dcm", "study/series1/2.dcm"));
            assertEquals(item.inputDir().resolve("study/series1/1.dcm"), local.get(0));
            assertEquals("slice two", Files.readString(local.get(1)));
            // the "engine": writes outputs at the same relative paths, plus bookkeeping that is never published
            for (Path in : local) {
                Path out = item.outputDir().resolve(item.inputDir().relativize(in));
                Files.createDirectories(out.getParent());
                Files.writeString(out, "derived " + Files.readString(in));
            }
            Files.writeString(item.outputDir().resolve(".yax-manifest.json"), "{}");
            published = item.publish(root + "/out");
        }
        assertFalse(Files.exists(scratch), "local scratch deleted on close");
        assertEquals(List.of(root + "/out/study/series1/1.dcm", root + "/out/study/series1/2.dcm"), published);
        assertEquals("derived slice one", read("/out/study/series1/1.dcm"));
        assertEquals("derived slice two", read("/out/study/series1/2.dcm"));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/out/.yax-manifest.json")));
        assertNoTemporaryNames("/out");

        // a retried attempt replaces the earlier attempt's files in place (rename with overwrite)
        try (StagedItem item = staging.newItem(tmp, "again")) {
            Path out = item.outputDir().resolve("study/series1/1.dcm");
            Files.createDirectories(out.getParent());
            Files.writeString(out, "attempt two");
            item.publish(root + "/out");
        }
        assertEquals("attempt two", read("/out/study/series1/1.dcm"));
        assertNoTemporaryNames("/out");
    }

    @Test
    void aFileIsOnlyEverSeenUnderItsFinalNameComplete(@TempDir Path tmp) throws Exception {
        HadoopStaging staging = staging();
        Path local = Files.createDirectories(tmp.resolve("tree/a"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(local.resolve("big.tif"), big);
        List<String> seenTemps = new ArrayList<>();
        HadoopStagingAccess.onRename(staging, (temporary, target) -> {
            // just before the rename: the bytes are complete under the temporary name, nothing under the final one
            assertTrue(temporary.contains("/.yax-tmp-"), temporary);
            assertFalse(fs.exists(new org.apache.hadoop.fs.Path(target)), "final name must not exist yet");
            assertEquals(big.length, fs.getFileStatus(new org.apache.hadoop.fs.Path(temporary)).getLen());
            seenTemps.add(temporary);
        });
        staging.publish(tmp.resolve("tree"), root + "/atomic");
        assertEquals(1, seenTemps.size());
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("/atomic/a/big.tif"))) {
            assertArrayEquals(big, in.readAllBytes());
        }
        assertNoTemporaryNames("/atomic");
    }

    @Test
    void aFailedPublishLeavesNeitherTemporaryNamesNorHalfASeries(@TempDir Path tmp) throws IOException {
        put("/fail/series/1.dcm", "earlier run, kept");
        HadoopStaging staging = staging();
        Path tree = Files.createDirectories(tmp.resolve("tree/series"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(tree.resolve(i + ".dcm"), "new " + i);
        }
        AtomicInteger calls = new AtomicInteger();
        HadoopStagingAccess.onRename(staging, (temporary, target) -> {
            if (calls.incrementAndGet() == 3) {
                throw new IOException("disk full (simulated) while publishing " + target);
            }
        });
        IOException e = assertThrows(IOException.class, () -> staging.publish(tmp.resolve("tree"), root + "/fail"));
        assertTrue(e.getMessage().contains("simulated"));
        // 2.dcm (created by this call) is rolled back; 1.dcm existed before: replaced, not deleted; 3.dcm never named
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/fail/series/1.dcm")));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/fail/series/2.dcm")));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/fail/series/3.dcm")));
        assertNoTemporaryNames("/fail");
    }

    @Test
    void stagingAMissingFileFailsAndLeavesNothingLocal(@TempDir Path tmp) throws IOException {
        put("/miss/1.dcm", "one");
        HadoopStaging staging = staging();
        Path in = tmp.resolve("in");
        assertThrows(IOException.class, () -> staging.stage(root + "/miss", List.of("1.dcm", "2.dcm"), in));
        assertFalse(Files.exists(in.resolve("1.dcm")));
        assertThrows(IOException.class, () -> staging.stage(root + "/miss", List.of("../1.dcm"), in));
    }

    @Test
    void travelsToExecutorsAsAJavaSerialisedValue(@TempDir Path tmp) throws Exception {
        put("/ser/x.tif", "x");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(staging());
        }
        HadoopStaging copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (HadoopStaging) in.readObject();
        }
        assertEquals(fs.getConf().get("fs.defaultFS"), copy.configuration().get("fs.defaultFS"));
        assertEquals(List.of("x.tif"), copy.list(root + "/ser").stream().map(HadoopStaging.RemoteFile::relative)
                .toList());
        assertEquals(List.of(tmp.resolve("x.tif")), copy.stage(root + "/ser", List.of("x.tif"), tmp));
    }

    @Test
    void plainPathsAndFileUrisWorkTheSameWay(@TempDir Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/a"));
        Files.writeString(src.resolve("1.dcm"), "one");
        Files.writeString(src.resolve(".hidden"), "no");
        HadoopStaging staging = staging();
        for (String rootLoc : List.of(tmp.resolve("src").toString(), tmp.resolve("src").toUri().toString())) {
            assertEquals(List.of("a/1.dcm"), staging.list(rootLoc).stream()
                    .map(HadoopStaging.RemoteFile::relative).toList(), rootLoc);
        }
        Path tree = Files.createDirectories(tmp.resolve("tree/a"));
        Files.writeString(tree.resolve("1.dcm"), "derived");
        String target = tmp.resolve("dst").toUri().toString();
        staging.publish(tmp.resolve("tree"), target);
        assertEquals("derived", Files.readString(tmp.resolve("dst/a/1.dcm")));
        try (var files = Files.list(tmp.resolve("dst/a"))) {
            assertEquals(1, files.count(), "no .crc sidecar, no temporary name");
        }
    }

    private static void assertNoTemporaryNames(String dir) throws IOException {
        var it = fs.listFiles(new org.apache.hadoop.fs.Path(dir), true);
        while (it.hasNext()) {
            FileStatus f = it.next();
            assertFalse(f.getPath().getName().startsWith(".yax-tmp-"), f.getPath().toString());
        }
    }
}
