package org.yax.plugins;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yax.core.Provenance;
import org.yax.core.SliceStack;
import org.yax.core.ThroughPlaneReconstruction;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.Interpolation;
import org.yax.core.task.Axes;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.SourceMetadata;
import org.yax.core.task.Task;
import org.yax.models.ModelChoice;
import org.yax.models.ModelRegistry;

/** Reconstructs an ImagePlus into a new one; the input is never changed. */
public final class ImageReconstruction {
    private ImageReconstruction() { }

    /**
     * @return a new float ImagePlus titled after the input (e.g. "CT_small-denoised") with the input's
     *         calibration (pixel size divided by the scale), source metadata, header text and derivation
     * @throws Progress.CancelledException when {@code progress} reports cancellation
     */
    public static ImagePlus run(ImagePlus input, ReconstructionSettings settings, Progress progress) {
        return run(input, settings, ModelRegistry.DEFAULT_MODEL, progress);
    }

    /**
     * As {@link #run(ImagePlus, ReconstructionSettings, Progress)} with a learned model for the network, pnp and
     * auto methods: a built-in name, a model file, or "none".
     *
     * @throws IllegalArgumentException when a learned method is asked for and the model cannot be loaded
     */
    public static ImagePlus run(ImagePlus input, ReconstructionSettings settings, String model, Progress progress) {
        return run(input, settings, model, Axes.XY, progress);
    }

    /**
     * As above; with {@code axes} z or xyz (task sr) a stack with a voxel depth is refined through the plane: scale
     * times as many slices, voxel depth divided by the scale (xyz: each slice then refined in-plane too). The slice
     * profile is a box as wide as the voxel depth (an ImagePlus has no slice thickness).
     *
     * @throws IllegalArgumentException with the reason when the image cannot be refined along z
     */
    public static ImagePlus run(ImagePlus input, ReconstructionSettings settings, String model, Axes axes,
                                Progress progress) {
        if (axes.throughPlane()) {
            return throughPlane(input, settings, model, axes, progress);
        }
        SourceMetadata source = SourceProperties.source(input);
        Image image = ImageConversion.toImage(input, source);
        Reconstruction.Result result;
        try (ModelChoice choice = ModelChoice.of(model, settings.method(), settings.task(), settings.scale());
             Reconstruction reconstruction = new Reconstruction().withNetwork(choice.model())) {
            if (choice.note() != null) {
                ij.IJ.log("yax: " + choice.note());
            }
            result = reconstruction.run(image, settings, progress);
        }
        Derivation derivation = chain(SourceProperties.derivation(input), result.derivation());
        ImagePlus output = ImageConversion.toImagePlus(result.image(), outputTitle(input.getTitle(), settings.task()),
                SourceCalibration.scaled(input.getCalibration(), settings.scale()));
        String info = input.getInfoProperty();
        String provenance = "yax: " + derivation.describe();
        SourceProperties.attach(output, source, derivation, info == null ? provenance : info + provenance + "\n");
        return output;
    }

