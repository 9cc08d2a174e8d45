package org.yax.plugins;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.yax.core.Evaluation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.task.Task;

/**
 * Evaluates methods on a clean ImagePlus as {@code yax eval} does: simulates y = A x + e, runs every method,
 * and tabulates PSNR, SSIM and time in ImageJ's Results table; optionally the simulated measurement and every
 * estimate as new images named after the clean one. The clean image is never changed.
 */
public final class ImageEvaluation {
    /** Columns: "image", "task", "method", then these numbers. */
    public static final String PSNR = "PSNR";
    public static final String SSIM = "SSIM";
    public static final String TIME = "time";
    public static final String SIGMA = "sigma";

    /** The images (empty unless asked for): the measurement first (none for MRI), then the estimates. */
    public record Outcome(List<Evaluation.Row> rows, List<ImagePlus> images) { }

    private ImageEvaluation() { }

    /** @throws Progress.CancelledException when {@code progress} reports cancellation */
    public static Outcome run(ImagePlus clean, Evaluation.Settings settings, boolean withImages, Progress progress) {
        Image truth = ImageConversion.toImage(clean, SourceProperties.source(clean));
        List<Evaluation.Row> rows;
        try (Reconstruction reconstruction = new Reconstruction()) {
            rows = new Evaluation(reconstruction).run(truth, settings, progress);
        }
        List<ImagePlus> images = new ArrayList<>();
        if (withImages) {
            String base = ImageReconstruction.baseTitle(clean.getTitle());
            Image measured = settings.task() == Task.MRI ? null : Evaluation.measurement(truth, settings);
            if (measured != null) {
                images.add(image(measured, base + "-measured", clean.getCalibration(), truth.width()));
            }
            for (Evaluation.Row row : rows) {
                Image estimate = row.estimate();
                // baselines that are the measurement itself ("noisy", "blurred") are not shown twice
                if (estimate != null && (measured == null || !Arrays.equals(estimate.pixels(), measured.pixels()))) {
                    images.add(image(estimate, base + "-" + row.method(), clean.getCalibration(), truth.width()));
                }
            }
        }
        return new Outcome(rows, images);
    }

    /**
     * Puts the rows into ImageJ's system "Results" table (replacing what it held) and shows it, as ImageJ's
     * measurement commands do, so a macro reads them with getResultString("method", i), getResult("PSNR", i)
     * and nResults; headless too.
     */
    public static ResultsTable publish(String imageTitle, Evaluation.Settings settings, List<Evaluation.Row> rows) {
        ResultsTable table = ResultsTable.getResultsTable();
        table.reset();
        for (Evaluation.Row row : rows) {
            table.incrementCounter();
            table.addValue("image", imageTitle);
            table.addValue("task", settings.task().cliName());
            table.addValue("method", row.method());
            table.addValue(PSNR, row.psnr());
            table.addValue(SSIM, row.ssim());
            table.addValue(TIME, row.seconds());
            table.addValue(SIGMA, row.sigma());
        }
        table.setDecimalPlaces(table.getColumnIndex(PSNR), 2);
        table.setDecimalPlaces(table.getColumnIndex(SSIM), 4);
        table.setDecimalPlaces(table.getColumnIndex(TIME), 3);
        table.show("Results");
        return table;
    }

    /** A float image on its own grid: the clean image's pixel size times how much coarser the grid is. */
    private static ImagePlus image(Image image, String title, Calibration clean, int cleanWidth) {
        Calibration cal = SourceCalibration.scaled(clean, 1);
        double coarser = (double) cleanWidth / image.width();
        cal.pixelWidth *= coarser;
        cal.pixelHeight *= coarser;
        return ImageConversion.toImagePlus(image, title, cal);
    }
}
