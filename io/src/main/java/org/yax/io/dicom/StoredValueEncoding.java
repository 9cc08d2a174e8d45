package org.yax.io.dicom;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How a derived instance stores float modality values so that nothing clips:
 * <ul>
 * <li>the source's own representation (BitsStored, PixelRepresentation, slope/intercept) when every
 *     rounded value fits it;</li>
 * <li>otherwise, for a source with a rescale (CT, PET...), a new 16-bit rescale spanning the result's
 *     range whose RescaleSlope/RescaleIntercept fit the 16 characters of a DS;</li>
 * <li>for a source without rescale (MR, colour): integer rounding, clamped to the widest range the
 *     source's BitsAllocated and PixelRepresentation allow (MR has no standard rescale; clamping only
 *     touches values outside that type, e.g. negative MR magnitudes).</li>
 * </ul>
 * NaN (missing) pixels are stored as PixelPaddingValue when the source has one, else as the minimum
 * stored value; with a new rescale that value is reserved for NaN and real values start one above it.
 *
 * @param bitsAllocated       8 or 16
 * @param bitsStored          significant bits
 * @param signed              PixelRepresentation 1
 * @param slope               RescaleSlope to write (1 when no rescale is written)
 * @param intercept           RescaleIntercept to write (0 when no rescale is written)
 * @param slopeText           the DS text of the slope (null when the source's text is kept)
 * @param interceptText       the DS text of the intercept (null when the source's text is kept)
 * @param nanStored           stored value for NaN pixels
 * @param newPaddingValue     whether PixelPaddingValue must be rewritten to {@code nanStored}
 */
record StoredValueEncoding(int bitsAllocated, int bitsStored, boolean signed, double slope, double intercept,
                           String slopeText, String interceptText, long nanStored, boolean newPaddingValue) {
    static final int DS_MAX_CHARS = 16;

    long minStored() {
        return signed ? -(1L << (bitsStored - 1)) : 0;
    }

    long maxStored() {
        return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
    }

    int highBit() {
        return bitsStored - 1;
    }

    boolean rescaleChanged() {
        return slopeText != null;
    }

    /** The stored value for one modality value (rounded, clamped). */
    long store(float v) {
        if (Float.isNaN(v)) {
            return nanStored;
        }
        double s = Math.rint((v - intercept) / slope);
        return (long) Math.max(minStored(), Math.min(maxStored(), s));
    }

    /** Chooses the encoding for {@code values} written in place of a source with {@code layout}. */
    static StoredValueEncoding choose(DicomPixelLayout layout, float[] values) {
        if (layout.bitsAllocated() != 8 && layout.bitsAllocated() != 16) {
            throw new IllegalArgumentException("writing a derived instance of a BitsAllocated="
                    + layout.bitsAllocated() + " source is not supported yet (8 or 16)");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean anyNaN = false;
        for (float v : values) {
            if (Float.isNaN(v)) {
                anyNaN = true;
            } else if (Float.isInfinite(v)) {
                throw new IllegalArgumentException("result has infinite values");
            } else {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) { // all NaN
            min = max = layout.rescaleIntercept();
        }
        Long padding = layout.pixelPaddingValue();
        boolean colour = layout.samplesPerPixel() > 1;
        if (layout.modalityLut() != null) { // stored -> modality is a table: a linear rescale replaces it
            return newRescale(layout.signed(), min, max, anyNaN || padding != null, padding != null);
        }
        if (colour || !layout.hasRescale()) {
            // no rescale to adapt: integer rounding, widened to the whole BitsAllocated range, clamped there
            int bitsStored = fitsStored(layout, min, max) ? layout.bitsStored() : layout.bitsAllocated();
            StoredValueEncoding e = new StoredValueEncoding(layout.bitsAllocated(), bitsStored, layout.signed(),
                    layout.rescaleSlope(), layout.rescaleIntercept(), null, null, 0, false);
            return e.withNan(padding != null ? padding : e.minStored(), false);
        }
        if (fitsStored(layout, min, max)) {
            StoredValueEncoding e = new StoredValueEncoding(layout.bitsAllocated(), layout.bitsStored(), layout.signed(),
                    layout.rescaleSlope(), layout.rescaleIntercept(), null, null, 0, false);
            return e.withNan(padding != null ? padding : e.minStored(), false);
        }
        // a source padding value would collide with the new mapping: it gets the reserved lowest value too
        return newRescale(layout.signed(), min, max, anyNaN || padding != null, padding != null);
    }

    private StoredValueEncoding withNan(long nan, boolean newPadding) {
        return new StoredValueEncoding(bitsAllocated, bitsStored, signed, slope, intercept, slopeText, interceptText,
                nan, newPadding);
    }

    private static boolean fitsStored(DicomPixelLayout layout, double min, double max) {
        double lo = Math.rint((min - layout.rescaleIntercept()) / layout.rescaleSlope());
        double hi = Math.rint((max - layout.rescaleIntercept()) / layout.rescaleSlope());
        return Math.min(lo, hi) >= layout.minStored() && Math.max(lo, hi) <= layout.maxStored();
    }

    /** A 16-bit rescale that maps [min, max] inside the stored range with one unit of margin each side. */
    static StoredValueEncoding newRescale(boolean signed, double min, double max, boolean reserveNan, boolean hadPadding) {
        long lo = signed ? -32768 : 0;
        long hi = signed ? 32767 : 65535;
        long nan = lo;
        if (reserveNan) {
            lo++; // the lowest stored value means NaN only
        }
        double slope = max > min ? (max - min) / (hi - lo - 2) : 1.0;
        String slopeText = formatDs(slope, RoundingMode.UP);
        slope = Double.parseDouble(slopeText);
        String interceptText = formatDs(min - slope * (lo + 1), RoundingMode.FLOOR);
        double intercept = Double.parseDouble(interceptText);
        return new StoredValueEncoding(16, 16, signed, slope, intercept, slopeText, interceptText, nan,
                hadPadding);
    }

    /** The shortest faithful decimal string of at most 16 characters (DICOM DS), rounded as asked. */
    static String formatDs(double value, RoundingMode mode) {
        if (value == 0) {
            return "0";
        }
        for (int digits = 15; digits >= 1; digits--) {
            BigDecimal d = new BigDecimal(value).round(new MathContext(digits, mode)).stripTrailingZeros();
            String plain = d.toPlainString();
            if (plain.length() <= DS_MAX_CHARS) {
                return plain;
            }
            String sci = d.toString();
            if (sci.length() <= DS_MAX_CHARS) {
                return sci;
            }
        }
        throw new IllegalArgumentException("cannot write " + value + " as a DICOM DS");
    }
}
