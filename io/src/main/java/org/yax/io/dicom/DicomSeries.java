package org.yax.io.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * One stack of single-frame DICOM images that can be read as a volume: same series, same orientation,
 * matrix and pixel spacing, sorted along the slice normal n = row x col by ImagePositionPatient . n, with
 * uniform spacing. A source series that is not uniform is split into several of these; {@link #warnings()}
 * says why. A multi-frame instance is a stack of its own (one file).
 *
 * @param seriesInstanceUid the source SeriesInstanceUID
 * @param studyInstanceUid  the source StudyInstanceUID
 * @param part              1-based index of this stack within its source series
 * @param parts             how many stacks the source series was split into
 * @param files             the files in spatial order (increasing position along the normal)
 * @param positions         each file's position along the normal in mm (NaN when the file has no geometry)
 * @param normal            the slice normal (row x col), or null when the files carry no orientation
 * @param sliceSpacing      distance between neighbouring slices in mm (NaN for a single slice or no geometry)
 * @param rows              Rows of every slice
 * @param columns           Columns of every slice
 * @param warnings          what was noticed while assembling (splits, ordering fallbacks), one line each
 */
public record DicomSeries(String seriesInstanceUid, String studyInstanceUid, int part, int parts, List<Path> files,
                          double[] positions, double[] normal, double sliceSpacing, int rows, int columns,
                          List<String> warnings) {
    public DicomSeries {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    public int slices() {
        return files.size();
    }

    @Override
    public String toString() {
        return "DicomSeries(" + seriesInstanceUid + " part " + part + "/" + parts + ", " + files.size() + " slices, "
                + rows + "x" + columns + ", spacing " + sliceSpacing + ")";
    }
}
