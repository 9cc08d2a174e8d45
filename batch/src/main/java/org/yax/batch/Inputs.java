package org.yax.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What every face does with the inputs it was given before a batch runs. */
public final class Inputs {
    private Inputs() { }

    /**
     * The batch's items: files and folders (walked recursively) in a stable order, the slices of each DICOM series
     * (in any of the folders) grouped into one item.
     */
    public static List<Item> items(List<Path> inputs) throws IOException {
        return SeriesGrouping.group(Discovery.find(inputs));
    }

    /**
     * Refuses an output folder inside (or equal to) an input folder: results would mix with inputs, and a rerun
     * would read its own outputs.
     *
     * @throws IllegalArgumentException naming both folders
     */
    public static void checkOutputOutside(Path outputRoot, List<Path> inputs) {
        Path out = outputRoot.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path dir = in.toAbsolutePath().normalize();
            if (Files.isDirectory(in) && out.startsWith(dir)) {
                throw new IllegalArgumentException("output folder " + outputRoot + " is inside input folder " + dir
                        + " (inputs are never overwritten): choose another output folder");
            }
        }
    }
}
