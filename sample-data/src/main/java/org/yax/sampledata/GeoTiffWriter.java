package org.yax.sampledata;

import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.Driver;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.osr.SpatialReference;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a float32 multiband GeoTIFF through GDAL's GTiff driver with a rotated geotransform, CRS and nodata. */
public final class GeoTiffWriter {
    private final RotatedMultibandSpec spec;
    private final String softwareVersion;

    public GeoTiffWriter(RotatedMultibandSpec spec, String softwareVersion) {
        this.spec = spec;
        this.softwareVersion = softwareVersion;
    }

    /** Writes {@code bands[band][row * width + col]} to {@code file} (created or overwritten). */
    public void write(Path file, float[][] bands, String description) throws IOException {
        gdal.AllRegister();
        Driver driver = gdal.GetDriverByName("GTiff");
        if (driver == null) {
            throw new IOException(file + ": GDAL has no GTiff driver: " + gdal.GetLastErrorMsg());
        }
        String[] options = {"COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128"};
        Dataset dataset = driver.Create(file.toString(), spec.width(), spec.height(), bands.length,
                gdalconstConstants.GDT_Float32, options);
        if (dataset == null) {
            throw new IOException(file + ": GDAL cannot create the GeoTIFF: " + gdal.GetLastErrorMsg());
        }
        try {
            check(file, dataset.SetGeoTransform(spec.geoTransform()), "set the geotransform");
            check(file, dataset.SetProjection(wkt(file)), "set the CRS");
            dataset.SetMetadataItem("TIFFTAG_SOFTWARE", "yax sample-data " + softwareVersion);
            dataset.SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION", description);
            for (int b = 0; b < bands.length; b++) {
                Band band = dataset.GetRasterBand(b + 1);
                check(file, band.SetNoDataValue(spec.nodata()), "set nodata of band " + (b + 1));
                band.SetDescription(RotatedMultibandSpec.BAND_DESCRIPTIONS.get(b));
                check(file, band.WriteRaster(0, 0, spec.width(), spec.height(), bands[b]),
                        "write band " + (b + 1));
            }
            dataset.FlushCache();
        } finally {
            dataset.delete(); // GDAL 3.6 Java has no Close(): this finishes the file
        }
    }

    private String wkt(Path file) throws IOException {
        SpatialReference srs = new SpatialReference();
        try {
            check(file, srs.ImportFromEPSG(spec.epsg()), "resolve EPSG:" + spec.epsg());
            return srs.ExportToWkt();
        } finally {
            srs.delete();
        }
    }

    private static void check(Path file, int code, String what) throws IOException {
        if (code != gdalconstConstants.CE_None) {
            throw new IOException(file + ": GDAL cannot " + what + ": " + gdal.GetLastErrorMsg());
        }
    }
}
