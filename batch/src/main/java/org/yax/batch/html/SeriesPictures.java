package org.yax.batch.html;

import java.util.ArrayList;
import java.util.List;
import org.yax.core.SourceMetadata;

/**
 * The views of a DICOM series, gathered while its slices pass through the solve (nothing is read again): the middle
 * slice, input and output, and the reformatted plane through the middle row of every slice (physical proportions:
 * rows as far apart as the slices), the last slice along the stack's normal at the top (head up for axial slices).
 * Through-plane super-resolution makes scale times as many output slices as input ones, each as far from the next
 * as a thin slice: the middle input slice is shown beside the thin slice centred on it (the first of the two nearest
 * at even scales), and the output's reformatted plane has as many rows as it has slices.
 */
public final class SeriesPictures {
    private final int depth;
    private final int outputDepth;
    private final int channels;
    private final int height;
    private final int width;
    private final double sliceOverPixel;
    private final float[][] inputRows;
    private final float[][] outputRows;
    private int outputWidth;
    private float[] middleInput;
    private float[] middleOutput;
    private int outputHeight;
    private long nanos;

    /**
     * @param sliceOverPixel slice spacing over the in-plane pixel spacing (1 when unknown)
     */
    public SeriesPictures(int depth, int channels, int height, int width, double sliceOverPixel) {
        this(depth, depth, channels, height, width, sliceOverPixel);
    }

    /**
     * @param outputDepth the output's slices: depth, or depth * scale after through-plane super-resolution
     * @param sliceOverPixel the input's slice spacing over the in-plane pixel spacing (1 when unknown)
     */
    public SeriesPictures(int depth, int outputDepth, int channels, int height, int width, double sliceOverPixel) {
        if (outputDepth % depth != 0) {
            throw new IllegalArgumentException(outputDepth + " output slices for " + depth + " input ones: not a scale");
        }
        this.depth = depth;
        this.outputDepth = outputDepth;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.sliceOverPixel = sliceOverPixel > 0 && Double.isFinite(sliceOverPixel) ? sliceOverPixel : 1;
        this.inputRows = new float[depth][];
        this.outputRows = new float[outputDepth][];
    }

    /** Slice z of the input (channel-major, height x width per channel), as the solve reads it. */
    public synchronized void input(int z, float[] slice) {
        long t0 = System.nanoTime();
        if (inputRows[z] == null) {
            inputRows[z] = middleRow(slice, height, width);
            if (z == depth / 2) {
                middleInput = slice.clone();
            }
        }
        nanos += System.nanoTime() - t0;
    }

    /** Slice z of the output, {@code outHeight x outWidth} per channel (larger than the input after sr). */
    public synchronized void output(int z, float[] slice, int outHeight, int outWidth) {
        long t0 = System.nanoTime();
        outputRows[z] = middleRow(slice, outHeight, outWidth);
        outputWidth = outWidth;
        if (z == middleOutputSlice()) {
            middleOutput = slice.clone();
            outputHeight = outHeight;
        }
        nanos += System.nanoTime() - t0;
    }

    /**
     * The two views, shown with {@code middleSource}'s window (the middle slice's header); a view some slice never
     * passed for (a cancelled solve) is left out.
     */
    public synchronized ItemPictures pictures(SourceMetadata middleSource) {
        long t0 = System.nanoTime();
        boolean colour = Plane.isColour(middleSource, channels);
        List<Panel> panels = new ArrayList<>();
        if (middleInput != null && middleOutput != null) {
            String which = depth / 2 + 1 + " of " + depth + (outputDepth == depth ? ""
                    : "; output " + (middleOutputSlice() + 1) + " of " + outputDepth);
            panels.add(Thumbnails.panel("middle slice (" + which + ")", middleSource,
                    new Plane(middleInput, 0, height * width, channels, height, width, 1, colour),
                    new Plane(middleOutput, 0, outputHeight * outputWidth, channels, outputHeight, outputWidth, 1,
                            colour)));
        }
        boolean complete = true;
        for (float[] row : inputRows) {
            complete &= row != null;
        }
        for (float[] row : outputRows) {
            complete &= row != null;
        }
        if (complete && depth > 1) {
            panels.add(Thumbnails.panel("reformatted: row " + (height / 2 + 1)
                    + " of every slice (last slice at the top)",
                    middleSource, plane(inputRows, width, colour), plane(outputRows, outputWidth, colour)));
        }
        nanos += System.nanoTime() - t0;
        return new ItemPictures(panels, nanos / 1e9, null);
    }

    /** The output slice centred on the middle input slice: itself, or at scale s the middle of its s thin ones. */
    private int middleOutputSlice() {
        int scale = outputDepth / depth;
        return depth / 2 * scale + (scale - 1) / 2;
    }

    /** The rows stacked as (channel, slice, x), the last slice first; pixels as tall as the slices are apart. */
    private Plane plane(float[][] rows, int w, boolean colour) {
        int n = rows.length;
        float[] v = new float[channels * n * w];
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < n; z++) {
                System.arraycopy(rows[z], c * w, v, (c * n + (n - 1 - z)) * w, w);
            }
        }
        // an sr output's pixels are narrower, and thin slices closer: the plane keeps the input's proportions
        double aspect = sliceOverPixel * depth / n * w / width;
        return new Plane(v, 0, n * w, channels, n, w, aspect, colour);
    }

    /** The middle row of each channel of a slice. */
    private float[] middleRow(float[] slice, int h, int w) {
        float[] row = new float[channels * w];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(slice, (c * h + h / 2) * w, row, c * w, w);
        }
        return row;
    }
}
