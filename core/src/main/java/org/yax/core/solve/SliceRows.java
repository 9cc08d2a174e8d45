package org.yax.core.solve;

/**
 * Read access to a stack of slices held slice after slice (depth x plane values) in whatever form its holder keeps
 * them, e.g. 16-bit integers mapped to normalised floats as they are read.
 */
public interface SliceRows {
    /** Copies {@code length} values of slice z from {@code offset} (within the slice) into {@code dst} at {@code at}. */
    void copy(int z, int offset, float[] dst, int at, int length);
}
