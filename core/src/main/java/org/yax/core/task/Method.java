package org.yax.core.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How x is estimated from y = A x + e. */
public enum Method {
    /** The best available method for the task (currently TV). */
    AUTO,
    /** Total-variation regularised least squares (PDHG). */
    TV,
    /** Smoothness-regularised least squares (conjugate gradients). */
    TIKHONOV,
    /** Non-local means (fast integral-image form, as scikit-image's); a denoiser, so for the denoise task only. */
    NLM;

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
