package org.yax.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.yax.core.Image;

class ImageConversionTest {
    @Test
    void hyperstackChannelsAndSlicesMapToImageChannelsAndZBothWays() {
        int c = 2, z = 3, h = 4, w = 5;
        float[] px = new float[c * z * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        px[7] = Float.NaN;
        Image image = new Image(px, c, z, h, w, null);
        ImagePlus imp = ImageConversion.toImagePlus(image, "t", null);
        assertEquals(c, imp.getNChannels());
        assertEquals(z, imp.getNSlices());
        assertEquals(1, imp.getNFrames());
        assertEquals(ImagePlus.GRAY32, imp.getType());
        // channel 2, slice 3, pixel (x=1, y=2) is Image (c=1, z=2, y=2, x=1)
        float expected = image.get(1, 2, 2, 1);
        assertEquals(expected, imp.getStack().getProcessor(imp.getStackIndex(2, 3, 1)).getf(1, 2));
        Image back = ImageConversion.toImage(imp, null);
        assertEquals(c, back.channels());
        assertEquals(z, back.depth());
        assertArrayEquals(px, back.pixels());
    }

    @Test
    void sixteenBitPixelsGoThroughTheCalibrationFunction() {
        ShortProcessor sp = new ShortProcessor(2, 1);
        sp.set(0, 0, 0);
        sp.set(1, 0, 2000);
        ImagePlus imp = new ImagePlus("ct", sp);
        Calibration cal = imp.getCalibration();
        cal.setFunction(Calibration.STRAIGHT_LINE, new double[] {-1024, 1}, "HU");
        Image image = ImageConversion.toImage(imp, null);
        assertArrayEquals(new float[] {-1024, 976}, image.pixels());

        Calibration scaled = SourceCalibration.scaled(cal, 1);
        assertEquals(Calibration.NONE, scaled.getFunction());
        assertEquals("HU", scaled.getValueUnit());
    }

    @Test
    void rgbBecomesThreeChannels() {
        ColorProcessor cp = new ColorProcessor(1, 1);
        cp.set(0, 0, (10 << 16) | (20 << 8) | 30);
        Image image = ImageConversion.toImage(new ImagePlus("rgb", cp), null);
        assertEquals(3, image.channels());
        assertArrayEquals(new float[] {10, 20, 30}, image.pixels());
    }

    @Test
    void timeFramesWithoutZAreZAndBothAreRefused() {
        ImageStack stack = new ImageStack(1, 1);
        for (int i = 0; i < 4; i++) {
            stack.addSlice(new ij.process.FloatProcessor(1, 1, new float[] {i}));
        }
        ImagePlus imp = new ImagePlus("t", stack);
        imp.setDimensions(1, 1, 4);
        assertEquals(4, ImageConversion.toImage(imp, null).depth());
        imp.setDimensions(1, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageConversion.toImage(imp, null));
        assertEquals(true, e.getMessage().contains("time frames"), e.getMessage());
    }

    @Test
    void wktUnitIsTheCoordinateSystemsLastUnit() {
        String utm = "PROJCS[\"UTM 25S\",GEOGCS[\"WGS 84\",UNIT[\"degree\",0.0174]],UNIT[\"metre\",1],AXIS[\"E\",EAST]]";
        assertEquals("m", SourceCalibration.linearUnit(utm));
        assertEquals("degree", SourceCalibration.linearUnit("GEOGCS[\"WGS 84\",UNIT[\"degree\",0.0174]]"));
        assertEquals(null, SourceCalibration.linearUnit(""));
    }

    @Test
    void outputTitlesAreNamedAfterTheSource() {
        assertEquals("CT_small-denoised", ImageReconstruction.outputTitle("CT_small.dcm", org.yax.core.task.Task.DENOISE));
        assertEquals("L7_ETMs-superresolved", ImageReconstruction.outputTitle("L7_ETMs.tif",
                org.yax.core.task.Task.SUPER_RESOLUTION));
        assertEquals("IM0001-inpainted", ImageReconstruction.outputTitle("IM0001", org.yax.core.task.Task.INPAINT));
    }
}
