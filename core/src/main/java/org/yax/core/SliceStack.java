package org.yax.core;

import java.io.IOException;

/**
 * An equally spaced stack of single-channel slices, read one slice at a time, so a volume larger than memory
 * can be reconstructed slab by slab ({@link Reconstruction#runVolume}). A slice may be read more than once.
 */
public interface SliceStack {
    int depth();

    int height();

    int width();

    /** Slice z (0-based, along the stack) as height * width values in the image's units; NaN = missing. */
    float[] slice(int z) throws IOException;
}
