package org.yax.io.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Reads an assembled {@link DicomSeries} as one volume (z = slice in spatial order, channel = sample) and
 * writes a derived volume back as a new series, one file per slice.
 */
public final class DicomVolumes {
    private DicomVolumes() { }

    /** The slices stacked along z; the source is a {@link DicomVolumeSource}. A multi-frame stack reads as its file. */
    public static Image readVolume(DicomSeries series) throws ImageFileException {
        List<Path> files = series.files();
        if (files.size() == 1) {
            Image only = DicomReader.read(files.get(0));
            return new Image(only.pixels(), only.channels(), only.depth(), only.height(), only.width(),
                    new DicomVolumeSource(series, List.of((DicomSource) only.source())));
        }
        Image first = null;
        float[] volume = null;
        List<DicomSource> sources = new ArrayList<>();
        int depth = files.size();
        for (int z = 0; z < depth; z++) {
            Image slice = DicomReader.read(files.get(z));
            if (first == null) {
                first = slice;
                volume = new float[Math.multiplyExact(Math.multiplyExact(slice.channels(), depth), slice.planeSize())];
            } else if (slice.channels() != first.channels() || slice.height() != first.height()
                    || slice.width() != first.width() || slice.depth() != 1) {
                throw new ImageFileException(files.get(z), "slice " + slice + " does not match the first slice "
                        + first + " of " + series);
            }
            if (slice.depth() != 1) {
                throw new ImageFileException(files.get(z), "multi-frame file inside a multi-file series");
            }
            for (int c = 0; c < slice.channels(); c++) {
                System.arraycopy(slice.pixels(), c * slice.planeSize(), volume,
                        (c * depth + z) * slice.planeSize(), slice.planeSize());
            }
            sources.add((DicomSource) slice.source());
        }
        return new Image(volume, first.channels(), depth, first.height(), first.width(),
                new DicomVolumeSource(series, sources));
    }

    /**
     * Writes {@code result} (read by {@link #readVolume} from {@code series}, then processed) as a derived
     * series in {@code outDir}: one file per slice named like its source, each written atomically, all with the
     * same new SeriesInstanceUID; a super-resolved result (derivation scale s) gets each slice's geometry refined.
     *
     * @return the written files in z order
     */
    public static List<Path> writeSeries(Image result, Derivation derivation, DicomSeries series, Path outDir)
            throws ImageFileException {
        if (!(result.source() instanceof DicomVolumeSource volume)) {
            throw new ImageFileException(outDir, "the result was not read as a DICOM series (source: "
                    + (result.source() == null ? "none" : result.source().format()) + ")");
        }
        if (!volume.series().files().equals(series.files())) {
            throw new ImageFileException(outDir, "the result was read from " + volume.series() + ", not from " + series);
        }
        List<DicomSource> slices = volume.slices();
        try {
            Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new ImageFileException(outDir, "cannot create output folder: " + e, e);
        }
        if (slices.size() == 1) {
            Path target = outDir.resolve(slices.get(0).file().getFileName());
            DicomWriter.write(new Image(result.pixels(), result.channels(), result.depth(), result.height(),
                    result.width(), slices.get(0)), derivation, target);
            return List.of(target);
        }
        if (result.depth() != slices.size()) {
            throw new ImageFileException(outDir, "result " + result + " has " + result.depth() + " slices, the series "
                    + slices.size());
        }
        List<Path> names = outputNames(slices, outDir);
        int plane = result.planeSize();
        for (int z = 0; z < slices.size(); z++) {
            float[] px = new float[result.channels() * plane];
            for (int c = 0; c < result.channels(); c++) {
                System.arraycopy(result.pixels(), (c * result.depth() + z) * plane, px, c * plane, plane);
            }
            DicomWriter.write(new Image(px, result.channels(), 1, result.height(), result.width(), slices.get(z)),
                    derivation, names.get(z));
        }
        return names;
    }

    /** Each slice's source file name; if two sources share a name (different folders), slice numbers instead. */
    private static List<Path> outputNames(List<DicomSource> slices, Path outDir) {
        Set<Path> seen = new HashSet<>();
        boolean clash = false;
        for (DicomSource s : slices) {
            clash |= !seen.add(s.file().getFileName());
        }
        List<Path> names = new ArrayList<>();
        for (int z = 0; z < slices.size(); z++) {
            names.add(outDir.resolve(clash ? String.format("IM%04d.dcm", z + 1) : slices.get(z).file().getFileName().toString()));
        }
        return names;
    }
}
