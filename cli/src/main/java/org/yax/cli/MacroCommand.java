package org.yax.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yax macro FILE.ijm [ARG]}: runs an ImageJ macro in a headless ImageJ 1 (through ij1-patcher, in a child
 * JVM) whose Plugins > yax menu holds the yax commands, and exits non-zero when the macro fails.
 *
 * <p>ImageJ's {@code -batch} exits 0 even after a macro error, so the macro runs with a unique marker printed
 * after its last line: a missing marker (an error, a failed yax command, {@code exit}) or a "Macro Error" line
 * means failure. Headless, no dialog can ever wait for a click.
 */
@Command(name = "macro", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an ImageJ macro headless in ImageJ 1 with the yax commands (run(\"Denoise\", ...), "
                + "run(\"Open DICOM...\", ...), ...; see plugins/README.md). The macro's print() output goes to "
                + "stdout. getArgument() returns ARG."},
        footer = {"", "Exit codes: 0 the macro ran to its end, 1 it failed or stopped early (an error, a failed "
                + "command, exit()), 2 usage error; a crashed ImageJ passes on its own exit code."})
final class MacroCommand implements Callable<Integer> {
    static final String MACRO_ERROR = "Macro Error";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.ijm", description = "The ImageJ macro.")
    Path macro;

    @Parameters(index = "1", paramLabel = "ARG", arity = "0..1", description = "Passed to the macro (getArgument()).")
    String argument;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop ImageJ (and fail) after this many seconds; 0 waits as long as it takes (default).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(macro)) {
            throw new Yax.UsageException(macro + ": no such macro file");
        }
        if (timeoutSeconds < 0) {
            throw new Yax.UsageException("--timeout must be 0 or more seconds");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("yax-macro");
        try {
            String marker = "yax-macro-finished-" + UUID.randomUUID();
            Path wrapped = Files.createDirectories(work.resolve("macro")).resolve(macro.getFileName().toString());
            // The macro's bytes as they are (any encoding), then the marker on a new line after a ';' so that a
            // last line without newline or ';' cannot swallow it.
            Files.write(wrapped, Files.readAllBytes(macro));
            Files.writeString(wrapped, "\n;print(\"" + marker + "\");\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.APPEND);
            ImageJ1Layout ij = ImageJ1Layout.create(work);
            List<String> command = new ArrayList<>(ij.javaCommand());
            command.addAll(List.of("ij.ImageJ", "-ijpath", ij.ijDir().toString(), "-port0", "-batch", wrapped.toString()));
            if (argument != null) {
                command.add(argument);
            }
            return run(command, marker, out, err);
        } finally {
            deleteTree(work);
        }
    }

    private int run(List<String> command, String marker, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean macroError = new AtomicBoolean();
        Thread stdout = pump(p.getInputStream(), line -> {
            if (line.equals(marker)) {
                finished.set(true);
            } else {
                out.println(line);
                macroError.compareAndSet(false, line.startsWith(MACRO_ERROR));
            }
        });
        Thread stderr = pump(p.getErrorStream(), line -> {
            err.println(line);
            macroError.compareAndSet(false, line.startsWith(MACRO_ERROR));
        });
        boolean exited = true;
        if (timeoutSeconds == 0) {
            p.waitFor();
        } else {
            exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        }
        if (!exited) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        stdout.join(10_000);
        stderr.join(10_000);
        out.flush();
        if (!exited) {
            err.println("yax: macro " + macro + ": stopped after the --timeout of " + timeoutSeconds + " s");
            return Yax.EXIT_FATAL;
        }
        if (p.exitValue() != 0) {
            err.println("yax: macro " + macro + ": ImageJ exited with code " + p.exitValue());
            return p.exitValue();
        }
        if (macroError.get()) {
            err.println("yax: macro " + macro + ": failed (Macro Error above)");
            return Yax.EXIT_FATAL;
        }
        if (!finished.get()) {
            err.println("yax: macro " + macro + ": stopped before its end (an error or exit(); see above)");
            return Yax.EXIT_FATAL;
        }
        return Yax.EXIT_OK;
    }

    private static Thread pump(InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (MacroCommand.class) { // one line at a time on the shared writers
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "yax-macro-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A throwaway ImageJ 1 folder (plugins/ with the yax '_' jar, its own user.home) and the java command line
     * that starts ImageJ headless through ij1-patcher on this JVM's classpath.
     */
    record ImageJ1Layout(Path ijDir, Path home, Path agent, List<String> classPath) {
        static ImageJ1Layout create(Path work) throws IOException {
            List<Path> cp = effectiveClassPath();
            Path ij1Jar = cp.stream().filter(p -> p.getFileName().toString().matches("yax[-_]plugins-.*-ij1\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "the yax ImageJ 1 plugin jar (yax-plugins-*-ij1.jar) is not on the classpath"));
            Path agent = codeSource("net/imagej/patcher/JavaAgent.class", "ij1-patcher");
            codeSource("ij/ImageJ.class", "ImageJ (ij.jar)");
            Path ijDir = Files.createDirectories(work.resolve("ImageJ"));
            // ImageJ 1 loads plugin jars whose names contain '_' from plugins/; with ij1-patcher's init agent
            // the same jar must also be on the classpath.
            Path installed = Files.copy(ij1Jar, Files.createDirectories(ijDir.resolve("plugins")).resolve("yax_plugins.jar"));
            Set<String> entries = new LinkedHashSet<>();
            entries.add(installed.toString());
            cp.stream().filter(p -> !p.equals(ij1Jar)).forEach(p -> entries.add(p.toString()));
            return new ImageJ1Layout(ijDir, Files.createDirectories(work.resolve("home")), agent, List.copyOf(entries));
        }

        List<String> javaCommand() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
            cmd.add("-Djava.awt.headless=true");
            cmd.add("-Duser.home=" + home); // ImageJ's and SciJava's prefs never touch the user's own
            cmd.add("-Xmx" + Math.max(256, Runtime.getRuntime().maxMemory() >> 20) + "m");
            for (String key : List.of("java.library.path", "ai.djl.offline")) {
                String v = System.getProperty(key);
                if (v != null) {
                    cmd.add("-D" + key + "=" + v);
                }
            }
            cmd.add("-javaagent:" + agent + "=init");
            cmd.add("-cp");
            cmd.add(String.join(java.io.File.pathSeparator, classPath));
            return cmd;
        }

        /** java.class.path with the Class-Path of its jars' manifests followed (./yax runs -jar, surefire too). */
        static List<Path> effectiveClassPath() throws IOException {
            Set<Path> seen = new LinkedHashSet<>();
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (!e.isEmpty()) {
                    addWithManifest(Path.of(e).toAbsolutePath().normalize(), seen);
                }
            }
            return List.copyOf(seen);
        }

        private static void addWithManifest(Path entry, Set<Path> seen) throws IOException {
            if (!seen.add(entry) || !Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
                return;
            }
            Manifest m;
            try (JarFile jar = new JarFile(entry.toFile())) {
                m = jar.getManifest();
            }
            String classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return;
            }
            URI base = entry.toUri();
            for (String ref : classPath.trim().split("\\s+")) {
                try {
                    Path p = Path.of(base.resolve(new URI(ref))).normalize(); // relative or file: URI
                    if (Files.exists(p)) {
                        addWithManifest(p, seen);
                    }
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // surefire and maven-jar-plugin write valid entries; an odd one is not ours to use
                }
            }
        }

        private static Path codeSource(String resource, String what) {
            URL url = MacroCommand.class.getClassLoader().getResource(resource);
            if (url == null) {
                throw new IllegalStateException(what + " is not on the classpath");
            }
            String s = url.toString();
            try {
                if (s.startsWith("jar:")) {
                    return Path.of(new URI(s.substring(4, s.indexOf("!/"))));
                }
                Path p = Path.of(url.toURI());
                for (int i = 0; i < resource.split("/").length; i++) {
                    p = p.getParent();
                }
                return p;
            } catch (URISyntaxException e) {
                throw new IllegalStateException(what + ": unusable location " + s, e);
            }
        }
    }
}
