package org.yax.core.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How x is estimated from y = A x + e. */
public enum Method {
    /**
     * The best available method for the task: the network's direct head when a network with one is
     * loaded, else plug-and-play with that network, else TV.
     */
    AUTO,
    /** Total-variation regularised least squares (PDHG). */
    TV,
    /** Smoothness-regularised least squares (conjugate gradients). */
    TIKHONOV,
    /** Non-local means (fast integral-image form, as scikit-image's); a denoiser, so for the denoise task only. */
    NLM,
    /** The learned network's direct head for the task (denoise, sr x2/x4, inpaint). */
    NETWORK,
    /** Plug-and-play half-quadratic splitting: the exact operator A with the learned denoiser as the prior. */
    PNP,
    /** Cubic B-spline interpolation along z: the through-plane baseline (super-resolution with --axes z only). */
    CUBIC;

    /** Whether the method needs a learned network. */
    public boolean isLearned() {
        return this == NETWORK || this == PNP;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Method fromName(String name) {
        for (Method m : values()) {
            if (m.cliName().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "' (available: " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Method::cliName).collect(Collectors.joining(", "));
    }
}
