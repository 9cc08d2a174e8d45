package org.yax.io.gdal;

import org.gdal.gdalconst.gdalconst;

/**
 * A band's storage type as a writer needs it: its GDAL type code, whether it is floating point,
 * and the range an integer value is clamped to. GDAL 3.6 has no Int8 type: a signed byte band is a
 * Byte band with IMAGE_STRUCTURE PIXELTYPE=SIGNEDBYTE, kept here as {@code signedByte}.
 */
record GdalPixelType(int gdalType, boolean signedByte) {

    static boolean isComplex(int gdalType) {
        return gdalType == gdalconst.GDT_CInt16 || gdalType == gdalconst.GDT_CInt32
                || gdalType == gdalconst.GDT_CFloat32 || gdalType == gdalconst.GDT_CFloat64;
    }

    boolean isFloat() {
        return gdalType == gdalconst.GDT_Float32 || gdalType == gdalconst.GDT_Float64;
    }

    double min() {
        if (signedByte) {
            return -128;
        }
        if (gdalType == gdalconst.GDT_Byte || gdalType == gdalconst.GDT_UInt16
                || gdalType == gdalconst.GDT_UInt32 || gdalType == gdalconst.GDT_UInt64) {
            return 0;
        }
        if (gdalType == gdalconst.GDT_Int16) {
            return Short.MIN_VALUE;
        }
        if (gdalType == gdalconst.GDT_Int32) {
            return Integer.MIN_VALUE;
        }
        if (gdalType == gdalconst.GDT_Int64) {
            return Long.MIN_VALUE;
        }
        if (gdalType == gdalconst.GDT_Float32) {
            return -Float.MAX_VALUE;
        }
        return -Double.MAX_VALUE;
    }

    double max() {
        if (signedByte) {
            return 127;
        }
        if (gdalType == gdalconst.GDT_Byte) {
            return 255;
        }
        if (gdalType == gdalconst.GDT_UInt16) {
            return 65535;
        }
        if (gdalType == gdalconst.GDT_Int16) {
            return Short.MAX_VALUE;
        }
        if (gdalType == gdalconst.GDT_UInt32) {
            return 4294967295.0;
        }
        if (gdalType == gdalconst.GDT_Int32) {
            return Integer.MAX_VALUE;
        }
        if (gdalType == gdalconst.GDT_UInt64) {
            return 18446744073709551615.0;
        }
        if (gdalType == gdalconst.GDT_Int64) {
            return Long.MAX_VALUE;
        }
        if (gdalType == gdalconst.GDT_Float32) {
            return Float.MAX_VALUE;
        }
        return Double.MAX_VALUE;
    }

    /** Whether a pixel of this type can hold exactly {@code value} (NaN only in float types). */
    boolean canHold(double value) {
        if (isFloat()) {
            return Double.isNaN(value) || gdalType == gdalconst.GDT_Float64 || (double) (float) value == value;
        }
        return !Double.isNaN(value) && value == Math.rint(value) && value >= min() && value <= max();
    }

    /**
     * The stored value for a finite result value: rounded half up and clamped for integer types,
     * unchanged for float types (a float32 result fits float32 and float64 exactly).
     */
    double toStored(float value) {
        if (isFloat()) {
            return value;
        }
        double r = Math.floor((double) value + 0.5);
        return Math.max(min(), Math.min(max(), r));
    }

    /** The value GDAL must receive for a stored value (a signed byte is passed as its unsigned byte). */
    double encode(double stored) {
        return signedByte && stored < 0 ? stored + 256 : stored;
    }

    /** The value a pixel means, from what GDAL returned (undoes {@link #encode}). */
    double decode(double raw) {
        return signedByte && raw > 127 ? raw - 256 : raw;
    }
}
