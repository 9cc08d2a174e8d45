package org.yax.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.SkippedFile;

/**
 * What both series processors (in-plane and through-plane) derive from a DICOM series item: its resume key, the
 * checksum of its inputs, and the report rows of slices that could not be read or were left out of the series.
 */
final class SeriesItems {
    private SeriesItems() { }

    /** The manifest key of a series item. */
    static String key(Item item) {
        return "series " + item.seriesUid() + " " + item.relative();
    }

    /** One checksum over every slice's relative path and content: --resume redoes the series when any changed. */
    static String inputSha(Item item) throws IOException {
        StringBuilder checksums = new StringBuilder();
        for (Item slice : item.slices()) {
            checksums.append(slice.relative()).append(' ').append(ResumeManifest.sha256(slice.input())).append('\n');
        }
        return ResumeManifest.sha256(checksums.toString());
    }

    /** A failed row per slice whose pixels could not be read, in the series' slice order. */
    static List<ItemResult> brokenRows(Item item, Map<Path, Item> byFile, List<SkippedFile> broken) {
        List<Path> order = new ArrayList<>(byFile.keySet());
        List<SkippedFile> sorted = new ArrayList<>(broken);
        sorted.sort(java.util.Comparator.comparingInt(b -> order.indexOf(b.file())));
        List<ItemResult> rows = new ArrayList<>();
        for (SkippedFile b : sorted) {
            ItemResult row = ItemResult.of(byFile.get(b.file())).fail(b.reason());
            row.format = DicomFormat.NAME;
            row.series = item.seriesUid();
            rows.add(row);
        }
        return rows;
    }

    /** A skipped row per slice the assembler left out of the series, with its reason. */
    static List<ItemResult> leftOutRows(Item item, Map<Path, Item> byFile, List<SkippedFile> skipped) {
        List<ItemResult> rows = new ArrayList<>();
        for (SkippedFile left : skipped) {
            ItemResult row = ItemResult.of(byFile.get(left.file())).skip("left out of the series: " + left.reason());
            row.series = item.seriesUid();
            rows.add(row);
        }
        return rows;
    }
}
