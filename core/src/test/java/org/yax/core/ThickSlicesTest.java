package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThickSlicesTest {
    private static float[] read(ThickSlices t, int z, int offset, int length) {
        float[] out = new float[length + 2];
        t.copy(z, offset, out, 1, length);
        return out;
    }

    private static float[] all(ThickSlices t, int depth, int plane) {
        float[] out = new float[depth * plane];
        for (int z = 0; z < depth; z++) {
            t.copy(z, 0, out, z * plane, plane);
        }
        return out;
    }

    @Test
    void integerValuesStayShortsAndReadBackExactly() {
        ThickSlices t = new ThickSlices(2, 4, true);
        t.set(0, new float[] {-1024, 0, 3071, 32767});
        t.set(1, new float[] {-32768, 7, -7, 100});
        assertTrue(t.compact());
        assertArrayEquals(new float[] {0, 0, 3071, 32767, 0}, read(t, 0, 1, 3));
        assertArrayEquals(new float[] {0, -32768, 7, -7, 100, 0}, read(t, 1, 0, 4));
        assertArrayEquals(new float[] {-1024, 0, 3071, 32767, -32768, 7, -7, 100}, all(t, 2, 4));
    }

    @Test
    void aFractionOrAValueOutOfRangeSwitchesToFloatsKeepingWhatCameBefore() {
        for (float odd : new float[] {0.5f, 32768f, -32769f, Float.NaN, 1e9f}) {
            ThickSlices t = new ThickSlices(3, 3, true);
            t.set(0, new float[] {1, 2, 3});
            t.set(1, new float[] {4, odd, 6});
            t.set(2, new float[] {7, 8, 9});
            assertFalse(t.compact(), "after " + odd);
            assertArrayEquals(new float[] {1, 2, 3, 4, odd, 6, 7, 8, 9}, all(t, 3, 3), "after " + odd);
            assertArrayEquals(new float[] {0, 4, odd, 6, 0}, read(t, 1, 0, 3));
        }
    }

    @Test
    void floatsFromTheStartWhenNotCompact() {
        ThickSlices t = new ThickSlices(1, 2, false);
        t.set(0, new float[] {1, 2});
        assertFalse(t.compact());
        assertArrayEquals(new float[] {1, 2}, all(t, 1, 2));
    }

    /** Normalised values read the same whether held as shorts (mapped on reading) or as floats (mapped in place). */
    @Test
    void normalisedShortsReadAsNormalisedFloats() {
        float[] values = {-1024, 0, 3071, 17, -3, 250};
        ThickSlices shorts = new ThickSlices(2, 3, true);
        ThickSlices floats = new ThickSlices(2, 3, false);
        for (ThickSlices t : new ThickSlices[] {shorts, floats}) {
            t.set(0, java.util.Arrays.copyOfRange(values, 0, 3));
            t.set(1, java.util.Arrays.copyOfRange(values, 3, 6));
            assertArrayEquals(new float[] {-1024}, new float[] {t.min()});
            t.normalise(t.min(), 4095.0);
        }
        assertTrue(shorts.compact());
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = (float) ((values[i] - -1024f) / 4095.0);
        }
        assertArrayEquals(expected, all(shorts, 2, 3));
        assertArrayEquals(expected, all(floats, 2, 3));
    }
}
