package org.yax.batch.html;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.yax.core.SourceMetadata;
import org.yax.io.dicom.DicomSource;

/**
 * How pixel values become grey levels in a thumbnail: values from {@code low} to {@code high} map linearly onto
 * 0..255 (clamped), brighter for larger values unless {@code inverted}. One range serves an item's input and output,
 * so a change in the picture is a change in the values. The one place this is decided: a DICOM image's own window
 * (centre/width, on modality values, as a viewer shows it; MONOCHROME1 inverted), otherwise the input's 2nd and
 * 98th percentiles (a colour image: one range for all three channels, so colours keep their balance).
 */
public record DisplayRange(double low, double high, boolean inverted, String description) implements Serializable {
    private static final int PERCENTILE_SAMPLES = 1 << 14;

    public DisplayRange {
        if (!(high > low)) {
            high = low + 1; // a constant image shows as black rather than dividing by zero
        }
    }

    /**
     * The range for {@code shown}, a plane of an image read from {@code source} (the file's metadata, or null):
     * the DICOM window when the file has one, otherwise the 2-98% stretch of the plane's shown channels.
     */
    static DisplayRange of(SourceMetadata source, Plane shown) {
        boolean inverted = false;
        if (source instanceof DicomSource dicom) {
            DisplayRange window = window(dicom);
            if (window != null) {
                return window;
            }
            inverted = "MONOCHROME1".equals(dicom.photometricInterpretation().trim());
        }
        DisplayRange s = stretch(shown);
        return new DisplayRange(s.low, s.high, inverted, s.description);
    }

    /** The file's first WindowCenter/WindowWidth pair, or null when it has none. */
    static DisplayRange window(DicomSource dicom) {
        AttributeList list = dicom.attributes();
        double[] centre = Attribute.getDoubleValues(list, TagFromName.WindowCenter);
        double[] width = Attribute.getDoubleValues(list, TagFromName.WindowWidth);
        if (centre == null || width == null || centre.length == 0 || width.length == 0 || !(width[0] >= 1)) {
            return null;
        }
        // PS3.3 C.11.2.1.2.1 (linear): c - 0.5 - (w - 1) / 2 maps to black, c - 0.5 + (w - 1) / 2 to white
        double low = centre[0] - 0.5 - (width[0] - 1) / 2;
        double high = centre[0] - 0.5 + (width[0] - 1) / 2;
        boolean inverted = "MONOCHROME1".equals(dicom.photometricInterpretation().trim());
        return new DisplayRange(low, high, inverted, String.format(Locale.ROOT, "DICOM window %s/%s",
                number(centre[0]), number(width[0])));
    }

    /** The 2nd to 98th percentile of the finite values of the plane's shown channels (sampled evenly). */
    static DisplayRange stretch(Plane plane) {
        long count = (long) plane.shown() * plane.height() * plane.width();
        int step = (int) Math.max(1, count / PERCENTILE_SAMPLES);
        float[] sample = new float[(int) ((count + step - 1) / step)];
        int n = 0;
        int perChannel = plane.height() * plane.width();
        for (long i = 0; i < count; i += step) {
            int c = (int) (i / perChannel);
            int at = (int) (i % perChannel);
            float v = plane.get(c, at / plane.width(), at % plane.width());
            if (Float.isFinite(v)) {
                sample[n++] = v;
            }
        }
        if (n == 0) {
            return new DisplayRange(0, 1, false, "no finite values");
        }
        Arrays.sort(sample, 0, n);
        double low = sample[(int) Math.floor(0.02 * (n - 1))];
        double high = sample[(int) Math.ceil(0.98 * (n - 1))];
        return new DisplayRange(low, high, false,
                String.format(Locale.ROOT, "2-98%% stretch %s..%s", number(low), number(high)));
    }

    /** A value's grey level, 0..255; NaN (missing) is black. */
    int grey(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        double t = (v - low) / (high - low);
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, t)));
        return inverted ? 255 - g : g;
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
