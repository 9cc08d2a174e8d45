package org.yax.sampledata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** One generated data directory per test JVM (under target/, so `mvn clean` removes it). */
final class GeneratedData {
    private static Path directory;

    private GeneratedData() {
    }

    static synchronized Path directory() {
        if (directory == null) {
            Path dir = Path.of("target", "test-sample-data").toAbsolutePath();
            try {
                new GenerateSampleData(PhantomCtSpec.DEFAULT, RotatedMultibandSpec.DEFAULT).generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            directory = dir;
        }
        return directory;
    }
}
