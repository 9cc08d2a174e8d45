package org.yax.plugins;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.yax.core.Evaluation;
import org.yax.core.ReconstructionSettings;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Psf;
import org.yax.core.task.Method;
import org.yax.core.task.MethodResolver;
import org.yax.core.task.Task;

/** Parses the text values that dialogs and macros pass (shared by the SciJava and ImageJ 1 front ends). */
public final class Parameters {
    public static final String AUTO = "auto";
    /** Method choices in dialogs, as {@link Method#cliName()}: every method the core has, "auto" first. */
    /** Axes super-resolution refines: xy (in-plane), z (through the plane: a stack with a voxel depth), xyz. */
    public static final String[] AXES = Arrays.stream(org.yax.core.task.Axes.values())
            .map(org.yax.core.task.Axes::cliName).toArray(String[]::new);
    public static final String[] METHODS = Arrays.stream(Method.values()).map(Method::cliName).toArray(String[]::new);
    /** Tasks that image files can be reconstructed with (MRI needs k-space), as {@link Task#cliName()}. */
    public static final String[] TASKS = Arrays.stream(Task.values()).filter(t -> t != Task.MRI).map(Task::cliName)
            .toArray(String[]::new);
    /** Tasks {@code Evaluate} simulates, as {@link Task#cliName()}. */
    public static final String[] EVALUATION_TASKS = Arrays.stream(Task.values()).map(Task::cliName)
            .toArray(String[]::new);
    /** The PSF dialogs suggest; the label's help text lists the other forms. */
    public static final String DEFAULT_PSF = "gaussian:1.5";
    /** What a PSF field accepts, for labels and errors. */
    public static final String PSF_FORMS = "gaussian:SIGMA, box:SIZE, motion:LENGTH:ANGLE or file:PATH";

    private Parameters() { }

    public static Method method(String text) {
        return Method.fromName(text == null || text.isBlank() ? AUTO : text.trim().toLowerCase(Locale.ROOT));
    }

    public static Task task(String text) {
        return Task.fromName(text == null ? "" : text.trim());
    }

    /** A PSF spec ({@link Psf#parse}); a blank one is an error that says what to write. */
    public static Psf psf(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("deblurring needs a psf: " + PSF_FORMS + " (e.g. " + DEFAULT_PSF + ")");
        }
        return Psf.parse(text);
    }

    /** The scale a task uses: the given factor for super-resolution, 1 otherwise. */
    public static int scaleFor(Task task, int scale) {
        return task == Task.SUPER_RESOLUTION ? scale : 1;
    }

    /**
     * Evaluation settings from a dialog's or macro's values, as {@code yax eval} takes them: sigma in image
     * units or as a percentage of the image's data range ("10%"); blank sigma is the task's default (denoise
     * 10%, deblur and mri 1%, otherwise 0); blank methods are all of the task's; fields a task does not use
     * are ignored.
     */
    public static Evaluation.Settings evaluation(Task task, String sigma, int scale, double missing, int acceleration,
                                                 String psf, long seed, String methods, boolean estimateSigma) {
        String sd = sigma == null || sigma.isBlank() ? switch (task) {
            case DENOISE -> "10%";
            case DEBLUR, MRI -> "1%";
            default -> "0";
        } : sigma.trim();
        boolean fraction = sd.endsWith("%");
        double value;
        try {
            value = Double.parseDouble((fraction ? sd.substring(0, sd.length() - 1) : sd).trim().replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sigma must be a number in image units or a percentage such as 10%, got '"
                    + sigma + "'");
        }
        List<String> chosen = methods == null || methods.isBlank() ? Evaluation.classicalMethodsFor(task)
                : Arrays.stream(methods.split("[,\\s]+")).filter(m -> !m.isEmpty())
                        .map(m -> m.toLowerCase(Locale.ROOT)).toList();
        if (task == Task.MRI && (acceleration < 2 || acceleration > 8)) {
            throw new IllegalArgumentException("acceleration must be between 2 and 8, got " + acceleration);
        }
        return new Evaluation.Settings(task, fraction ? value / 100 : value, fraction, scaleFor(task, scale), missing,
                acceleration, seed, chosen, task == Task.DEBLUR ? psf(psf) : null, 0, estimateSigma);
    }

    /**
     * Settings from a dialog's or macro's values; fields that do not apply to the task (scale outside
     * super-resolution, psf outside deblurring) are ignored, so one dialog serves every task.
     */
    public static ReconstructionSettings settings(Task task, int scale, String sigma, String method, String psf) {
        return settings(task, scale, sigma, method, psf, 0);
    }

    /**
     * With test-time adaptation: {@code adapt} self-supervised steps of the network on the image first
     * (auto then means the network's head, whose adaptation it is).
     */
    public static ReconstructionSettings settings(Task task, int scale, String sigma, String method, String psf,
                                                  int adapt) {
        return new ReconstructionSettings(task, scaleFor(task, scale), NoiseLevel.parse(sigma),
                MethodResolver.requested(method(method), adapt),
                task == Task.DEBLUR ? psf(psf) : null, adapt);
    }
}
