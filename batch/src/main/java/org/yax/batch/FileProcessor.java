package org.yax.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.yax.batch.html.ItemPictures;
import org.yax.batch.html.Thumbnails;
import org.yax.core.Image;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.metric.ImageQuality;
import org.yax.io.Formats;
import org.yax.io.ImageFileException;
import org.yax.io.ImageFormat;
import org.yax.io.dicom.DicomFormat;
import org.yax.io.dicom.DicomHeaders;
import org.yax.io.gdal.GdalFormat;

/**
 * A single-file item: checked (links, empty, unreadable, not an image), its output claimed, skipped when resume
 * finds it done, then read, reconstructed and written; a raster whose result is larger than the streaming
 * threshold goes through GDAL window by window instead (bounded memory).
 */
final class FileProcessor {
    /** Extensions of files that claim to be images: if no format can read them, that is a failure, not a skip. */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("dcm", "dicom", "ima", "tif", "tiff", "gtiff", "png",
            "jpg", "jpeg", "jp2", "img", "hdr", "vrt", "nc", "h5", "hdf", "bil", "bsq", "asc");

    private final BatchRun run;

    FileProcessor(BatchRun run) {
        this.run = run;
    }

    ItemResult process(Item item) {
        ItemResult r = ItemResult.of(item);
        long t0 = System.nanoTime();
        try {
            return processChecked(item, r);
        } catch (Exception | OutOfMemoryError e) {
            if (Failures.isCancel(e)) {
                r.output = null;
                return r.skip(BatchRun.INTERRUPTED);
            }
            return r.fail(Failures.reason(e));
        } finally {
            r.secondsTotal = BatchRun.seconds(t0);
        }
    }

    private ItemResult processChecked(Item item, ItemResult r) throws IOException {
        Path in = item.input();
        if (Files.isSymbolicLink(in) && !item.explicit()) {
            // links found in folders are not followed: a link loop or a link out of the archive stays out
            return r.skip("symbolic link (not followed)");
        }
        if (!Files.exists(in)) {
            return r.fail("no such file or folder");
        }
        if (!Files.isRegularFile(in)) {
            return r.fail("not a regular file");
        }
        if (!Files.isReadable(in)) {
            return r.fail("permission denied (cannot read)");
        }
        if (Files.size(in) == 0) {
            return r.fail("empty file");
        }
        Optional<ImageFormat> detected = Formats.detect(in, run.formats());
        if (detected.isEmpty()) {
            return item.explicit() || claimsToBeImage(in)
                    ? r.fail("not a DICOM file or a raster GDAL can read")
                    : r.skip("not an image (neither DICOM nor a GDAL raster)");
        }
        ImageFormat format = detected.get();
        r.format = format.name();
        Path relativeOut = OutputPlan.relative(item, format);
        Path out = run.outputs().root().resolve(relativeOut);
        r.output = out.toString();
        String clash = run.outputs().claim(out, in);
        if (clash != null) {
            return r.fail(clash);
        }
        String inputSha = ResumeManifest.sha256(in);
        String duplicate = run.outputs().noteDuplicate(inputSha, in);
        if (run.resume() && run.manifest().isDone(relativeOut.toString(), inputSha, run.parameterHash(), out)) {
            return r.skip("already done with the same input and parameters (--resume)");
        }
        if (run.dryRun()) {
            String nonImage = nonImageDicom(format, in); // header only, stops before pixel data
            if (nonImage != null) {
                r.output = null;
                return r.skip(nonImage);
            }
            r.status = ItemResult.Status.planned;
            r.reason = BatchRun.joined(BatchRun.joined(item.note(), duplicate), run.methodNote().get());
            return r;
        }
        ReconstructionSettings settings = run.settings();
        if (format instanceof GdalFormat raster
                && raster.pixelsPerBand(in) * settings.scale() * settings.scale() > run.streamAbovePixels()) {
            new StreamedRasterProcessor(run).process(raster, in, run.outputs().writePath(out), r);
            run.manifest().markDone(relativeOut.toString(), inputSha, run.parameterHash());
            if (run.pictures()) {
                r.pictures = new ItemPictures(List.of(), 0, "no thumbnails: " + StreamedRasterProcessor.STREAMED
                        + ", its pixels are never held whole");
            }
            r.reason = BatchRun.joined(duplicate == null ? StreamedRasterProcessor.STREAMED : StreamedRasterProcessor.STREAMED + "; " + duplicate,
                    run.methodNote().get());
            r.status = ItemResult.Status.done;
            return r;
        }

        long tRead = System.nanoTime();
        Image input;
        try {
            input = format.read(in);
        } catch (ImageFileException e) {
            String nonImage = nonImageDicom(format, in);
            if (nonImage != null) {
                r.output = null;
                return r.skip(nonImage);
            }
            throw e;
        }
        r.secondsRead = BatchRun.seconds(tRead);
        long tSolve = System.nanoTime();
        Reconstruction.Result result = run.reconstruction().run(input, settings, run.progress());
        r.secondsSolve = BatchRun.seconds(tSolve);
        if (run.cancelled()) {
            r.output = null;
            return r.skip(BatchRun.INTERRUPTED); // solved but not written: the next resume redoes it
        }
        long tWrite = System.nanoTime();
        format.write(result.image(), result.derivation(), run.outputs().writePath(out), run.stamp(),
                run.outputs().key(out));
        r.secondsWrite = BatchRun.seconds(tWrite);
        run.manifest().markDone(relativeOut.toString(), inputSha, run.parameterHash());
        r.reason = BatchRun.joined(BatchRun.joined(item.note(), duplicate), run.methodNote().get());
        r.task = result.derivation().task();
        r.method = result.derivation().method();
        r.scale = result.derivation().scale();
        r.sigma = sigmaSummary(result.sigmas());
        r.iterations = result.iterations();
        compareWithReference(item, format, input, result.image(), r);
        if (run.pictures()) {
            r.pictures = pictures(input, result.image());
        }
        r.status = ItemResult.Status.done;
        return r;
    }

