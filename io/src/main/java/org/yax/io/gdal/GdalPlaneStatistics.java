package org.yax.io.gdal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.core.PlaneStatistics;
import org.yax.core.Progress;
import org.yax.core.noise.NoiseEstimator;
import org.yax.core.noise.NoiseLevel;
import org.yax.io.ImageFileException;

/**
 * Whole-band statistics of a raster on disk, measured with bounded memory before it is streamed window by
 * window, so each window is solved with its band's sigma, value range and mean as the in-memory path does.
 *
 * <ul>
 *   <li>min, max, mean: GDAL's exact band statistics ({@code ComputeStatistics}, nodata and NaN skipped,
 *       one native pass over the band), computed with GDAL's auxiliary-file machinery (PAM) switched off for
 *       this thread, so no {@code .aux.xml} is written next to the input and a stale one is never trusted;</li>
 *   <li>sigma (when not given): the in-memory estimate ({@link NoiseEstimator}: weak-texture patch PCA) needs
 *       every patch of the plane at once, so it is estimated on a sample instead: up to
 *       {@value #SAMPLE_GRID} x {@value #SAMPLE_GRID} windows of {@value #SAMPLE_WINDOW} x {@value #SAMPLE_WINDOW}
 *       pixels evenly spaced over the band (corners included), each estimated alone, and the median of
 *       those estimates taken. Windows with nothing nodata-free to estimate from are left out.</li>
 * </ul>
 */
public final class GdalPlaneStatistics {
    /** Side of a sampled window for the noise estimate (pixels). */
    static final int SAMPLE_WINDOW = 512;
    /** Sampled windows along each axis (fewer when the band is smaller). */
    static final int SAMPLE_GRID = 6;

    private GdalPlaneStatistics() { }

    /**
     * One {@link PlaneStatistics} per band of {@code file}; {@code noise} is used as given, or estimated per
     * band from a sample of windows when auto. The input is only read.
     *
     * @throws ImageFileException when the file cannot be read, or sigma cannot be estimated from a band
     */
    public static List<PlaneStatistics> measure(Path file, NoiseLevel noise, Progress progress)
            throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(file, GdalRuntime.problem());
        }
        String pamBefore = gdal.GetThreadLocalConfigOption("GDAL_PAM_ENABLED", null);
        gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO");
        GdalRuntime.pushQuiet();
        try {
            Dataset ds = gdal.OpenEx(file.toString(), gdalconst.OF_RASTER | gdalconst.OF_READONLY);
            if (ds == null) {
                throw new ImageFileException(file, "GDAL cannot open it as a raster: "
                        + GdalRuntime.lastError("no GDAL raster driver recognises it"));
            }
            try {
                GdalSource source = GdalReader.describe(file, ds);
                List<PlaneStatistics> result = new ArrayList<>();
                int bands = source.bandCount();
                for (int b = 0; b < bands; b++) {
                    progress.checkCancelled();
                    result.add(measureBand(file, ds.GetRasterBand(b + 1), source, b, noise));
                    progress.report((double) (b + 1) / bands, "statistics of band " + (b + 1) + " of " + bands);
                }
                return result;
            } finally {
                ds.delete();
            }
        } finally {
            GdalRuntime.popQuiet();
            gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", pamBefore);
        }
    }

    private static PlaneStatistics measureBand(Path file, Band band, GdalSource source, int index, NoiseLevel noise)
            throws ImageFileException {
        GdalBand info = source.bands().get(index);
        if (GdalPixelType.isComplex(info.dataType())) {
            throw new ImageFileException(file, "band " + (index + 1) + " has complex type " + info.dataTypeName()
                    + ", which yax does not reconstruct yet");
        }
        double[] min = new double[1];
        double[] max = new double[1];
        double[] mean = new double[1];
        double[] std = new double[1];
        gdal.ErrorReset();
        int err = band.ComputeStatistics(false, min, max, mean, std);
        if (err != gdalconst.CE_None) {
            if (GdalRuntime.lastError("").contains("no valid pixels")) {
                return new PlaneStatistics(noise.isAuto() ? 0 : noise.value(), Double.NaN, Double.NaN, Double.NaN);
            }
            throw new ImageFileException(file, "computing the statistics of band " + (index + 1) + " failed: "
                    + GdalRuntime.lastError("GDAL gave no reason"));
        }
        double s = noise.isAuto() ? sampledSigma(file, band, info, source.width(), source.height(), index) : noise.value();
        return new PlaneStatistics(s, min[0], max[0], mean[0]);
    }

    /** Median of the noise estimates of evenly spaced sample windows (see the class comment). */
    static double sampledSigma(Path file, Band band, GdalBand info, int width, int height, int index)
            throws ImageFileException {
        int[] xs = origins(width);
        int[] ys = origins(height);
        int ww = Math.min(SAMPLE_WINDOW, width);
        int wh = Math.min(SAMPLE_WINDOW, height);
        float[] window = new float[ww * wh];
        double[] estimates = new double[xs.length * ys.length];
        int n = 0;
        for (int y : ys) {
            for (int x : xs) {
                GdalReader.readWindow(file, band, info, x, y, ww, wh, window, 0);
                try {
                    estimates[n++] = NoiseEstimator.estimateGaussianSigma(window, ww, wh);
                } catch (IllegalArgumentException noUsableNeighbourhood) {
                    n--;
                }
            }
        }
        if (n == 0) {
            throw new ImageFileException(file, "the noise level of band " + (index + 1) + " cannot be estimated: "
                    + "no sampled window has a 2x2 block free of nodata; give --sigma");
        }
        return NoiseLevel.median(Arrays.copyOf(estimates, n));
    }

    /** Window origins along one axis: evenly spaced from 0 to length - window, distinct. */
    static int[] origins(int length) {
        if (length <= SAMPLE_WINDOW) {
            return new int[] {0};
        }
        int last = length - SAMPLE_WINDOW;
        int count = (int) Math.min(SAMPLE_GRID, (long) Math.ceil((double) length / SAMPLE_WINDOW));
        return java.util.stream.IntStream.range(0, count)
                .map(i -> (int) Math.round((double) i * last / (count - 1))).distinct().toArray();
    }
}
