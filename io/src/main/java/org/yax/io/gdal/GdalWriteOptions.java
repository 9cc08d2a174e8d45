package org.yax.io.gdal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a derived raster is encoded. {@link #DEFAULT}: a tiled (256 x 256) GeoTIFF, DEFLATE with the
 * predictor that suits the type (2 for integers, 3 for floats), BigTIFF only when GDAL thinks the file
 * may pass 4 GiB, every band in its source data type (integers rounded half up and clamped).
 *
 * @param layout      plain tiled GeoTIFF, or a Cloud Optimized GeoTIFF (GDAL's COG driver, with overviews)
 * @param compression lossless codec of the tiles
 * @param predictor   horizontal (integers) or floating-point (floats) predictor; ignored without compression
 * @param blockSize   tile side in pixels, a multiple of 16
 * @param bigTiff     when to write BigTIFF (files over 4 GiB need it)
 * @param dataType    keep each band's source type, or store float32 (no rounding, no clamping)
 */
public record GdalWriteOptions(Layout layout, Compression compression, boolean predictor, int blockSize,
                               BigTiff bigTiff, DataType dataType) {
    public enum Layout { GEOTIFF, COG }

    public enum Compression { NONE, DEFLATE, LZW, ZSTD }

    public enum BigTiff { IF_SAFER, IF_NEEDED, YES, NO }

    public enum DataType {
        /** The source band's type: integers rounded half up and clamped to the type's range. */
        KEEP,
        /** Float32 whatever the source type: the result exactly as computed. */
        FLOAT32
    }

    public static final GdalWriteOptions DEFAULT = new GdalWriteOptions(Layout.GEOTIFF, Compression.DEFLATE, true,
            256, BigTiff.IF_SAFER, DataType.KEEP);

    public GdalWriteOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(bigTiff, "bigTiff");
        Objects.requireNonNull(dataType, "dataType");
        if (blockSize < 16 || blockSize % 16 != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 16, got " + blockSize);
        }
    }

    public GdalWriteOptions withLayout(Layout l) {
        return new GdalWriteOptions(l, compression, predictor, blockSize, bigTiff, dataType);
    }

    public GdalWriteOptions withCompression(Compression c) {
        return new GdalWriteOptions(layout, c, predictor, blockSize, bigTiff, dataType);
    }

    public GdalWriteOptions withPredictor(boolean p) {
        return new GdalWriteOptions(layout, compression, p, blockSize, bigTiff, dataType);
    }

    public GdalWriteOptions withBlockSize(int size) {
        return new GdalWriteOptions(layout, compression, predictor, size, bigTiff, dataType);
    }

    public GdalWriteOptions withBigTiff(BigTiff b) {
        return new GdalWriteOptions(layout, compression, predictor, blockSize, b, dataType);
    }

    public GdalWriteOptions withDataType(DataType t) {
        return new GdalWriteOptions(layout, compression, predictor, blockSize, bigTiff, t);
    }

    /** GTiff creation options (also for the intermediate GeoTIFF a COG is copied from). */
    List<String> geoTiffOptions(boolean floatType) {
        List<String> o = new ArrayList<>(List.of("TILED=YES", "BLOCKXSIZE=" + blockSize, "BLOCKYSIZE=" + blockSize,
                "BIGTIFF=" + bigTiff.name()));
        if (compression != Compression.NONE) {
            o.add("COMPRESS=" + compression.name());
            if (predictor) {
                o.add("PREDICTOR=" + (floatType ? 3 : 2));
            }
        }
        return o;
    }

    /** COG driver creation options. */
    List<String> cogOptions() {
        List<String> o = new ArrayList<>(List.of("BLOCKSIZE=" + blockSize, "BIGTIFF=" + bigTiff.name(),
                "COMPRESS=" + compression.name()));
        if (compression != Compression.NONE) {
            // YES: the COG driver picks 2 or 3 from the data type
            o.add("PREDICTOR=" + (predictor ? "YES" : "NO"));
        }
        return o;
    }
}
