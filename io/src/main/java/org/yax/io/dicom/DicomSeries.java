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
 * @param samplesPerPixel   SamplesPerPixel of every slice (1 grey, 3 colour)
 * @param pixelSpacing      PixelSpacing of every slice as [row spacing, column spacing] in mm (the distance between
 *                          rows, then between columns), or null when absent or malformed
 * @param orientation       ImageOrientationPatient of every slice (row cosines, then column cosines), or null
 * @param imagePositions    each file's ImagePositionPatient (x, y, z in mm), in the order of {@code files}; an entry
 *                          is null when that file has none (a multi-frame file keeps it per frame, not at top level)
 * @param warnings          what was noticed while assembling (splits, ordering fallbacks), one line each
 */
public record DicomSeries(String seriesInstanceUid, String studyInstanceUid, int part, int parts, List<Path> files,
                          double[] positions, double[] normal, double sliceSpacing, int rows, int columns,
                          int samplesPerPixel, double[] pixelSpacing, double[] orientation, double[][] imagePositions,
                          List<String> warnings) {
    public DicomSeries {
        files = List.copyOf(files);
        if (imagePositions.length != files.size()) {
            throw new IllegalArgumentException(imagePositions.length + " image positions for " + files.size() + " files");
        }
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