    private static ImagePlus throughPlane(ImagePlus input, ReconstructionSettings settings, String model, Axes axes,
                                          Progress progress) {
        if (settings.task() != Task.SUPER_RESOLUTION) {
            throw new IllegalArgumentException("axes " + axes.cliName() + " applies to super-resolution, not "
                    + settings.task().cliName());
        }
        Calibration cal = input.getCalibration();
        if (input.getNChannels() != 1 || input.getNFrames() != 1) {
            throw new IllegalArgumentException("axes " + axes.cliName() + " needs one channel and one time point, "
                    + "got " + input.getNChannels() + " channels and " + input.getNFrames() + " frames");
        }
        if (input.getNSlices() < 2) {
            throw new IllegalArgumentException("a single slice has no through-plane direction to refine");
        }
        if (!cal.scaled() || !(cal.pixelDepth > 0)) {
            throw new IllegalArgumentException("the stack has no voxel depth (Image>Properties): the slice spacing "
                    + "is unknown");
        }
        Image image = ImageConversion.toImage(input, null);
        int h = image.height();
        int w = image.width();
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(settings.scale(), SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(cal.pixelDepth, cal.pixelDepth, (cal.pixelWidth + cal.pixelHeight) / 2));
        SliceStack stack = new SliceStack() {
            @Override public int depth() { return image.depth(); }
            @Override public int height() { return h; }
            @Override public int width() { return w; }
            @Override public float[] slice(int z) { return image.plane(0, z); }
        };
        int inPlane = axes.inPlane() ? settings.scale() : 1;
        int fine = image.depth() * settings.scale();
        float[] out = new float[fine * h * inPlane * w * inPlane];
        Method method;
        Path scratch = null;
        try (ModelChoice choice = ModelChoice.ofThroughPlane(model, settings.method());
             Reconstruction reconstruction = new Reconstruction().withNetwork(choice.model())) {
            method = ThroughPlaneRecipe.method(settings.method(), choice.model(), settings.adaptSteps());
            scratch = Files.createTempDirectory("yax-sr-z");
            int plane = h * inPlane * w * inPlane;
            ThroughPlaneReconstruction.run(stack, recipe, method, settings.noise(), choice.model(),
                    settings.adaptSteps(), scratch, (j, px) -> {
                        float[] slice = px;
                        if (inPlane > 1) {
                            slice = method == Method.CUBIC ? Interpolation.bicubic(px, h, w, inPlane)
                                    : reconstruction.run(new Image(px, 1, 1, h, w, null), new ReconstructionSettings(
                                            settings.task(), inPlane, settings.noise(), method == Method.NETWORK
                                            && !choice.model().hasHead(settings.task(), inPlane) ? Method.PNP : method,
                                            null, 0), Progress.NONE).image().pixels();
                        }
                        System.arraycopy(slice, 0, out, j * plane, plane);
                    }, progress);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (java.io.IOException ignored) {
                    // an empty temporary folder left behind is harmless
                }
            }
        }
        Derivation derivation = chain(SourceProperties.derivation(input),
                Provenance.throughPlane(settings, axes, recipe, method, null).derivation());
        Calibration outCal = SourceCalibration.scaled(cal, inPlane);
        outCal.pixelDepth = cal.pixelDepth / settings.scale();
        ImagePlus output = ImageConversion.toImagePlus(new Image(out, 1, fine, h * inPlane, w * inPlane, null),
                outputTitle(input.getTitle(), settings.task()), outCal);
        String info = input.getInfoProperty();
        String provenance = "yax: " + derivation.describe();
        // no source metadata: the slices are new, so a DICOM writer has no one source header per slice
        SourceProperties.attach(output, null, derivation, info == null ? provenance : info + provenance + "\n");
        return output;
    }

    /** "CT_small.dcm" -> "CT_small-denoised". */
    public static String outputTitle(String inputTitle, Task task) {
        return baseTitle(inputTitle) + "-" + switch (task) {
            case DENOISE -> "denoised";
            case SUPER_RESOLUTION -> "superresolved";
            case INPAINT -> "inpainted";
            case DEBLUR -> "deblurred";
            default -> task.cliName(); // tasks added to the core later
        };
    }

    /** The title without a file extension: "CT_small.dcm" -> "CT_small"; "image" for none. */
    public static String baseTitle(String inputTitle) {
        String base = inputTitle == null || inputTitle.isEmpty() ? "image" : inputTitle;
        int dot = base.lastIndexOf('.');
        return dot > 0 && base.length() - dot <= 5 ? base.substring(0, dot) : base;
    }

    /** A second reconstruction of a result: the writer needs the total scale and both steps' provenance. */
    static Derivation chain(Derivation previous, Derivation next) {
        if (previous == null) {
            return next;
        }
        Map<String, String> params = new LinkedHashMap<>(next.parameters());
        params.put("after", previous.describe());
        return new Derivation(previous.task() + "+" + next.task(), next.method(), previous.scale() * next.scale(),
                params, next.softwareVersion());
    }
}
