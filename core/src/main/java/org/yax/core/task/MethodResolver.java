package org.yax.core.task;

import java.math.BigDecimal;
import java.util.Locale;
import org.yax.core.ReconstructionSettings;
import org.yax.core.solve.RestorationNetwork;

/**
 * The one place that decides which method runs: what {@code --method auto} stands for (the model's card via
 * {@link RestorationNetwork#preferredMethod}, else the task's default solver), that {@code --adapt N} makes auto
 * the network's head, and whether a stack of slices is solved as one volume (3-D TV) or slice by slice, and why.
 */
public final class MethodResolver {
    private MethodResolver() { }

    /** The method a front end puts into its settings: auto with test-time adaptation is the network's head. */
    public static Method requested(Method asked, int adaptSteps) {
        return adaptSteps > 0 && asked == Method.AUTO ? Method.NETWORK : asked;
    }

    /**
     * The method 2-D planes are solved with: auto is what the network's validation preferred for the task and
     * scale (its head, or plug-and-play with it), else the task's default solver.
     *
     * @param network the learned model, or null
     * @throws IllegalArgumentException when a learned method is asked for and cannot run
     */
    public static Method forPlanes(ReconstructionSettings settings, RestorationNetwork network) {
        Method m = settings.method();
        if (m == Method.CUBIC) {
            throw new IllegalArgumentException(ThroughPlaneRecipe.CUBIC_ONLY);
        }
        if (m == Method.AUTO) {
            Method preferred = network == null ? null : network.preferredMethod(settings.task(), settings.scale());
            m = preferred != null ? preferred : TaskRecipe.of(settings).defaultSolver();
        }
        if (m.isLearned() && network == null) {
            throw new IllegalArgumentException("method " + m.cliName() + " needs a learned model (--model)");
        }
        if (m == Method.NETWORK && !network.hasHead(settings.task(), settings.scale())) {
            throw new IllegalArgumentException("model " + network.name() + " has no head for " + settings.task().cliName()
                    + (settings.task() == Task.SUPER_RESOLUTION ? " x" + settings.scale() : "")
                    + ": use --method pnp (the model as a prior with the exact operator) or a classical method");
        }
        if (settings.adaptSteps() > 0 && m != Method.NETWORK) {
            throw new IllegalArgumentException("test-time adaptation applies to the network's direct head (method "
                    + "network), not to " + m.cliName());
        }
        return m;
    }

    /**
     * The method of the volume path: 3-D TV, whatever auto would pick for planes (3-D TV couples neighbouring
     * slices, which a 2-D network cannot; docs/MODELS.md: on the CT phantom series 3-D TV beat the network slice by
     * slice by ~5 dB).
     *
     * @throws IllegalArgumentException when the task or method cannot take the volume path
     */
    public static Method forVolume(ReconstructionSettings settings) {
        if (settings.task() != Task.DENOISE && settings.task() != Task.INPAINT) {
            throw new IllegalArgumentException("the volume path solves denoise and inpaint, not "
                    + settings.task().cliName() + " (super-resolution is in-plane: use run per slice)");
        }
        if (settings.method() != Method.TV && settings.method() != Method.AUTO) {
            throw new IllegalArgumentException("the volume path is 3-D TV; method " + settings.method().cliName()
                    + " runs per slice (run)");
        }
        return Method.TV;
    }

    /**
     * How one stack of slices is reconstructed.
     *
     * @param volume  as one volume (3-D TV) rather than slice by slice
     * @param how     for reports: "volume, N slices (3-D TV, z weight ...)" or "per slice, N slices (why)"
     * @param zWeight the weight of TV's differences along z (pixel / slice spacing); 0 per slice
     */
    public record StackPlan(boolean volume, String how, double zWeight) { }

    /**
     * Volume or per slice for a stack of {@code slices} equally spaced slices, from its headers.
     *
     * @param perSlice        the user asked for slice by slice (--per-slice)
     * @param samplesPerPixel 1 for grey images
     * @param sliceSpacingMm  distance between slices, or NaN / <= 0 when unknown
     * @param pixelSpacingMm  in-plane pixel spacing, or NaN / <= 0 when unknown
     */
    public static StackPlan forStack(ReconstructionSettings settings, boolean perSlice, int slices, int samplesPerPixel,
                                     double sliceSpacingMm, double pixelSpacingMm) {
        String perSliceBecause = volumeRule(settings, perSlice);
        if (perSliceBecause == null) {
            if (slices < 2) {
                perSliceBecause = "a single slice";
            } else if (samplesPerPixel != 1) {
                perSliceBecause = "colour (" + samplesPerPixel + " samples per pixel)";
            } else if (!(sliceSpacingMm > 0) || !(pixelSpacingMm > 0)) {
                perSliceBecause = "no slice positions or pixel spacing";
            }
        }
        if (perSliceBecause != null) {
            return new StackPlan(false, "per slice, " + slices + (slices == 1 ? " slice" : " slices") + " ("
                    + perSliceBecause + ")", 0);
        }
        double w = pixelSpacingMm / sliceSpacingMm;
        return new StackPlan(true, "volume, " + slices + " slices (3-D TV, z weight " + number(w) + " = "
                + number(pixelSpacingMm) + " mm pixels / " + number(sliceSpacingMm) + " mm slices)", w);
    }

    /** Why the settings rule out the volume path for any stack, or null when they allow it. */
    private static String volumeRule(ReconstructionSettings settings, boolean perSlice) {
        if (perSlice) {
            return "--per-slice";
        }
        if (settings.task() == Task.SUPER_RESOLUTION) {
            return "super-resolution is in-plane";
        }
        if (settings.task() != Task.DENOISE && settings.task() != Task.INPAINT) {
            return "the volume path solves denoise and inpaint; " + settings.task().cliName() + " is 2-D";
        }
        if (settings.method() != Method.TV && settings.method() != Method.AUTO) {
            return "the volume path is TV only";
        }
        return null;
    }

    /** 4 significant digits, no trailing zeros: 0.3, 0.9, 2.5. */
    private static String number(double v) {
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
