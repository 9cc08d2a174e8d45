package org.yax.batch.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.yax.core.Image;
import org.yax.core.SourceMetadata;

/**
 * Turns an item's input and output (in memory, never read again) into small PNG thumbnails: both averaged onto one
 * grid, {@link #BOX} pixels on its longer side in physical proportions (so a super-resolved output lines up with its
 * input), shown with the input's {@link DisplayRange}, and their difference in a blue-white-red map.
 */
public final class Thumbnails {
    /** The longest side of a thumbnail, in pixels. */
    public static final int BOX = 128;

    private Thumbnails() { }

    /**
     * The views of one image pair: the image itself (a single plane), or for a stack of frames its middle frame and
     * the plane through its middle row across the frames.
     */
    public static ItemPictures of(Image input, Image output) {
        long t0 = System.nanoTime();
        List<Panel> panels = new ArrayList<>();
        if (input.depth() == 1 || output.depth() != input.depth()) {
            panels.add(panel("image", input.source(), Plane.of(input, 0), Plane.of(output, 0)));
        } else {
            int mid = input.depth() / 2;
            panels.add(panel("middle frame (" + (mid + 1) + " of " + input.depth() + ")", input.source(),
                    Plane.of(input, mid), Plane.of(output, mid)));
            panels.add(panel("frames along y = " + input.height() / 2 + " (first frame at the top)", input.source(),
                    reformatted(input), reformatted(output)));
        }
        return new ItemPictures(panels, (System.nanoTime() - t0) / 1e9, null);
    }

    /** The plane through the middle row of every frame: (channel, frame, x). */
    private static Plane reformatted(Image image) {
        int d = image.depth();
        int w = image.width();
        float[] rows = new float[image.channels() * d * w];
        for (int c = 0; c < image.channels(); c++) {
            for (int z = 0; z < d; z++) {
                System.arraycopy(image.pixels(), ((c * d + z) * image.height() + image.height() / 2) * w, rows,
                        (c * d + z) * w, w);
            }
        }
        return new Plane(rows, 0, d * w, image.channels(), d, w, 1, Plane.isColour(image.source(), image.channels()));
    }

    /** One view: {@code input} and {@code output} on one grid, with the input's display range. */
    static Panel panel(String caption, SourceMetadata source, Plane input, Plane output) {
        DisplayRange range = DisplayRange.of(source, input);
        double physicalHeight = input.height() * input.aspect();
        double longest = Math.max(physicalHeight, input.width());
        double fit = BOX / longest; // small images are enlarged (pixels repeated): every view is BOX wide or tall
        int width = Math.max(1, (int) Math.round(input.width() * fit));
        int height = Math.max(1, (int) Math.round(physicalHeight * fit));
        int shown = Math.min(input.shown(), output.shown());
        float[] in = average(input, shown, height, width);
        float[] out = average(output, shown, height, width);
        String band = input.channels() > 1 && shown == 1 ? ", band 1 of " + input.channels() : "";
        float[] diff = new float[height * width];
        for (int i = 0; i < diff.length; i++) {
            double sum = 0;
            for (int c = 0; c < shown; c++) {
                sum += out[c * diff.length + i] - in[c * diff.length + i];
            }
            diff[i] = (float) (sum / shown);
        }
        double scale = percentileOfMagnitude(diff, 0.99);
        return new Panel(caption, range.description() + band,
                String.format(Locale.ROOT, "output - input%s: red +, blue -, full colour at %s",
                        shown > 1 ? " (mean of R, G, B)" : "", DisplayRange.number(scale)),
                width, height, mapped(in, shown, height, width, range), mapped(out, shown, height, width, range),
                diverging(diff, height, width, scale));
    }

    /**
     * The plane's first {@code shown} channels averaged onto a height x width grid: each grid cell takes the mean of
     * the finite source values whose index falls in it (at least one source pixel per cell: enlarging repeats).
     */
    static float[] average(Plane p, int shown, int height, int width) {
        int[] y0 = bounds(p.height(), height);
        int[] x0 = bounds(p.width(), width);
        float[] grid = new float[shown * height * width];
        for (int c = 0; c < shown; c++) {
            for (int ty = 0; ty < height; ty++) {
                for (int tx = 0; tx < width; tx++) {
                    double sum = 0;
                    int n = 0;
                    for (int y = y0[ty]; y < Math.max(y0[ty] + 1, y0[ty + 1]); y++) {
                        for (int x = x0[tx]; x < Math.max(x0[tx] + 1, x0[tx + 1]); x++) {
                            float v = p.get(c, y, x);
                            if (Float.isFinite(v)) {
                                sum += v;
                                n++;
                            }
                        }
                    }
                    grid[(c * height + ty) * width + tx] = n == 0 ? Float.NaN : (float) (sum / n);
                }
            }
        }
        return grid;
    }

    /** Where each of {@code cells} cells starts among {@code size} source pixels (and size at the end). */
    private static int[] bounds(int size, int cells) {
        int[] b = new int[cells + 1];
        for (int i = 0; i <= cells; i++) {
            b[i] = (int) ((long) i * size / cells);
        }
        return b;
    }

    /** The grid's values as PNG grey or RGB, through the display range. */
    private static byte[] mapped(float[] grid, int shown, int height, int width, DisplayRange range) {
        int plane = height * width;
        byte[] samples = new byte[shown * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < shown; c++) {
                samples[i * shown + c] = (byte) range.grey(grid[c * plane + i]);
            }
        }
        return PngEncoder.encode(width, height, shown, samples);
    }

    /** White at zero, red for positive, blue for negative, full colour at +-scale; missing values grey; as PNG. */
    private static byte[] diverging(float[] diff, int height, int width, double scale) {
        byte[] rgb = new byte[3 * diff.length];
        for (int i = 0; i < diff.length; i++) {
            float d = diff[i];
            int r = 128;
            int g = 128;
            int b = 128;
            if (!Float.isNaN(d)) {
                double t = scale > 0 ? Math.max(-1, Math.min(1, d / scale)) : 0;
                int fade = (int) Math.round(255 * (1 - Math.abs(t)));
                r = t >= 0 ? 255 : fade;
                g = fade;
                b = t >= 0 ? fade : 255;
            }
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return PngEncoder.encode(width, height, 3, rgb);
    }

    /** The q-quantile of |v| over the finite values, from at most 4096 of them taken evenly (0 when none). */
    static double percentileOfMagnitude(float[] v, double q) {
        int step = Math.max(1, v.length / 4096);
        float[] a = new float[(v.length + step - 1) / step];
        int n = 0;
        for (int i = 0; i < v.length; i += step) {
            if (Float.isFinite(v[i])) {
                a[n++] = Math.abs(v[i]);
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(a, 0, n);
        return a[(int) Math.ceil(q * (n - 1))];
    }
}
