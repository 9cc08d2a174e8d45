package org.yax.core.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A named way to build the forward operator A from a measurement (see {@link org.yax.core.Reconstruction}). */
public enum Task {
    /** A = I: y is the image plus noise. */
    DENOISE("denoise"),
    /** A = area downsampling by the scale factor: y is a low-resolution image. */
    SUPER_RESOLUTION("sr"),
    /** A = mask of observed pixels (nodata / NaN are missing): missing pixels are filled. */
    INPAINT("inpaint"),
    /** A = convolution with a known point-spread function (symmetric boundaries): y is a blurred image. */
    DEBLUR("deblur"),
    /**
     * A = line-masked orthonormal Fourier transform (undersampled Cartesian MRI). Its measurements are
     * k-space data, which image files do not hold, so only {@code yax eval} simulates and inverts it.
     */
    MRI("mri");

    private final String cliName;

    Task(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line, in macros and in reports. */
    public String cliName() {
        return cliName;
    }

    public static Task fromName(String name) {
        for (Task t : values()) {
            if (t.cliName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "' (available: " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Task::cliName).collect(Collectors.joining(", "));
    }
}
