package org.yax.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A plain ImageJ 1 folder for child-JVM tests: the built '_' jar in plugins/, the shared code as the main
 * yax-plugins jar has it (without the ImageJ 1 classes and plugins.config), the rest of the test classpath.
 */
record Ij1Layout(Path ijDir, Path home, String classPath, String patcherJar) {
    static Ij1Layout create(Path tmp) throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        Path ij1Jar;
        try (Stream<Path> s = Files.list(target)) {
            ij1Jar = s.filter(p -> p.getFileName().toString().matches("yax_plugins-.*-ij1\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no yax_plugins-*-ij1.jar in " + target
                            + " (built at process-classes)"));
        }
        Path ijDir = Files.createDirectories(tmp.resolve("ImageJ"));
        Files.createDirectories(ijDir.resolve("plugins"));
        Path installed = Files.copy(ij1Jar, ijDir.resolve("plugins").resolve(ij1Jar.getFileName()));
        Path shared = copyWithout(target.resolve("classes"), tmp.resolve("yax-plugins-classes"));
        List<String> cp = new ArrayList<>(List.of(shared.toString(), installed.toString()));
        String agent = null;
        for (String entry : System.getProperty("surefire.test.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!p.toAbsolutePath().startsWith(target.toAbsolutePath())) { // this module's own classes are above
                cp.add(entry);
            }
            if (p.getFileName().toString().startsWith("ij1-patcher")) {
                agent = entry;
            }
        }
        assertTrue(agent != null, "ij1-patcher jar not on the test classpath");
        return new Ij1Layout(ijDir, Files.createDirectories(tmp.resolve("home")), String.join(File.pathSeparator, cp),
                agent);
    }

    private static Path copyWithout(Path classes, Path into) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (rel.startsWith("org/yax/plugins/ij1") || rel.equals("plugins.config")) {
                    continue;
                }
                Path to = into.resolve(rel);
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return into;
    }
}
