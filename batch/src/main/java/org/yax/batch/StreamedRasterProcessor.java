package org.yax.batch;

import java.nio.file.Path;
import java.util.List;
import org.yax.core.Derivation;
import org.yax.core.Provenance;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.PlaneStatistics;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.task.Method;
import org.yax.io.ImageFileException;
import org.yax.io.gdal.GdalFormat;
import org.yax.io.gdal.GdalPlaneStatistics;
import org.yax.io.gdal.GdalTiledProcessing;

/** A raster item larger than the streaming threshold: read, reconstructed and written window by window. */
final class StreamedRasterProcessor {
    static final String STREAMED = "streamed window by window (larger than --stream-above)";

    private final BatchRun run;

    StreamedRasterProcessor(BatchRun run) {
        this.run = run;
    }

    /**
     * A raster too large to hold goes through GDAL window by window (bounded memory): a first pass measures
     * each band's statistics (GdalPlaneStatistics: exact range and mean, sigma from sampled windows when
     * auto), then every window is solved with its band's statistics, as the in-memory tiles are.
     */
    void process(GdalFormat raster, Path in, Path out, ItemResult r) throws ImageFileException {
        ReconstructionSettings settings = run.settings();
        Reconstruction reconstruction = run.reconstruction();
        Progress progress = run.progress();
        Method method = reconstruction.effectiveMethod(settings);
        int scale = settings.scale();
        long t0 = System.nanoTime();
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(in, settings.noise(), progress.range(0, 0.05));
        double[] sigmas = planes.stream().mapToDouble(PlaneStatistics::sigma).toArray();
        Derivation derivation = Provenance.of(settings, method, reconstruction.network())
                .estimated(NoiseLevel.Estimate.PER_RASTER, sigmas).derivation();
        int halo = reconstruction.haloFor(settings);
        GdalTiledProcessing.run(in, out, (window, p) -> reconstruction.run(window, settings, planes, p).image(),
                derivation, GdalTiledProcessing.Settings.of(halo, scale), raster.writeOptions(),
                progress.range(0.05, 1));
        r.secondsSolve = BatchRun.seconds(t0);
        r.task = derivation.task();
        r.method = derivation.method();
        r.scale = scale;
        r.sigma = FileProcessor.sigmaSummary(sigmas);
    }
}
