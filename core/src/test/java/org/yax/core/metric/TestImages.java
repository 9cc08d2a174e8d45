package org.yax.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real grey-level images shipped with Debian's python3-skimage, and deterministic noise. */
public final class TestImages {
    public static final File SKIMAGE_DATA = new File("/usr/lib/python3/dist-packages/skimage/data");

    private TestImages() {
    }

    /** A row-major plane with its size. */
    public record Plane(float[] pixels, int width, int height) {
        public Plane crop(int x0, int y0, int cropWidth, int cropHeight) {
            float[] out = new float[cropWidth * cropHeight];
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(pixels, (y0 + y) * width + x0, out, y * cropWidth, cropWidth);
            }
            return new Plane(out, cropWidth, cropHeight);
        }

        public Plane scaled(double factor) {
            float[] out = new float[pixels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (pixels[i] * factor);
            }
            return new Plane(out, width, height);
        }

        /** This plane plus white Gaussian noise of the given standard deviation, unclipped. */
        public Plane withNoise(double sigma, long seed) {
            Random random = new Random(seed);
            float[] out = new float[pixels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (pixels[i] + sigma * random.nextGaussian());
            }
            return new Plane(out, width, height);
        }
    }

    /** An 8-bit grey PNG from skimage's data folder, values 0..255. */
    public static Plane skimageGrey(String name) {
        File file = new File(SKIMAGE_DATA, name);
        assertTrue(file.isFile(), file + " is missing: install the Debian package python3-skimage");
        return grey(file);
    }

    /** An 8-bit grey image file (one band, or RGB with R = G = B such as ITK's MRI slices), values 0..255. */
    public static Plane grey(File file) {
        try {
            BufferedImage image = ImageIO.read(file);
            assertNotNull(image, file + " is not readable by javax.imageio");
            Raster raster = image.getRaster();
            int bands = raster.getNumBands();
            assertTrue(bands == 1 || bands == 3, file + " should be a grey or RGB image, has " + bands + " bands");
            int w = raster.getWidth();
            int h = raster.getHeight();
            float[] pixels = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixels[y * w + x] = raster.getSample(x, y, 0);
                    for (int b = 1; b < bands; b++) {
                        assertEquals(pixels[y * w + x], raster.getSample(x, y, b), file + " is not grey at " + x + "," + y);
                    }
                }
            }
            return new Plane(pixels, w, h);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A smooth synthetic plane in [0, 1]: a gentle ramp times low-frequency waves. */
    public static Plane smooth(int width, int height) {
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double ramp = 0.3 + 0.4 * x / width;
                double wave = 0.25 * Math.sin(2 * Math.PI * x / 97.0) * Math.cos(2 * Math.PI * y / 61.0);
                pixels[y * width + x] = (float) (ramp + wave);
            }
        }
        return new Plane(pixels, width, height);
    }
}