    private void compareWithReference(Item item, ImageFormat format, Image input, Image output, ItemResult r) {
        if (run.referenceRoot() == null) {
            return;
        }
        Path ref = run.referenceRoot().resolve(item.relative().toString());
        if (!Files.isRegularFile(ref)) {
            return;
        }
        try {
            Image truth = format.read(ref);
            double[] before = ImageQuality.measure(truth, input);
            double[] after = ImageQuality.measure(truth, output);
            if (before != null) {
                r.psnrBefore = BatchRun.round(before[0]);
                r.ssimBefore = BatchRun.round(before[1]);
            }
            if (after != null) {
                r.psnrAfter = BatchRun.round(after[0]);
                r.ssimAfter = BatchRun.round(after[1]);
            }
        } catch (ImageFileException e) {
            r.reason = "reference not readable: " + e.reason();
        }
    }

    /** The item's thumbnails; a picture that cannot be made is a note on the page, never a failed item. */
    static ItemPictures pictures(Image input, Image output) {
        try {
            return Thumbnails.of(input, output);
        } catch (RuntimeException e) {
            return new ItemPictures(List.of(), 0, "no thumbnails: " + Failures.internal(e));
        }
    }

    private static boolean claimsToBeImage(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * A DICOM object that is not an image (RT Plan, Structure Set, SR, a DICOMDIR media directory): a skip with a
     * note, not a failure.
     */
    private static String nonImageDicom(ImageFormat format, Path in) {
        return DicomFormat.NAME.equalsIgnoreCase(format.name()) ? DicomHeaders.nonImageReason(in) : null;
    }

    static String sigmaSummary(double[] sigmas) {
        List<String> parts = new ArrayList<>();
        for (double s : sigmas) {
            parts.add(String.format(Locale.ROOT, "%.4g", s));
        }
        return String.join(";", parts);
    }
}
