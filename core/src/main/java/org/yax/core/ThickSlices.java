package org.yax.core;

/**
 * The thick slices of a through-plane reconstruction, held for the whole run: as 16-bit integers while every value
 * is one (DICOM's stored values after an integral rescale, i.e. nearly every CT and MR series: half the memory of
 * floats, 30 MiB less for 60 slices of 512 x 512), else as floats. The choice is exact: a value is kept as a short
 * only if it reads back as the same float (-0 reads back as 0, which no sum or product here tells apart).
 */
final class ThickSlices implements org.yax.core.solve.SliceRows {
    private final int plane;
    private short[] shorts;
    private float[] floats;
    /** The map v -> (v - low) / range that {@link #copy} applies to 16-bit values (after {@link #normalise}). */
    private float low;
    private double range = 1;

    /** @param compact whether to try 16-bit storage (false: floats from the start) */
    ThickSlices(int depth, int plane, boolean compact) {
        this.plane = plane;
        int n = Math.multiplyExact(depth, plane);
        if (compact) {
            shorts = new short[n];
        } else {
            floats = new float[n];
        }
    }

    /** Stores slice z (plane values), switching to floats on the first value that is not a 16-bit integer. */
    void set(int z, float[] values) {
        int base = z * plane;
        if (shorts != null) {
            for (int i = 0; i < plane; i++) {
                float v = values[i];
                short s = (short) v;
                if (s != v) {
                    toFloats();
                    break;
                }
                shorts[base + i] = s;
            }
        }
        if (floats != null) {
            System.arraycopy(values, 0, floats, base, plane);
        }
    }

    /** Copies {@code length} values of slice z from {@code offset} into {@code dst} at {@code at}. */
    @Override
    public void copy(int z, int offset, float[] dst, int at, int length) {
        int from = z * plane + offset;
        if (floats != null) {
            System.arraycopy(floats, from, dst, at, length);
        } else if (low == 0 && range == 1) {
            for (int i = 0; i < length; i++) {
                dst[at + i] = shorts[from + i];
            }
        } else {
            for (int i = 0; i < length; i++) {
                dst[at + i] = (float) ((shorts[from + i] - low) / range);
            }
        }
    }

    /** The smallest value held. */
    float min() {
        float m = Float.POSITIVE_INFINITY;
        if (floats != null) {
            for (float v : floats) {
                m = Math.min(m, v);
            }
        } else {
            for (short v : shorts) {
                m = Math.min(m, v);
            }
        }
        return m;
    }

    /**
     * From now on every value reads as (v - low) / range: floats are mapped in place, 16-bit values as they are read
     * (the same float either way), so they keep half the memory.
     */
    void normalise(float low, double range) {
        if (floats != null) {
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (float) ((floats[i] - low) / range);
            }
        } else {
            this.low = low;
            this.range = range;
        }
    }

    /** Whether the values are held as 16-bit integers. */
    boolean compact() {
        return shorts != null;
    }

    private void toFloats() {
        float[] f = new float[shorts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = shorts[i];
        }
        floats = f;
        shorts = null;
    }
}
