package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a series refined along its slice normal: a stack of n slices every s mm becomes n * scale slices
 * every s / scale mm whose outer faces coincide with the source's (the same field of view along the normal, as
 * in-plane refinement keeps the in-plane one): thin slice j is centred at (j - (scale - 1) / 2) / scale * s from
 * the first source slice, so the first and last thin slices lie (scale - 1) / (2 scale) * s outside the first and
 * last source positions. Each thin slice copies the header of the source slice centred nearest to it, moved along
 * the normal; InstanceNumber runs 1..n*scale along the normal; SliceLocation follows the source's (its sign and
 * origin) or is the position along the normal. Its sources are the slices whose slab (position +- thickness / 2)
 * overlaps the thin slice, or the nearest one where a gap leaves it unmeasured.
 */
public final class ThroughPlaneGeometry {
    private ThroughPlaneGeometry() { }

    /**
     * @param thicknessMm the source slice thickness the forward model used (SliceThickness, or the spacing)
     * @throws IllegalArgumentException when the stack has no positions or orientation to place slices by
     */
    public static List<ThinSlice> of(DicomSeriesSource source, int scale, double thicknessMm) throws IOException {
        DicomSeries series = source.series();
        int n = series.slices();
        double s = series.sliceSpacing();
        double[] normal = series.normal();
        if (n < 2 || !(s > 0) || normal == null) {
            throw new IllegalArgumentException("no slice positions and orientation to place thinner slices by");
        }
        double[] locations = new double[n];
        int located = 0;
        for (int k = 0; k < n; k++) {
            if (series.imagePositions()[k] == null) {
                throw new IllegalArgumentException("slice " + series.files().get(k).getFileName()
                        + " has no ImagePositionPatient");
            }
            locations[k] = sliceLocation(source, k);
            located += Double.isNaN(locations[k]) ? 0 : 1;
        }
        // SliceLocation per mm along the normal (+1 or -1 in practice), when every source slice has one
        double slope = located == n ? (locations[n - 1] - locations[0]) / (series.positions()[n - 1] - series.positions()[0])
                : Double.NaN;
        double half = thicknessMm / s / 2;
        List<ThinSlice> thin = new ArrayList<>();
        for (int j = 0; j < n * scale; j++) {
            double c = (j - (scale - 1) / 2.0) / scale;
            int k = (int) Math.min(n - 1, Math.max(0, Math.round(c)));
            double[] ipp = series.imagePositions()[k].clone();
            for (int a = 0; a < 3; a++) {
                ipp[a] += normal[a] * (c - k) * s;
            }
            double along = series.positions()[k] + (c - k) * s;
            double location = Double.isNaN(slope) ? along : locations[0] + slope * (along - series.positions()[0]);
            List<Integer> sources = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                if (c - 0.5 / scale < m + half && c + 0.5 / scale > m - half) {
                    sources.add(m);
                }
            }
            if (sources.isEmpty()) {
                sources.add(k);
            }
            thin.add(new ThinSlice(k, ipp, s / scale, location, j + 1, sources));
        }
        return thin;
    }

    private static double sliceLocation(DicomSeriesSource source, int k) throws IOException {
        try {
            Attribute a = source.header(k).attributes().get(TagFromName.SliceLocation);
            return a == null || a.getVM() == 0 ? Double.NaN : a.getDoubleValues()[0];
        } catch (DicomException e) {
            return Double.NaN;
        }
    }

    /** SliceThickness of slice k, or NaN when absent or not positive. */
    public static double sliceThickness(DicomSeriesSource source, int k) throws IOException {
        try {
            Attribute a = source.header(k).attributes().get(TagFromName.SliceThickness);
            double t = a == null || a.getVM() == 0 ? Double.NaN : a.getDoubleValues()[0];
            return t > 0 ? t : Double.NaN;
        } catch (DicomException e) {
            return Double.NaN;
        }
    }
}
