package org.yax.spark.fs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.RemoteIterator;
import org.yax.io.AtomicFiles;

/**
 * Inputs and outputs on a Hadoop-compatible file system ({@code hdfs://}, {@code s3a://}, {@code file://}, ...)
 * or a plain (shared, NFS-style) path, for the JVMs that process items: list the files under a root (discovery),
 * copy an item's files into local temporary space keeping their relative paths ({@link #stage}), and publish a
 * local output tree to the target atomically, file by file: each file is written under a temporary name
 * ({@link AtomicFiles#TEMP_PREFIX}) beside its final name and renamed into place, so a reader or a resumed run
 * never sees a partial file under a final name; on failure the temporary names and the files this call created
 * are removed (a series is published whole or not at all, as far as the file system allows).
 *
 * <p>Serialisable (the Hadoop configuration travels as its XML-free {@code Writable} form), so the driver can
 * build one from {@code JavaSparkContext.hadoopConfiguration()} and capture it in a task's closure.
 *
 * <p>A plain path (no scheme) and {@code file:} URIs are handled with {@code java.nio} (no {@code .crc}
 * sidecars, {@code ATOMIC_MOVE}); every other scheme through Hadoop's {@link FileSystem} and, for the
 * replacing rename, {@link FileContext} ({@code Options.Rename.OVERWRITE}: atomic on HDFS).
 */
