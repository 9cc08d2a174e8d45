package org.yax.core;

import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Psf;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * What to reconstruct and how.
 *
 * @param task   the forward model
 * @param scale  in-plane upscaling factor for super-resolution (1 for other tasks)
 * @param noise  standard deviation of the additive noise in the image's own units, or {@link NoiseLevel#AUTO}
 *               to estimate it from the data
 * @param method solver choice
 * @param psf    the point-spread function of {@link Task#DEBLUR} (required there, null for other tasks)
 * @param adaptSteps self-supervised test-time adaptation steps of a learned network on each plane before it
 *               is used (0: the network as shipped); only with the network method
 */
public record ReconstructionSettings(Task task, int scale, NoiseLevel noise, Method method, Psf psf, int adaptSteps) {
    /** Settings of a task with a PSF (deblur) or without (null), without test-time adaptation. */
    public ReconstructionSettings(Task task, int scale, NoiseLevel noise, Method method, Psf psf) {
        this(task, scale, noise, method, psf, 0);
    }

    /** Settings of a task without a PSF (every task but deblur), with test-time adaptation steps. */
    public ReconstructionSettings(Task task, int scale, NoiseLevel noise, Method method, int adaptSteps) {
        this(task, scale, noise, method, null, adaptSteps);
    }

    public ReconstructionSettings {
        if (adaptSteps < 0) {
            throw new IllegalArgumentException("adaptation steps must be >= 0, got " + adaptSteps);
        }
        if (task == null || method == null || noise == null) {
            throw new IllegalArgumentException("task, noise level and method are required");
        }
        if (task == Task.SUPER_RESOLUTION ? scale < 2 || scale > 8 : scale != 1) {
            throw new IllegalArgumentException(task == Task.SUPER_RESOLUTION
                    ? "scale must be between 2 and 8 for super-resolution, got " + scale
                    : "scale must be 1 for task " + task.cliName() + ", got " + scale);
        }
        if (method == Method.NLM && task != Task.DENOISE) {
            throw new IllegalArgumentException("method nlm is a denoiser: it applies to task denoise only, not "
                    + task.cliName());
        }
        if (task == Task.DEBLUR && psf == null) {
            throw new IllegalArgumentException("task deblur needs a psf (e.g. gaussian:1.5, box:5, motion:9:30, "
                    + "file:PATH)");
        }
        if (task != Task.DEBLUR && psf != null) {
            throw new IllegalArgumentException("a psf applies to task deblur only, not " + task.cliName());
        }
    }

    /** Settings of a task without a PSF (every task but deblur). */
    public ReconstructionSettings(Task task, int scale, NoiseLevel noise, Method method) {
        this(task, scale, noise, method, null, 0);
    }
}
