package org.yax.cli;

import java.nio.file.Path;

/** Where the sample data lives: -Dyax.sampleData, else sample-data/data under the launcher's folder (yax.home). */
final class DataFolders {
    private DataFolders() { }

    static Path sampleData() {
        String explicit = System.getProperty("yax.sampleData");
        if (explicit != null) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("yax.home", ".")).resolve("sample-data").resolve("data");
    }
}