public final class HadoopStaging implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    private transient Configuration conf;

    /** A file found under a root: its full location and its path below the root ('/'-separated). */
    public record RemoteFile(String location, String relative, long length) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public HadoopStaging(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    /** With Hadoop's default configuration (core-site.xml etc. from the classpath). */
    public HadoopStaging() {
        this(new Configuration());
    }

    public Configuration configuration() {
        return conf;
    }

    /**
     * Whether a location is on a Hadoop file system other than the local one: then an executor stages the
     * item's files locally before it reconstructs them. Plain paths and {@code file:} URIs are read in place.
     */
    public static boolean isRemote(String location) {
        String scheme = schemeOf(location);
        return scheme != null && !scheme.equalsIgnoreCase("file");
    }

    /** {@code root} + {@code relative} ('/'-separated), for plain paths and URIs alike. */
    public static String resolve(String root, String relative) {
        if (relative.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + relative : root + "/" + relative;
    }

    /**
     * Every regular file under {@code root} (recursively; {@code root} itself if it is a file, with its name as
     * relative path), sorted by relative path, skipping hidden files and folders and yax's temporary names as
     * the local discovery does.
     */
    public List<RemoteFile> list(String root) throws IOException {
        List<RemoteFile> out = new ArrayList<>();
        if (isLocal(root)) {
            Path dir = localPath(root);
            if (Files.isRegularFile(dir)) {
                out.add(new RemoteFile(root, dir.getFileName().toString(), Files.size(dir)));
                return out;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path rel = dir.relativize(p);
                    if (Files.isRegularFile(p) && !hiddenOrTemporary(rel.toString())) {
                        String r = rel.toString().replace('\\', '/');
                        out.add(new RemoteFile(resolve(root, r), r, Files.size(p)));
                    }
                }
            }
        } else {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(root);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus st = fs.getFileStatus(path);
            if (st.isFile()) {
                out.add(new RemoteFile(st.getPath().toString(), st.getPath().getName(), st.getLen()));
                return out;
            }
            String base = st.getPath().toUri().getPath();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String full = f.getPath().toUri().getPath();
                String rel = full.substring(base.length()).replaceFirst("^/+", "");
                if (f.isFile() && !hiddenOrTemporary(rel)) {
                    out.add(new RemoteFile(f.getPath().toString(), rel, f.getLen()));
                }
            }
        }
        out.sort(Comparator.comparing(RemoteFile::relative));
        return out;
    }

    /** Opens one file for reading (e.g. to read a DICOM header for series grouping on the driver). */
    public InputStream open(String location) throws IOException {
        if (isLocal(location)) {
            return Files.newInputStream(localPath(location));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        return p.getFileSystem(conf).open(p);
    }

    /** Whether a file or folder exists at {@code location}. */
    public boolean exists(String location) throws IOException {
        if (isLocal(location)) {
            return Files.exists(localPath(location));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        return p.getFileSystem(conf).exists(p);
    }

    /** Whether {@code location} is a folder. */
    public boolean isDirectory(String location) throws IOException {
        if (isLocal(location)) {
            return Files.isDirectory(localPath(location));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = p.getFileSystem(conf);
        return fs.exists(p) && fs.getFileStatus(p).isDirectory();
    }

    /** Creates the folder {@code location} and its parents (nothing if it exists). */
    public void mkdirs(String location) throws IOException {
        if (isLocal(location)) {
            Files.createDirectories(localPath(location));
            return;
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        if (!p.getFileSystem(conf).mkdirs(p)) {
            throw new IOException("cannot create folder " + location);
        }
    }

    /**
     * Publishes one local file to {@code target} (any name, hidden ones included: the driver's resume manifest, a
     * report): written under a temporary name beside the target and renamed over it, as {@link #publish} does.
     */
    public void publishFile(Path local, String target) throws IOException {
        Publisher pub = isLocal(target) ? new LocalPublisher() : new HadoopPublisher(target);
        pub.publish(local, target);
    }

    /**
     * Copies the files {@code root/relative} (for each of {@code relatives}) to {@code localDir/relative} and
     * returns the local paths in the same order. Nothing is left behind on failure.
     */
    public List<Path> stage(String root, List<String> relatives, Path localDir) throws IOException {
        List<Path> out = new ArrayList<>(relatives.size());
        Files.createDirectories(localDir);
        List<Path> created = new ArrayList<>();
        boolean ok = false;
        try {
            for (String rel : relatives) {
                Path local = localDir.resolve(checkedRelative(rel));
                Files.createDirectories(local.getParent());
                try (InputStream in = open(resolve(root, rel))) {
                    created.add(local);
                    Files.copy(in, local);
                }
                out.add(local);
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                for (Path p : created) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Publishes every regular file under {@code localTree} to {@code targetRoot} at the same relative path
     * (hidden names and yax's temporary names are skipped: they are a run's bookkeeping). Each file is copied to
     * a temporary name in its target folder and renamed over its final name (replacing an earlier attempt's
     * file). If anything fails, the temporary names are deleted and so are the files this call created (files
     * it replaced stay replaced). Returns the published locations, sorted.
     */
    public List<String> publish(Path localTree, String targetRoot) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(localTree)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !hiddenOrTemporary(localTree.relativize(p).toString()))
                    .sorted()
                    .forEach(files::add);
        }
        Publisher pub = isLocal(targetRoot) ? new LocalPublisher() : new HadoopPublisher(targetRoot);
        List<String> published = new ArrayList<>();
        List<String> createdHere = new ArrayList<>();
        boolean ok = false;
        try {
            for (Path f : files) {
                String rel = localTree.relativize(f).toString().replace('\\', '/');
                String target = resolve(targetRoot, rel);
                if (!pub.exists(target)) {
                    createdHere.add(target);
                }
                pub.publish(f, target);
                published.add(target);
            }
            ok = true;
            return published;
        } finally {
            if (!ok) {
                for (String t : createdHere) {
                    try {
                        pub.delete(t);
                    } catch (IOException | RuntimeException e) {
                        // best effort: the original failure is what the caller reports
                    }
                }
            }
        }
    }

    /**
     * A local scratch area for one item (inputs and outputs side by side), deleted on close. {@code parent} is
     * the executor's local space (e.g. the first entry of {@code spark.local.dir}, or {@code java.io.tmpdir}).
     */
    public StagedItem newItem(Path parent, String label) throws IOException {
        Files.createDirectories(parent);
        String safe = label.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(safe.length() - 40);
        }
        return new StagedItem(this, Files.createTempDirectory(parent, "yax-item-" + safe + "-"));
    }

    // --- hooks and helpers -------------------------------------------------------------------------------

    /** For tests: called after a file was written under its temporary name and before the rename. */
    interface RenameHook {
        void beforeRename(String temporary, String target) throws IOException;
    }

    private transient RenameHook hook;

    void setRenameHook(RenameHook hook) {
        this.hook = hook;
    }

    private interface Publisher {
        boolean exists(String target) throws IOException;

        void publish(Path local, String target) throws IOException;

        void delete(String target) throws IOException;
    }

    private final class LocalPublisher implements Publisher {
        @Override
        public boolean exists(String target) {
            return Files.exists(localPath(target));
        }

        @Override
        public void publish(Path local, String target) throws IOException {
            AtomicFiles.write(localPath(target), tmp -> {
                Files.copy(local, tmp);
                if (hook != null) {
                    hook.beforeRename(tmp.toString(), target);
                }
            });
        }

        @Override
        public void delete(String target) throws IOException {
            Files.deleteIfExists(localPath(target));
        }
    }

    private final class HadoopPublisher implements Publisher {
        private final FileSystem fs;
        private final FileContext fc;

        HadoopPublisher(String root) throws IOException {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
            this.fs = p.getFileSystem(conf);
            this.fc = FileContext.getFileContext(fs.getUri(), conf);
        }

        @Override
        public boolean exists(String target) throws IOException {
            return fs.exists(new org.apache.hadoop.fs.Path(target));
        }

        @Override
        public void publish(Path local, String target) throws IOException {
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dst.getParent(),
                    AtomicFiles.TEMP_PREFIX + UUID.randomUUID() + "-" + dst.getName());
            fs.mkdirs(dst.getParent());
            boolean done = false;
            try {
                try (OutputStream out = fs.create(tmp, false)) {
                    Files.copy(local, out);
                }
                if (hook != null) {
                    hook.beforeRename(tmp.toString(), target);
                }
                fc.rename(tmp, dst, Options.Rename.OVERWRITE);
                done = true;
            } finally {
                if (!done) {
                    try {
                        fs.delete(tmp, false);
                    } catch (IOException | RuntimeException e) {
                        // best effort
                    }
                }
            }
        }

        @Override
        public void delete(String target) throws IOException {
            fs.delete(new org.apache.hadoop.fs.Path(target), false);
        }
    }

    static boolean hiddenOrTemporary(String relative) {
        for (String part : relative.replace('\\', '/').split("/")) {
            if (part.startsWith(".") || part.startsWith(AtomicFiles.TEMP_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private static String checkedRelative(String rel) throws IOException {
        Path p = Path.of(rel).normalize();
        if (p.isAbsolute() || p.startsWith("..") || rel.isEmpty()) {
            throw new IOException("not a relative path inside the item: " + rel);
        }
        return p.toString();
    }

    private static String schemeOf(String location) {
        if (!SCHEME.matcher(location).matches() || location.matches("^[a-zA-Z]:[\\\\/].*")) {
            return null; // a plain path (a Windows drive letter is not a scheme)
        }
        return location.substring(0, location.indexOf(':'));
    }

    private static boolean isLocal(String location) {
        return !isRemote(location);
    }

    private static Path localPath(String location) {
        return schemeOf(location) == null ? Path.of(location) : Path.of(URI.create(location));
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            conf.write(data);
        }
        out.writeObject(bytes.toByteArray());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] bytes = (byte[]) in.readObject();
        Configuration c = new Configuration(false);
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes))) {
            c.readFields(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.conf = c;
    }
}
