package org.yax.cli;

import org.yax.core.op.Psf;
import org.yax.core.task.Task;
import picocli.CommandLine.Option;

/** {@code --psf}, as reconstruct and eval take it: needed by --task deblur, refused by the other tasks. */
final class PsfOption {
    @Option(names = "--psf", paramLabel = "SPEC",
            description = "Point-spread function for --task deblur: gaussian:SIGMA, box:SIZE, motion:LENGTH[:ANGLE] "
                    + "(pixels, degrees) or file:PATH (a text matrix, one row per line).")
    String spec;

    /** A usage error if deblurring lacks a PSF or another task got one; {@code taskName} as the user wrote it. */
    void checkFor(Task task, String taskName) {
        if (task == Task.DEBLUR && spec == null) {
            throw new Yax.UsageException("--task deblur needs --psf (e.g. --psf gaussian:1.5)");
        }
        if (task != Task.DEBLUR && spec != null) {
            throw new Yax.UsageException("--psf applies to --task deblur only (got --task " + taskName + ")");
        }
    }

    /** The PSF, null without --psf; an IllegalArgumentException names a bad spec. */
    Psf parse() {
        return spec == null ? null : Psf.parse(spec);
    }
}
