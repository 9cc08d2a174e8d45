package org.yax.io.gdal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yax.core.SourceMetadata;

/**
 * Everything a GDAL raster carries besides its pixels, detached from GDAL, so that a derived GeoTIFF
 * can be written with the same georeferencing and metadata. Pixels read with it are raw stored values
 * (digital numbers): band scale/offset are recorded here, never applied, and written back unchanged.
 *
 * @param file             the file it was read from
 * @param driver           GDAL driver short name, e.g. "GTiff"
 * @param width            raster width in pixels
 * @param height           raster height in pixels
 * @param bands            one entry per band, in band order
 * @param geoTransform     the six affine coefficients (may be rotated), or null when the raster has none
 * @param projectionWkt    CRS as WKT ("" if none)
 * @param metadata         dataset metadata domain ("" = default) to raw entries, without IMAGE_STRUCTURE,
 *                         SUBDATASETS, DERIVED_SUBDATASETS and STATISTICS_* items
 * @param gcps             ground control points (empty if none)
 * @param gcpProjectionWkt the GCPs' CRS as WKT ("" if none)
 */
public record GdalSource(Path file, String driver, int width, int height, List<GdalBand> bands,
                         double[] geoTransform, String projectionWkt, Map<String, List<String>> metadata,
                         List<GdalGcp> gcps, String gcpProjectionWkt) implements SourceMetadata {

    public static final String FORMAT = "GDAL";

    public GdalSource {
        bands = List.copyOf(bands);
        geoTransform = geoTransform == null ? null : geoTransform.clone();
        if (geoTransform != null && geoTransform.length != 6) {
            throw new IllegalArgumentException("a geotransform has 6 coefficients, got " + geoTransform.length);
        }
        metadata = copyDomains(metadata);
        gcps = List.copyOf(gcps);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** A copy: callers cannot change the recorded georeferencing. */
    @Override
    public double[] geoTransform() {
        return geoTransform == null ? null : geoTransform.clone();
    }

    /** Value equality, the geotransform compared by content (a record would compare the array's identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GdalSource g && Objects.equals(file, g.file) && driver.equals(g.driver)
                && width == g.width && height == g.height && bands.equals(g.bands)
                && Arrays.equals(geoTransform, g.geoTransform) && projectionWkt.equals(g.projectionWkt)
                && metadata.equals(g.metadata) && gcps.equals(g.gcps) && gcpProjectionWkt.equals(g.gcpProjectionWkt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, driver, width, height, bands, Arrays.hashCode(geoTransform), projectionWkt,
                metadata, gcps, gcpProjectionWkt);
    }

    public int bandCount() {
        return bands.size();
    }

    /** The KEY=VALUE entries of one dataset metadata domain as a map ("" = default domain). */
    public Map<String, String> metadataItems(String domain) {
        return items(metadata.getOrDefault(domain, List.of()));
    }

    static Map<String, String> items(List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                map.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    static Map<String, List<String>> copyDomains(Map<String, List<String>> domains) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        domains.forEach((domain, entries) -> copy.put(domain, List.copyOf(new ArrayList<>(entries))));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return "GdalSource(" + driver + ", " + file + ", " + width + "x" + height + ", " + bands.size() + " bands)";
    }
}
