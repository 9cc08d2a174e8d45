package org.yax.batch.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.yax.core.Image;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.gdal.GdalFormat;

/** The display mapping, the common grid of input and output, and the views of frames and series. */
class ThumbnailsTest {
    private static Path sample(String relative) {
        return Path.of(System.getProperty("yax.sampleData", "../sample-data/data")).resolve(relative);
    }

    @Test
    void aDicomFileIsShownWithItsOwnWindow() throws Exception {
        Image mr = new DicomFormat().read(sample("archive/dicom/MR_small.dcm"));
        ItemPictures p = Thumbnails.of(mr, mr);
        assertEquals(1, p.panels().size());
        Panel view = p.panels().get(0);
        assertEquals("DICOM window 600/1600", view.mapping());
        assertEquals(Thumbnails.BOX, view.width()); // 64 x 64 enlarged to the box
        assertEquals(Thumbnails.BOX, view.height());
        BufferedImage in = png(view.inputPng());
        // window 600/1600 maps [-200, 1399] onto 0..255 (PS3.3 C.11.2.1.2.1): one pixel by hand (2 x 2 cells each)
        double v = mr.get(0, 0, 20, 30);
        int expected = (int) Math.round(255 * Math.max(0, Math.min(1, (v + 200) / 1599)));
        assertEquals(expected, in.getRaster().getSample(60, 40, 0));
        assertTrue(view.difference().endsWith("full colour at 0"), view.difference());
    }

    @Test
    void aRasterIsStretchedFromItsSecondToNinetyEighthPercentile() {
        float[] ramp = new float[100 * 100];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        DisplayRange r = DisplayRange.of(null, Plane.of(new Image(ramp, 1, 1, 100, 100, null), 0));
        assertEquals(0.02 * 9999, r.low(), 1);
        assertEquals(0.98 * 9999, r.high(), 1);
        assertEquals(0, r.grey(100));
        assertEquals(255, r.grey(9900));
    }

    @Test
    void anRgbPngIsColourAndAMultibandRasterShowsItsFirstBand() throws Exception {
        GdalFormat gdal = new GdalFormat();
        Image rgb = gdal.read(sample("archive/mri/BrainT1Slice.png")); // bands Red, Green, Blue
        assertEquals(3, png(Thumbnails.of(rgb, rgb).panels().get(0).inputPng()).getRaster().getNumBands());
        Image bands = gdal.read(sample("archive/raster/rotated-multiband.tif")); // 4 bands: Gray, Undefined, ...
        Panel view = Thumbnails.of(bands, bands).panels().get(0);
        assertTrue(view.mapping().endsWith("band 1 of 4"), view.mapping());
        assertEquals(1, png(view.inputPng()).getRaster().getNumBands());
    }

    @Test
    void aSuperResolvedOutputLinesUpWithItsInput() {
        int h = 40;
        int w = 60;
        float[] in = new float[h * w];
        float[] out = new float[4 * h * w];
        for (int y = 0; y < 2 * h; y++) {
            for (int x = 0; x < 2 * w; x++) {
                out[y * 2 * w + x] = (float) Math.sin((x / 2) / 3.0) * (y / 2); // each input pixel repeated 2 x 2
                in[(y / 2) * w + x / 2] = out[y * 2 * w + x];
            }
        }
        Panel view = Thumbnails.of(new Image(in, 1, 1, h, w, null), new Image(out, 1, 1, 2 * h, 2 * w, null))
                .panels().get(0);
        assertEquals(Thumbnails.BOX, view.width());
        assertEquals(Math.round(Thumbnails.BOX * h / (double) w), view.height());
        assertArrayEquals(view.inputPng(), view.outputPng(), "same values on the same grid: the same picture");
        assertTrue(view.difference().endsWith("full colour at 0"), view.difference());
    }

