package org.yax.batch;

import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomHeaders;
import org.yax.io.dicom.DicomSeries;
import org.yax.io.dicom.SeriesAssembler;
import org.yax.io.dicom.SeriesAssembly;
import org.yax.io.dicom.SliceHeader;
import org.yax.io.dicom.SkippedFile;

/**
 * Turns the DICOM files of one series (same SeriesInstanceUID, single-frame, two or more distinct slices,
 * in any folders of the inputs) into one batch item; everything else stays one item per file. Reads only
 * headers (up to the pixel data). Files that series assembly leaves out of the volume but that are images
 * (localizers, a second image at the same position, a copy of a slice) stay items of their own, with a note.
 */
public final class SeriesGrouping {
    private SeriesGrouping() { }

    public static List<Item> group(List<Item> items) {
        return group(items, Headers.fromFiles());
    }

    /**
     * Where grouping learns about a file: from the file itself (locally), or from what a cluster's header stage read
     * once (so no header is read twice).
     */
    public interface Headers {
        /** Whether the item may be a slice of a series (see {@link SeriesGrouping#isCandidate}). */
        boolean isCandidate(Item item);

        /** The file's header for assembly; an exception says why it is not readable. */
        SliceHeader header(Path file) throws IOException, DicomException;

        /** The file's SeriesInstanceUID, empty when it has none or cannot be read. */
        String seriesUid(Path file);

        /** Everything read from the files. */
        static Headers fromFiles() {
            DicomFormat dicom = new DicomFormat();
            return new Headers() {
                @Override
                public boolean isCandidate(Item item) {
                    return SeriesGrouping.isCandidate(item, dicom);
                }

                @Override
                public SliceHeader header(Path file) throws IOException, DicomException {
                    return SliceHeader.read(file);
                }

                @Override
                public String seriesUid(Path file) {
                    return DicomHeaders.seriesInstanceUid(file);
                }
            };
        }
    }

    /** As {@link #group(List)}, learning about the files from {@code headers}. */
    public static List<Item> group(List<Item> items, Headers headers) {
        Map<Path, Item> candidates = new LinkedHashMap<>();
        for (Item item : items) {
            if (headers.isCandidate(item)) {
                candidates.putIfAbsent(item.input(), item);
            }
        }
        if (candidates.size() < 2) {
            return items;
        }
        SeriesAssembly assembly = SeriesAssembler.assemble(new ArrayList<>(candidates.keySet()), headers::header);
        Map<String, List<Path>> filesBySeries = new LinkedHashMap<>();
        for (DicomSeries stack : assembly.series()) {
            if (isMultiFrame(stack)) {
                continue; // a multi-frame instance is a volume in one file: the single-file path reads it
            }
            filesBySeries.computeIfAbsent(stack.seriesInstanceUid(), k -> new ArrayList<>()).addAll(stack.files());
        }
        Map<Path, Item> seriesOfFile = new HashMap<>();
        Set<String> grouped = new java.util.HashSet<>();
        for (Map.Entry<String, List<Path>> e : filesBySeries.entrySet()) {
            List<Path> files = e.getValue();
            if (files.size() < 2 || e.getKey().isEmpty()) {
                continue;
            }
            List<Item> slices = files.stream().sorted().map(candidates::get).toList();
            Item series = new Item(commonFolder(files), commonFolder(slices.stream().map(Item::relative).toList()),
                    false, slices, e.getKey(), null);
            grouped.add(e.getKey());
            for (Path f : files) {
                seriesOfFile.put(f, series);
            }
        }
        if (grouped.isEmpty()) {
            return items;
        }
        Map<Path, String> notes = new HashMap<>();
        for (SkippedFile s : assembly.skipped()) {
            if (grouped.contains(headers.seriesUid(s.file()))) {
                notes.put(s.file(), "not part of its series' volume: " + s.reason());
            }
        }
        List<Item> out = new ArrayList<>();
        Set<Item> placed = new java.util.HashSet<>();
        for (Item item : items) {
            Item series = seriesOfFile.get(item.input());
            if (series == null) {
                String note = notes.get(item.input());
                out.add(note == null ? item : item.withNote(note));
            } else if (placed.add(series)) {
                out.add(series); // where its first file was found
            }
        }
        return out;
    }

    /**
     * Whether an item may be a slice of a series: a readable regular DICOM file (a link only when named as an
     * input: links found by walking are never followed).
     */
    public static boolean isCandidate(Item item, DicomFormat dicom) {
        Path p = item.input();
        return (item.explicit() || !Files.isSymbolicLink(p)) && Files.isRegularFile(p) && Files.isReadable(p)
                && dicom.canRead(p);
    }

    /**
     * The items of a batch whose grouping was done elsewhere, one group of files sharing a SeriesInstanceUID at a
     * time (a cluster's executors: grouping is per SeriesInstanceUID, so grouping each UID's files apart gives what
     * {@link #group} gives for all of them together): each series replaces its slices, placed where its first file
     * was found; a file left out of its series' volume gets the grouping's note.
     *
     * @param files   the discovered files, in discovery order
     * @param grouped what {@link #group} returned for each group (items with the same file names as in files)
     */
    public static List<Item> merge(List<Item> files, List<List<Item>> grouped) {
        Map<String, Item> series = new HashMap<>();
        Map<String, String> notes = new HashMap<>();
        for (List<Item> result : grouped) {
            for (Item r : result) {
                if (r.isSeries()) {
                    r.slices().forEach(s -> series.put(s.file(), r));
                } else if (r.note() != null) {
                    notes.put(r.file(), r.note());
                }
            }
        }
        List<Item> out = new ArrayList<>();
        Set<Item> placed = new java.util.HashSet<>();
        for (Item f : files) {
            Item s = series.get(f.file());
            if (s == null) {
                String note = notes.get(f.file());
                out.add(note == null ? f : f.withNote(note));
            } else if (placed.add(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** SeriesAssembler keeps a multi-frame instance as a stack of its own and says so in its warnings. */
    private static boolean isMultiFrame(DicomSeries stack) {
        return stack.files().size() == 1 && stack.warnings().stream().anyMatch(w -> w.startsWith("multi-frame"));
    }

    /** The deepest folder holding all of {@code paths} (empty path when they share none). */
    static Path commonFolder(List<Path> paths) {
        Path common = paths.get(0).getParent();
        for (Path p : paths) {
            while (common != null && !p.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common == null ? Path.of("") : common;
    }
}
