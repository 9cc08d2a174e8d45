package org.yax.core;

import java.io.IOException;

/** Takes the reconstructed slices of a {@link SliceStack}, each once, in increasing z. */
@FunctionalInterface
public interface SliceSink {
    void accept(int z, float[] slice) throws IOException;
}
