package org.yax.batch;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One unit of work of a batch: an input file, or the files of one DICOM series (possibly spread over
 * several folders), which are reconstructed together and reported as one row. A plain serialisable value
 * (paths as strings), so a cluster job can ship items to the JVMs that process them.
 *
 * @param file       the file; for a series, the folder that holds all its slices (for the report)
 * @param relativeTo its path below the input root it was found under (the output tree mirrors this)
 * @param explicit   named as an input (not found by walking a folder)
 * @param slices     for a series: its files as items of their own (their relative paths place the outputs);
 *                   empty for a single file
 * @param seriesUid  for a series: its SeriesInstanceUID; null for a single file
 * @param note       why a DICOM file is not part of its series' volume (e.g. a localizer), or null
 */
public record Item(String file, String relativeTo, boolean explicit, List<Item> slices, String seriesUid,
                   String note) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Item {
        slices = List.copyOf(slices);
    }

    public Item(Path input, Path relative, boolean explicit, List<Item> slices, String seriesUid, String note) {
        this(input.toString(), relative.toString(), explicit, slices, seriesUid, note);
    }

    /** A single file. */
    public Item(Path input, Path relative, boolean explicit) {
        this(input, relative, explicit, List.of(), null, null);
    }

    public Path input() {
        return Path.of(file);
    }

    public Path relative() {
        return Path.of(relativeTo);
    }

    public boolean isSeries() {
        return seriesUid != null;
    }

    Item withNote(String why) {
        return new Item(file, relativeTo, explicit, slices, seriesUid, why);
    }
}
