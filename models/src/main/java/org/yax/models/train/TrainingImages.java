package org.yax.models.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yax.core.Image;
import org.yax.io.Formats;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;

/**
 * Clean training planes, each scaled to [0, 1] by its own range (as reconstruction normalises a plane
 * before the network sees it). Colour images (3 or 4 channels) become luminance; other multi-band
 * rasters give one plane per band. Anything yax reads (PNG, JPEG, TIFF, DICOM, ...) can be used.
 */
public final class TrainingImages {
    /** One clean plane. */
    public record Plane(String name, float[] pixels, int height, int width) { }

    private final List<Plane> planes;
    private final long totalPixels;

    private TrainingImages(List<Plane> planes) {
        this.planes = List.copyOf(planes);
        this.totalPixels = planes.stream().mapToLong(p -> (long) p.height() * p.width()).sum();
    }

    public List<Plane> planes() {
        return planes;
    }

    public long totalPixels() {
        return totalPixels;
    }

    /**
     * Reads every image file under the folders (recursively, sorted by path so the set is reproducible).
     * Planes smaller than {@code minSide} on either side are left out.
     */
    public static TrainingImages load(List<Path> folders, int minSide) throws IOException {
        List<Plane> planes = new ArrayList<>();
        for (Path folder : folders) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                ImageFormat format = Formats.detect(f).orElse(null);
                if (format == null) {
                    continue;
                }
                Image img;
                try {
                    img = format.read(f);
                } catch (ImageFileException e) {
                    throw new IOException("cannot read training image " + f + ": " + e.getMessage(), e);
                }
                for (Plane p : planesOf(f.getFileName().toString(), img)) {
                    if (p.height() >= minSide && p.width() >= minSide) {
                        planes.add(p);
                    }
                }
            }
        }
        if (planes.isEmpty()) {
            throw new IOException("no training images of at least " + minSide + " x " + minSide + " pixels in " + folders);
        }
        return new TrainingImages(planes);
    }

    static List<Plane> planesOf(String name, Image img) {
        List<Plane> out = new ArrayList<>();
        int n = img.planeSize();
        for (int z = 0; z < img.depth(); z++) {
            if (img.channels() == 3 || img.channels() == 4) {
                float[] r = img.plane(0, z);
                float[] g = img.plane(1, z);
                float[] b = img.plane(2, z);
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
                }
                addNormalised(out, name, y, img);
            } else {
                for (int c = 0; c < img.channels(); c++) {
                    addNormalised(out, img.channels() == 1 ? name : name + "#" + (c + 1), img.plane(c, z), img);
                }
            }
        }
        return out;
    }

    private static void addNormalised(List<Plane> out, String name, float[] v, Image img) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (!Float.isNaN(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        if (!(max > min)) {
            return; // constant or empty: nothing to learn from
        }
        float scale = 1f / (max - min);
        float[] p = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = Float.isNaN(v[i]) ? Float.NaN : (v[i] - min) * scale;
        }
        out.add(new Plane(name, p, img.height(), img.width()));
    }
}
