package org.yax.io.gdal;

import java.util.List;
import java.util.Map;

/**
 * What one source band carries besides its pixels, detached from GDAL (no native handle).
 *
 * @param dataType             GDAL type code (gdalconst.GDT_*)
 * @param dataTypeName         GDAL's name for it, e.g. "UInt16"
 * @param signedByte           a Byte band marked PIXELTYPE=SIGNEDBYTE (GDAL 3.6's int8)
 * @param noData               the nodata value, or null when the band has none
 * @param colorInterpretation  gdalconst.GCI_* code
 * @param colorInterpretationName GDAL's name for it, e.g. "Gray"
 * @param description          band description ("" if none)
 * @param scale                scale to physical units, or null when unset (not applied to pixels)
 * @param offset               offset to physical units, or null when unset (not applied to pixels)
 * @param unit                 unit type ("" if none)
 * @param metadata             metadata domain ("" = default) to raw GDAL entries ("KEY=VALUE", or one
 *                             XML document for "xml:" domains), without IMAGE_STRUCTURE and STATISTICS_*
 * @param colorTable           ARGB palette entries, or null when the band has no colour table
 */
public record GdalBand(int dataType, String dataTypeName, boolean signedByte, Double noData,
                       int colorInterpretation, String colorInterpretationName, String description,
                       Double scale, Double offset, String unit, Map<String, List<String>> metadata,
                       List<Integer> colorTable) {
    public GdalBand {
        metadata = GdalSource.copyDomains(metadata);
        colorTable = colorTable == null ? null : List.copyOf(colorTable);
    }

    GdalPixelType pixelType() {
        return new GdalPixelType(dataType, signedByte);
    }
}