    @Test
    void framesShowTheMiddleFrameAndAPlaneAcrossThem() {
        Image frames = new Image(new float[4 * 30 * 30], 1, 4, 30, 30, null);
        ItemPictures p = Thumbnails.of(frames, frames);
        assertEquals(2, p.panels().size());
        assertTrue(p.panels().get(0).caption().startsWith("middle frame (3 of 4)"), p.panels().get(0).caption());
    }

    @Test
    void aSeriesShowsItsMiddleSliceAndAReformattedPlaneInPhysicalProportion() throws Exception {
        int depth = 5;
        int h = 32;
        int w = 64;
        SeriesPictures series = new SeriesPictures(depth, 1, h, w, 3.0 / 0.9);
        for (int z = 0; z < depth; z++) {
            float[] slice = new float[h * w];
            java.util.Arrays.fill(slice, z * 10);
            series.input(z, slice);
            float[] result = slice.clone();
            result[0] += 1;
            series.output(z, result, h, w);
        }
        ItemPictures p = series.pictures(null);
        assertEquals(2, p.panels().size());
        assertEquals("middle slice (3 of 5)", p.panels().get(0).caption());
        Panel reformatted = p.panels().get(1);
        assertEquals(Thumbnails.BOX, reformatted.width());
        // 5 slices 3 mm apart over 64 pixels of 0.9 mm
        assertEquals(Math.round(Thumbnails.BOX * depth * 3.0 / 0.9 / w), reformatted.height());
        BufferedImage plane = png(reformatted.inputPng());
        assertTrue(plane.getRaster().getSample(0, 0, 0) > plane.getRaster().getSample(0, plane.getHeight() - 1, 0),
                "the last slice (the brightest) at the top");
    }

    /**
     * Through-plane super-resolution: 5 thick slices in, 15 thin ones out. The middle thick slice is shown beside the
     * thin slice centred on it, and the output's reformatted plane (15 rows) fills the same physical box as the
     * input's (5 rows 3 mm apart): a finer ramp, not a taller picture.
     */
    @Test
    void aThroughPlaneSeriesShowsItsThinSlicesInTheSameProportions() throws Exception {
        int depth = 5;
        int h = 32;
        int w = 64;
        SeriesPictures series = new SeriesPictures(depth, 3 * depth, 1, h, w, 3.0 / 0.9);
        for (int z = 0; z < depth; z++) {
            float[] slice = new float[h * w];
            java.util.Arrays.fill(slice, z * 30);
            series.input(z, slice);
        }
        for (int j = 0; j < 3 * depth; j++) {
            float[] slice = new float[h * w];
            java.util.Arrays.fill(slice, j * 10 - 10); // thin slice j is centred on thick slice (j - 1) / 3
            series.output(j, slice, h, w);
        }
        ItemPictures p = series.pictures(null);
        assertEquals(2, p.panels().size());
        Panel middle = p.panels().get(0);
        assertEquals("middle slice (3 of 5; output 8 of 15)", middle.caption());
        assertTrue(java.util.Arrays.equals(middle.inputPng(), middle.outputPng()),
                "thin slice 8 (value 60) is centred on thick slice 3 (value 60): the same picture");
        Panel reformatted = p.panels().get(1);
        assertEquals(Math.round(Thumbnails.BOX * depth * 3.0 / 0.9 / w), reformatted.height());
        BufferedImage in = png(reformatted.inputPng());
        BufferedImage out = png(reformatted.outputPng());
        assertEquals(in.getHeight(), out.getHeight());
        // the last slice at the top: 0.55 of the height is the lower half of thick slice 3, thin slice 7 (value 50)
        int row = (int) (0.55 * in.getHeight());
        assertTrue(out.getRaster().getSample(0, row, 0) < in.getRaster().getSample(0, row, 0),
                "the thin slice below the middle one is darker than the thick slice: the output's rows are finer");
        assertThrows(IllegalArgumentException.class, () -> new SeriesPictures(5, 12, 1, h, w, 1));
    }

    private static BufferedImage png(byte[] bytes) throws java.io.IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
