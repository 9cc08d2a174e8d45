package org.yax.io.dicom;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SOPClassDescriptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds DICOM files (in folders, by content, or through a DICOMDIR) and assembles them into volumes:
 * grouped by SeriesInstanceUID, then by geometry (orientation, matrix, pixel spacing), sorted along the
 * slice normal by position (never by InstanceNumber, which can run opposite to space), split where the
 * spacing is not uniform. Localisers, non-image objects, unreadable files and duplicates are left out
 * with a reason.
 */
public final class SeriesAssembler {
    /** Orientation cosines and spacings equal within this are the same geometry. */
    static final double GEOMETRY_TOLERANCE = 1e-4;
    /** Slice gaps within this fraction of the stack's spacing (or 0.01 mm) count as uniform. */
    private static final double SPACING_TOLERANCE = 0.01;

    private SeriesAssembler() { }

    /** All DICOM files under {@code folder} (recursively, by content; DICOMDIR files included), sorted by path. */
    public static List<Path> discover(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(DicomHeaderSniffer::looksLikeDicom).sorted().toList();
        }
    }

    /** Discovers the files under a folder, or those a DICOMDIR names, and assembles them. */
    public static SeriesAssembly assemble(Path folderOrDicomDir) throws IOException {
        if (Files.isDirectory(folderOrDicomDir)) {
            return assemble(discover(folderOrDicomDir));
        }
        return assemble(DicomHeaders.referencedFiles(folderOrDicomDir));
    }

    public static SeriesAssembly assemble(List<Path> files) {
        return assemble(files, SliceHeader::read);
    }

    /** Where assembly gets a file's header: read from the file, or read once before (a cluster's header stage). */
    @FunctionalInterface
    public interface Headers {
        /** The header of {@code file}; an exception says why it cannot be read (the file is then skipped). */
        SliceHeader of(Path file) throws IOException, DicomException;
    }

    /** Assembles {@code files} from the headers {@code headers} gives for them (each file's header read once). */
    public static SeriesAssembly assemble(List<Path> files, Headers headers) {
        List<SkippedFile> skipped = new ArrayList<>();
        Map<String, SliceHeader> bySop = new HashMap<>();
        Map<String, List<SliceHeader>> bySeries = new LinkedHashMap<>();
        List<DicomSeries> result = new ArrayList<>();
        for (Path file : files) {
            SliceHeader h;
            try {
                h = headers.of(file).at(file);
            } catch (IOException | DicomException | RuntimeException e) {
                skipped.add(new SkippedFile(file, "not readable as DICOM: " + e.getMessage()));
                continue;
            }
            String reason = skipReason(h);
            if (reason != null) {
                skipped.add(new SkippedFile(file, reason));
                continue;
            }
            SliceHeader first = bySop.putIfAbsent(h.sopInstanceUid, h);
            if (first != null) {
                skipped.add(new SkippedFile(file, "duplicate SOP Instance UID " + h.sopInstanceUid + " (already in "
                        + first.file + ")"));
                continue;
            }
            if (h.frames > 1) {
                result.add(new DicomSeries(h.seriesUid, h.studyUid, 1, 1, List.of(file), new double[] {Double.NaN},
                        h.normal(), Double.NaN, h.rows, h.columns, h.samples, h.pixelSpacing, h.iop,
                        new double[][] {h.ipp},
                        List.of("multi-frame instance (" + h.frames + " frames) kept as a volume of its own")));
                continue;
            }
            bySeries.computeIfAbsent(h.seriesUid, k -> new ArrayList<>()).add(h);
        }
        for (List<SliceHeader> series : bySeries.values()) {
            result.addAll(assembleSeries(series, skipped));
        }
        return new SeriesAssembly(result, skipped);
    }

    private static String skipReason(SliceHeader h) {
        if (h.sopClassUid.equals(SOPClass.MediaStorageDirectoryStorage)) {
            return "DICOMDIR (a directory of files, not an image)";
        }
        if (!h.sopClassUid.isEmpty() && !SOPClass.isImageStorage(h.sopClassUid)) {
            return "not an image: SOP class " + h.sopClassUid + " (" + SOPClassDescriptions.getDescriptionFromUID(h.sopClassUid) + ")";
        }
        if (h.rows <= 0 || h.columns <= 0) {
            return "not an image: no Rows/Columns (SOP class " + (h.sopClassUid.isEmpty() ? "missing" : h.sopClassUid) + ")";
        }
        if (Arrays.stream(h.imageType).anyMatch(v -> v.trim().equalsIgnoreCase("LOCALIZER"))) {
            return "localizer (ImageType " + String.join("\\", h.imageType) + ")";
        }
        if (h.sopInstanceUid.isEmpty()) {
            return "no SOP Instance UID";
        }
        return null;
    }

    /** One source series: split by geometry, then each geometry group sorted and split where spacing changes. */
    private static List<DicomSeries> assembleSeries(List<SliceHeader> slices, List<SkippedFile> skipped) {
        Map<String, List<SliceHeader>> byGeometry = new LinkedHashMap<>();
        for (SliceHeader h : slices) {
            byGeometry.computeIfAbsent(h.geometryKey(), k -> new ArrayList<>()).add(h);
        }
        List<String> seriesWarnings = new ArrayList<>();
        if (byGeometry.size() > 1) {
            seriesWarnings.add("series " + slices.get(0).seriesUid + " mixes " + byGeometry.size()
                    + " geometries (orientation/matrix/pixel spacing): " + String.join("; ", byGeometry.keySet())
                    + "; split into one stack per geometry");
        }
        List<List<SliceHeader>> stacks = new ArrayList<>();
        List<List<String>> stackWarnings = new ArrayList<>();
        List<Double> spacings = new ArrayList<>();
        for (List<SliceHeader> group : byGeometry.values()) {
            splitUniform(group, skipped, stacks, stackWarnings, spacings);
        }
        List<DicomSeries> out = new ArrayList<>();
        for (int i = 0; i < stacks.size(); i++) {
            List<SliceHeader> stack = stacks.get(i);
            SliceHeader h = stack.get(0);
            List<String> w = new ArrayList<>(seriesWarnings);
            w.addAll(stackWarnings.get(i));
            double[] normal = h.normal();
            out.add(new DicomSeries(h.seriesUid, h.studyUid, i + 1, stacks.size(),
                    stack.stream().map(s -> s.file).toList(),
                    stack.stream().mapToDouble(s -> s.position(normal)).toArray(), normal, spacings.get(i),
                    h.rows, h.columns, h.samples, h.pixelSpacing, h.iop,
                    stack.stream().map(s -> s.ipp).toArray(double[][]::new), w));
        }
        return out;
    }

    /** Sorts one geometry group along its normal and cuts it into runs of uniform spacing. */
    private static void splitUniform(List<SliceHeader> group, List<SkippedFile> skipped, List<List<SliceHeader>> stacks,
                                     List<List<String>> warnings, List<Double> spacings) {
        double[] normal = group.get(0).normal();
        if (normal == null || group.stream().anyMatch(h -> h.ipp == null)) {
            List<SliceHeader> sorted = new ArrayList<>(group);
            sorted.sort(Comparator.comparingInt(h -> h.instanceNumber));
            stacks.add(sorted);
            warnings.add(new ArrayList<>(List.of("no ImageOrientationPatient/ImagePositionPatient: slices ordered by "
                    + "InstanceNumber, spacing unknown")));
            spacings.add(Double.NaN);
            return;
        }
        List<SliceHeader> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingDouble(h -> h.position(normal)));
        // two images at one position (echoes, phases) cannot share a volume: keep the first
        List<SliceHeader> unique = new ArrayList<>();
        for (SliceHeader h : sorted) {
            if (!unique.isEmpty()) {
                SliceHeader prev = unique.get(unique.size() - 1);
                if (Math.abs(h.position(normal) - prev.position(normal)) < 1e-3) {
                    skipped.add(new SkippedFile(h.file, "same slice position (" + fmt(h.position(normal))
                            + " mm along the normal) as " + prev.file));
                    continue;
                }
            }
            unique.add(h);
        }
        int start = 0;
        List<List<SliceHeader>> runs = new ArrayList<>();
        List<Double> runSpacing = new ArrayList<>();
        while (start < unique.size()) {
            int end = start + 1;
            double spacing = Double.NaN;
            if (end < unique.size()) {
                spacing = unique.get(end).position(normal) - unique.get(start).position(normal);
                end++;
                while (end < unique.size()) {
                    double gap = unique.get(end).position(normal) - unique.get(end - 1).position(normal);
                    if (Math.abs(gap - spacing) > Math.max(0.01, SPACING_TOLERANCE * spacing)) {
                        break;
                    }
                    end++;
                }
            }
            runs.add(new ArrayList<>(unique.subList(start, end)));
            runSpacing.add(spacing);
            start = end;
        }
        List<String> note = new ArrayList<>();
        if (runs.size() > 1) {
            StringBuilder s = new StringBuilder("non-uniform slice spacing: ");
            for (int r = 1; r < runs.size(); r++) {
                SliceHeader a = runs.get(r - 1).get(runs.get(r - 1).size() - 1);
                SliceHeader b = runs.get(r).get(0);
                s.append(r > 1 ? "; " : "").append("gap of ").append(fmt(b.position(normal) - a.position(normal)))
                        .append(" mm between ").append(a.file.getFileName()).append(" and ").append(b.file.getFileName());
            }
            s.append(" (spacings of the stacks: ").append(runSpacing.stream().map(SeriesAssembler::fmt).toList())
                    .append(" mm); split into ").append(runs.size()).append(" uniform stacks");
            note.add(s.toString());
        }
        for (int r = 0; r < runs.size(); r++) {
            stacks.add(runs.get(r));
            warnings.add(new ArrayList<>(note));
            spacings.add(runSpacing.get(r));
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
