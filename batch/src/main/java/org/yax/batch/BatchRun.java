package org.yax.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.ThroughPlane;
import org.yax.io.ImageFormat;
import org.yax.io.RunStamp;

/**
 * What every item processor of one run shares: the recipe, where outputs go, what is already done, the engine
 * (null in a dry run) and the run's cancellation.
 *
 * @param parameterHash hash of everything that makes an output what it is; --resume redoes outputs made otherwise
 * @param methodNote    a note every done item carries (why auto fell back to a classical method), asked after each
 *                      item, since a model that auto loads on first use may fail then
 * @param progress      the solvers' progress: reports nothing, says whether the run was cancelled
 * @param stamp         the run's id and start: derived DICOM UIDs and creation times (same output, same bytes)
 * @param pictures      whether items make thumbnails for the HTML report (off with --no-html)
 */
record BatchRun(ReconstructionSettings settings, OutputPlan outputs, Path referenceRoot, boolean resume,
                boolean dryRun, boolean perSlice, List<ImageFormat> formats, long streamAbovePixels,
                String parameterHash, RestorationNetwork network, Supplier<String> methodNote,
                ResumeManifest manifest, Reconstruction reconstruction, Progress progress,
                RunStamp stamp, boolean pictures, ThroughPlane throughPlane) {
    static final String INTERRUPTED = "interrupted";

    boolean cancelled() {
        return progress.isCancelled();
    }

    static String joined(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    static Double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1000.0;
    }

    static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }
}
