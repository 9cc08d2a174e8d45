package org.yax.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.yax.batch.Discovery;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;
import org.yax.batch.Report;
import org.yax.core.Evaluation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.task.Task;
import org.yax.io.Formats;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;
import org.yax.models.ModelChoice;
import org.yax.models.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yax eval CLEAN...}: simulate y = A x + e from clean images and score every method on it. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates measurements y = A x + e from clean images with the same operators that "
                + "reconstruct inverts, runs each method and prints PSNR (dB), SSIM and time per image and method."},
        footer = {"", "Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 some inputs failed (the rest done)."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CLEAN", arity = "1..*", description = "Clean images: files or folders (recursive).")
    List<Path> inputs;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "denoise",
            description = "denoise | sr | inpaint | deblur | mri | sr-z (through-plane: CLEAN are DICOM series of "
                    + "thin slices; thick ones are simulated along the normal) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--slice-profile", paramLabel = "box|gaussian", defaultValue = "box",
            description = "Slice profile of --task sr-z (default: ${DEFAULT-VALUE}).")
    String sliceProfile;

    @Mixin
    PsfOption psf;

    @Option(names = "--sigma", paramLabel = "S|P%",
            description = "Gaussian noise standard deviation: in image units, or a percentage of each image's data "
                    + "range (default: denoise 10%%, mri and deblur 1%%, sr and inpaint 0).")
    String sigma;

    @Option(names = "--estimate-sigma",
            description = "The solvers estimate the noise from each simulated measurement, as yax reconstruct's "
                    + "default --sigma auto does, instead of being told --sigma: scores as users run the methods "
                    + "(not for mri).")
    boolean estimateSigma;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "2", description = "Factor for --task sr (default 2).")
    int scale;

    @Option(names = "--acceleration", paramLabel = "R", defaultValue = "4",
            description = "MRI undersampling factor, 2..8: variable-density random phase-encode lines with a fully "
                    + "sampled centre (default: ${DEFAULT-VALUE}).")
    int acceleration;

    @Option(names = "--missing", paramLabel = "F", defaultValue = "0.5",
            description = "Share of pixels removed for --task inpaint (default: ${DEFAULT-VALUE}).")
    double missing;

    @Option(names = "--methods", paramLabel = "a,b,...", split = ",",
            description = "Methods and baselines to run; the task's naive baseline (noisy, bicubic, filled, blurred, "
                    + "zero-filled) always runs first (default: all for the task: denoise noisy,tikhonov,tv,nlm; "
                    + "sr nearest,bicubic,tikhonov,tv; inpaint filled,tikhonov,tv; deblur blurred,tikhonov,tv; "
                    + "mri zero-filled,tikhonov,tv; then, unless --model none, network,pnp,adapted (deblur, mri: pnp)).")
    List<String> methods;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0", description = "Seed of the simulated noise.")
    long seed;

    @Option(names = "--model", paramLabel = "NAME|PATH|none", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "Learned model for the methods network, pnp and adapted (default: ${DEFAULT-VALUE}; "
                    + "none: classical methods only).")
    String model;

    @Option(names = "--adapt", paramLabel = "N", defaultValue = "20",
            description = "Self-supervised steps of the method 'adapted' (default: ${DEFAULT-VALUE}).")
    int adapt;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv", description = "Also write the rows as a report.")
    Path reportFile;

    @Override
    public Integer call() throws IOException {
        if ("sr-z".equalsIgnoreCase(task.trim())) {
            return ThroughPlaneEval.run(inputs, scale, sliceProfile, methods, model, adapt, reportFile,
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        Evaluation.Settings settings = settings();
        if (reportFile != null && !Report.isSupported(reportFile)) {
            throw new Yax.UsageException("--report must end in .json or .csv, got " + reportFile);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        List<ItemResult> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "%-36s %-12s %9s %7s %9s%n", "image", "method", "PSNR(dB)", "SSIM", "time(s)");
        boolean learned = settings.methods().stream().anyMatch(m -> Evaluation.learnedMethodsFor(settings.task()).contains(m));
        try (ModelChoice choice = learned ? loadModel()
                : ModelChoice.none();
             Reconstruction reconstruction = new Reconstruction().withNetwork(choice.model())) {
            Evaluation evaluation = new Evaluation(reconstruction);
            for (Item item : Discovery.find(inputs)) {
                rows.addAll(evaluate(item, evaluation, settings, out, err));
            }
        }
        return finish(rows, start, reportFile, out, err);
    }

    /** Writes the report of an evaluation that started at {@code start} (nanoTime), prints its summary; the exit code. */
    static int finish(List<ItemResult> rows, long start, Path reportFile, PrintWriter out, PrintWriter err)
            throws IOException {
        Report report = new Report(rows, (System.nanoTime() - start) / 1e9);
        if (reportFile != null) {
            report.write(reportFile);
        }
        out.flush();
        err.println("yax eval: " + report.summary());
        err.flush();
        return report.count(ItemResult.Status.failed) > 0 ? Yax.EXIT_PARTIAL : Yax.EXIT_OK;
    }

    private List<ItemResult> evaluate(Item item, Evaluation evaluation, Evaluation.Settings settings, PrintWriter out,
                                      PrintWriter err) {
        ItemResult failed = new ItemResult();
        failed.input = item.input().toString();
        failed.task = settings.task().cliName();
        try {
            Optional<ImageFormat> format = Formats.detect(item.input());
            if (format.isEmpty()) {
                if (!item.explicit()) {
                    return List.of(); // files in folders that are not images are not clean images either
                }
                throw new ImageFileException(item.input(), "not a DICOM file or a raster GDAL can read");
            }
            Image clean = format.get().read(item.input());
            List<ItemResult> rows = new ArrayList<>();
            Double baseline = null;
            for (Evaluation.Row row : evaluation.run(clean, settings, Progress.NONE)) {
                out.printf(Locale.ROOT, "%-36s %-12s %9.2f %7.4f %9.3f%n", shorten(item.relative().toString()),
                        row.method(), row.psnr(), row.ssim(), row.seconds());
                ItemResult r = new ItemResult();
                r.input = item.input().toString();
                r.format = format.get().name();
                r.status = ItemResult.Status.done;
                r.task = settings.task().cliName();
                r.method = row.method();
                r.scale = settings.scale();
                r.sigma = String.format(Locale.ROOT, "%.4g", row.sigma());
                r.secondsSolve = Math.round(row.seconds() * 1000) / 1000.0;
                r.psnrAfter = Math.round(row.psnr() * 10000) / 10000.0;
                r.ssimAfter = Math.round(row.ssim() * 10000) / 10000.0;
                baseline = baseline == null ? r.psnrAfter : baseline;
                r.psnrBefore = baseline;
                rows.add(r);
            }
            out.flush();
            return rows;
        } catch (ImageFileException e) {
            return List.of(fail(failed, e.reason(), err));
        } catch (IllegalArgumentException e) {
            return List.of(fail(failed, Yax.oneLine(e), err));
        } catch (RuntimeException e) {
            return List.of(fail(failed, e.getClass().getSimpleName() + ": " + Yax.oneLine(e), err));
        }
    }

    private ModelChoice loadModel() {
        try {
            return ModelChoice.of(model, org.yax.core.task.Method.AUTO, true);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
    }

    private static ItemResult fail(ItemResult r, String reason, PrintWriter err) {
        r.status = ItemResult.Status.failed;
        r.reason = reason;
        err.println("yax eval: FAILED " + r.input + ": " + reason);
        err.flush();
        return r;
    }

    private static String shorten(String s) {
        return s.length() <= 36 ? s : "..." + s.substring(s.length() - 33);
    }

    private Evaluation.Settings settings() {
        try {
            Task t = Task.fromName(task);
            if (t == Task.SUPER_RESOLUTION && (scale < 2 || scale > 8)) {
                throw new Yax.UsageException("--scale must be between 2 and 8 for super-resolution, got " + scale);
            }
            String sd = sigma != null ? sigma.trim() : switch (t) {
                case DENOISE -> "10%";
                case MRI, DEBLUR -> "1%";
                case SUPER_RESOLUTION, INPAINT -> "0";
            };
            boolean fraction = sd.endsWith("%");
            double value;
            try {
                value = Double.parseDouble(fraction ? sd.substring(0, sd.length() - 1) : sd);
            } catch (NumberFormatException e) {
                throw new Yax.UsageException("--sigma must be a number or a percentage, got '" + sigma + "'");
            }
            List<String> defaults = ModelChoice.NONE.equalsIgnoreCase(model) ? Evaluation.classicalMethodsFor(t)
                    : Evaluation.methodsFor(t);
            List<String> chosen = methods == null ? defaults
                    : Arrays.stream(methods.toArray(String[]::new)).map(m -> m.trim().toLowerCase(Locale.ROOT)).toList();
            if (t == Task.MRI && (acceleration < 2 || acceleration > 8)) {
                throw new Yax.UsageException("--acceleration must be between 2 and 8, got " + acceleration);
            }
            psf.checkFor(t, task);
            return new Evaluation.Settings(t, fraction ? value / 100 : value, fraction,
                    t == Task.SUPER_RESOLUTION ? scale : 1, missing, acceleration, seed, chosen,
                    psf.parse(), adapt, estimateSigma);
        } catch (IllegalArgumentException e) {
            throw new Yax.UsageException(e.getMessage());
        }
    }
}
