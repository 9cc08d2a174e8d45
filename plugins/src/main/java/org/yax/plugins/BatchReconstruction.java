package org.yax.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.io.Formats;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;

/**
 * Reconstructs every DICOM file and GDAL raster directly inside a folder into another folder (same file
 * names where the format allows); one bad file does not stop the others.
 */
public final class BatchReconstruction {
    public enum Status { WRITTEN, SKIPPED, FAILED }

    /** What happened to one file of the input folder; {@code message} says why for SKIPPED/FAILED. */
    public record Outcome(Path input, Path output, Status status, String message) { }

    private BatchReconstruction() { }

    public static List<Outcome> run(Path inputDir, Path outputDir, ReconstructionSettings settings, Progress progress)
            throws IOException {
        if (!Files.isDirectory(inputDir)) {
            throw new ImageFileException(inputDir, "not a folder");
        }
        Files.createDirectories(outputDir);
        if (Files.isSameFile(inputDir, outputDir)) {
            throw new ImageFileException(outputDir, "the output folder is the input folder; inputs are never overwritten");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(inputDir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<Outcome> outcomes = new ArrayList<>();
        try (Reconstruction reconstruction = new Reconstruction()) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Progress fileProgress = progress.range((double) i / files.size(), (double) (i + 1) / files.size());
                fileProgress.report(0, file.getFileName().toString());
                progress.checkCancelled();
                outcomes.add(one(reconstruction, file, outputDir, settings, fileProgress));
            }
        }
        progress.report(1, "done: " + files.size() + " file(s)");
        return outcomes;
    }

    private static Outcome one(Reconstruction reconstruction, Path file, Path outputDir, ReconstructionSettings settings,
                               Progress progress) {
        Optional<ImageFormat> format = Formats.detect(file);
        if (format.isEmpty()) {
            return new Outcome(file, null, Status.SKIPPED, "not a DICOM file or a raster GDAL can read");
        }
        Path target = outputDir.resolve(format.get().outputFileName(file.getFileName().toString()));
        try {
            Image image = format.get().read(file);
            Reconstruction.Result result = reconstruction.run(image, settings, progress);
            format.get().write(result.image(), result.derivation(), target);
            return new Outcome(file, target, Status.WRITTEN, result.derivation().describe());
        } catch (ImageFileException e) {
            return new Outcome(file, target, Status.FAILED, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Outcome(file, target, Status.FAILED, file + ": " + e.getMessage());
        }
    }

    /** One line per file, e.g. for ImageJ's Log window. */
    public static String describe(Outcome o) {
        return switch (o.status()) {
            case WRITTEN -> "written " + o.output() + " (" + o.message() + ")";
            case SKIPPED -> "skipped " + o.input() + ": " + o.message();
            case FAILED -> "FAILED " + o.message();
        };
    }
}
