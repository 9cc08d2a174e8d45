package org.yax.plugins;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import org.yax.core.Image;
import org.yax.core.SourceMetadata;

/**
 * ImagePlus <-> {@link Image}, keeping what the values mean.
 *
 * <p>yax images become 32-bit float ImagePlus stacks holding the values themselves (modality values such
 * as HU for DICOM, digital numbers for rasters; NaN = missing), so nothing is rounded and no calibration
 * function is needed: the value unit is set instead. Image channels map to ImageJ channels and z to
 * slices (channel varies fastest in the stack, as ImageJ orders hyperstacks).
 *
 * <p>ImagePlus of any type are accepted as input: 8/16-bit pixels go through the image's calibration
 * function (so ImageJ's own DICOM opener's 16-bit images give HU), RGB becomes three channels, and a
 * time series without z is read as z.
 */
public final class ImageConversion {
    private ImageConversion() { }

    public static Image toImage(ImagePlus imp, SourceMetadata source) {
        int channels = imp.getNChannels();
        int slices = imp.getNSlices();
        int frames = imp.getNFrames();
        if (slices > 1 && frames > 1) {
            throw new IllegalArgumentException("image '" + imp.getTitle() + "' has both z slices (" + slices
                    + ") and time frames (" + frames + "); yax reconstructs one z stack at a time");
        }
        boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
        if (rgb && channels > 1) {
            throw new IllegalArgumentException("image '" + imp.getTitle() + "' is an RGB hyperstack with "
                    + channels + " channels; convert it to a float stack first");
        }
        int depth = slices * frames;
        int outChannels = rgb ? 3 : channels;
        int w = imp.getWidth();
        int h = imp.getHeight();
        int plane = w * h;
        float[] pixels = new float[outChannels * depth * plane];
        Calibration cal = imp.getCalibration();
        ImageStack stack = imp.getStack();
        for (int z = 0; z < depth; z++) {
            int slice = frames > 1 ? 1 : z + 1;
            int frame = frames > 1 ? z + 1 : 1;
            for (int c = 0; c < channels; c++) {
                ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c + 1, slice, frame));
                if (rgb) {
                    int[] argb = (int[]) ((ColorProcessor) ip).getPixels();
                    for (int k = 0; k < 3; k++) {
                        int from = (k * depth + z) * plane;
                        int shift = 16 - 8 * k;
                        for (int p = 0; p < plane; p++) {
                            pixels[from + p] = (argb[p] >> shift) & 0xff;
                        }
                    }
                } else {
                    copyCalibrated(ip, cal, pixels, (c * depth + z) * plane);
                }
            }
        }
        return new Image(pixels, outChannels, depth, h, w, source);
    }

    private static void copyCalibrated(ImageProcessor ip, Calibration cal, float[] into, int from) {
        Object px = ip.getPixels();
        if (px instanceof float[] f) {
            System.arraycopy(f, 0, into, from, f.length);
        } else if (px instanceof short[] s) {
            for (int p = 0; p < s.length; p++) {
                into[from + p] = (float) cal.getCValue(s[p] & 0xffff);
            }
        } else if (px instanceof byte[] b) {
            for (int p = 0; p < b.length; p++) {
                into[from + p] = (float) cal.getCValue(b[p] & 0xff);
            }
        } else {
            throw new IllegalArgumentException("unsupported ImageJ pixel type " + px.getClass().getSimpleName());
        }
    }

    /**
     * A float ImagePlus for {@code image}. {@code calibration} gives pixel size and value unit; it must
     * not carry a calibration function (the values are already calibrated); null means uncalibrated.
     */
    public static ImagePlus toImagePlus(Image image, String title, Calibration calibration) {
        int w = image.width();
        int h = image.height();
        ImageStack stack = new ImageStack(w, h);
        for (int z = 0; z < image.depth(); z++) {
            for (int c = 0; c < image.channels(); c++) {
                String label = image.planeCount() == 1 ? null
                        : (image.channels() > 1 ? "c" + (c + 1) : "") + (image.depth() > 1 ? "z" + (z + 1) : "");
                stack.addSlice(label, new FloatProcessor(w, h, image.plane(c, z)));
            }
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(image.channels(), image.depth(), 1);
        if (image.channels() > 1) {
            imp.setOpenAsHyperStack(true);
        }
        if (calibration != null) {
            imp.setCalibration(calibration);
        }
        float[] range = finiteRange(image.pixels());
        if (range != null) {
            imp.setDisplayRange(range[0], range[1]);
        }
        return imp;
    }

    /** {min, max} of the non-NaN values, or null when there are none. */
    static float[] finiteRange(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        return min <= max ? new float[] {min, max} : null;
    }
}
