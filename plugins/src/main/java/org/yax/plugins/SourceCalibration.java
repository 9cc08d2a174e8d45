package org.yax.plugins;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import ij.measure.Calibration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yax.core.SourceMetadata;
import org.yax.io.dicom.DicomSource;
import org.yax.io.gdal.GdalBand;
import org.yax.io.gdal.GdalSource;

/** ImageJ calibration (pixel size, unit, value unit) from a source file's metadata. */
public final class SourceCalibration {
    private static final Pattern WKT_UNIT = Pattern.compile("(?:LENGTHUNIT|ANGLEUNIT|UNIT)\\[\"([^\"]+)\"");

    private SourceCalibration() { }

    /** The calibration the source describes; an uncalibrated one when it says nothing usable. */
    public static Calibration of(SourceMetadata source) {
        if (source instanceof DicomSource d) {
            return ofDicom(d);
        }
        if (source instanceof GdalSource g) {
            return ofRaster(g);
        }
        return new Calibration();
    }

    /** The calibration of a result {@code scale} times finer in x and y than {@code input}'s. */
    public static Calibration scaled(Calibration input, int scale) {
        Calibration cal = input.copy();
        String valueUnit = cal.getValueUnit();
        if (cal.getFunction() != Calibration.NONE) {
            // the result holds calibrated values already (see ImageConversion)
            cal.disableDensityCalibration();
            cal.setValueUnit(valueUnit);
        }
        if (scale != 1) {
            cal.pixelWidth /= scale;
            cal.pixelHeight /= scale;
            cal.xOrigin *= scale;
            cal.yOrigin *= scale;
        }
        return cal;
    }

    private static Calibration ofDicom(DicomSource source) {
        Calibration cal = new Calibration();
        AttributeList list = source.attributes();
        double[] spacing = doubles(list, TagFromName.PixelSpacing);
        if (spacing.length < 2) {
            spacing = doubles(list, TagFromName.ImagerPixelSpacing);
        }
        if (spacing.length >= 2 && spacing[0] > 0 && spacing[1] > 0) {
            cal.pixelHeight = spacing[0]; // DICOM PixelSpacing is row spacing \ column spacing
            cal.pixelWidth = spacing[1];
            cal.setUnit("mm");
            double[] between = doubles(list, TagFromName.SpacingBetweenSlices);
            double[] thickness = doubles(list, TagFromName.SliceThickness);
            if (between.length > 0 && between[0] > 0) {
                cal.pixelDepth = between[0];
            } else if (thickness.length > 0 && thickness[0] > 0) {
                cal.pixelDepth = thickness[0];
            }
        }
        String rescaleType = source.value(TagFromName.RescaleType);
        if (!rescaleType.isEmpty()) {
            cal.setValueUnit(rescaleType);
        } else if ("CT".equals(source.value(TagFromName.Modality)) && source.layout().hasRescale()) {
            cal.setValueUnit("HU");
        }
        return cal;
    }

    private static double[] doubles(AttributeList list, AttributeTag tag) {
        try {
            double[] v = Attribute.getDoubleValues(list, tag);
            return v == null ? new double[0] : v;
        } catch (RuntimeException e) {
            return new double[0];
        }
    }

    private static Calibration ofRaster(GdalSource source) {
        Calibration cal = new Calibration();
        double[] gt = source.geoTransform();
        if (gt != null) {
            // pixel size along the image axes, also for a rotated geotransform
            cal.pixelWidth = Math.hypot(gt[1], gt[4]);
            cal.pixelHeight = Math.hypot(gt[2], gt[5]);
            String unit = linearUnit(source.projectionWkt());
            if (unit != null) {
                cal.setUnit(unit);
            }
        }
        Set<String> units = new HashSet<>();
        for (GdalBand b : source.bands()) {
            units.add(b.unit());
        }
        if (units.size() == 1 && !units.iterator().next().isEmpty()) {
            cal.setValueUnit(units.iterator().next());
        }
        return cal;
    }

    /** The CRS's axis unit (the last UNIT in WKT1/WKT2 is the coordinate system's), or null. */
    static String linearUnit(String wkt) {
        if (wkt == null || wkt.isEmpty()) {
            return null;
        }
        Matcher m = WKT_UNIT.matcher(wkt);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return null;
        }
        return switch (last.toLowerCase(java.util.Locale.ROOT)) {
            case "metre", "meter", "m" -> "m";
            case "degree" -> "degree";
            case "us survey foot", "foot", "foot_us" -> "ft";
            default -> last;
        };
    }
}
