package org.yax.batch;

import java.io.IOException;
import java.util.List;
import org.yax.batch.html.ItemPictures;
import org.yax.batch.html.SeriesPictures;
import org.yax.core.SliceStack;
import org.yax.io.dicom.DicomSeriesSource;

/**
 * The thumbnails of a DICOM series item, for the in-plane and the through-plane series paths alike: which stack they
 * show, the collector of its views, the stack as the solve reads it (each slice also shown, never read twice), and
 * the views at the end.
 */
final class SeriesPreview {
    private SeriesPreview() { }

    /** The index of the stack with the most slices (the first of those): the one the thumbnails show. */
    static int largest(List<DicomSeriesSource> parts) {
        int best = 0;
        for (int k = 1; k < parts.size(); k++) {
            if (parts.get(k).depth() > parts.get(best).depth()) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The collector of a stack's views, its reformatted rows as far apart as its slices are.
     *
     * @param outputDepth the output's slices (the stack's, or scale times as many along z)
     */
    static SeriesPictures collector(DicomSeriesSource part, int outputDepth) {
        double[] spacing = part.pixelSpacing(); // [row spacing, column spacing]: x runs along a row
        double ratio = spacing != null && spacing[1] > 0 ? part.sliceSpacing() / spacing[1] : Double.NaN;
        return new SeriesPictures(part.depth(), outputDepth, part.samplesPerPixel(), part.height(), part.width(),
                ratio);
    }

    /** The stack as the solve reads it, each slice also shown to the thumbnails (no second read). */
    static SliceStack tapped(SliceStack part, SeriesPictures preview) {
        if (preview == null) {
            return part;
        }
        return new SliceStack() {
            @Override public int depth() { return part.depth(); }
            @Override public int height() { return part.height(); }
            @Override public int width() { return part.width(); }
            @Override public float[] slice(int z) throws IOException {
                float[] s = part.slice(z);
                preview.input(z, s);
                return s;
            }
        };
    }

    /** The views, shown with the middle slice's window; a picture that cannot be made is a note, never a failure. */
    static ItemPictures picturesOf(SeriesPictures pictures, DicomSeriesSource part) {
        try {
            return pictures.pictures(part.header(part.depth() / 2));
        } catch (IOException | RuntimeException e) {
            return new ItemPictures(List.of(), 0, "no thumbnails: " + Failures.internal(e));
        }
    }
}
