package org.yax.plugins;

import ij.ImagePlus;
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
