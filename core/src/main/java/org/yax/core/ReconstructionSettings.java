package org.yax.core;

import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * What to reconstruct and how.
 *
 * @param task   the forward model
 * @param scale  in-plane upscaling factor for super-resolution (1 for other tasks)
 * @param sigma  standard deviation of the additive noise in the image's own units, or null to estimate
 *               it from the data (per plane)
 * @param method solver choice
 * @param adaptSteps self-supervised test-time adaptation steps of a learned network on each plane before it
 *               is used (0: the network as shipped); only with a learned method
 */
public record ReconstructionSettings(Task task, int scale, Double sigma, Method method, int adaptSteps) {
    public ReconstructionSettings(Task task, int scale, Double sigma, Method method) {
        this(task, scale, sigma, method, 0);
    }

    public ReconstructionSettings {
        if (adaptSteps < 0) {
            throw new IllegalArgumentException("adaptation steps must be >= 0, got " + adaptSteps);
        }
        if (task == null || method == null) {
            throw new IllegalArgumentException("task and method are required");
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
        if (sigma != null && (!(sigma >= 0) || sigma.isInfinite())) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0 (or auto), got " + sigma);
        }
    }
}
