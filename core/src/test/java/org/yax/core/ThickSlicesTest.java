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

    @Test
    void integerValuesStayShortsAndReadBackExactly() {
        ThickSlices t = new ThickSlices(2, 4, true);
        t.set(0, new float[] {-1024, 0, 3071, 32767});
        t.set(1, new float[] {-32768, 7, -7, 100});
        assertTrue(t.compact());
        assertArrayEquals(new float[] {0, 0, 3071, 32767, 0}, read(t, 0, 1, 3));
        assertArrayEquals(new float[] {0, -32768, 7, -7, 100, 0}, read(t, 1, 0, 4));
        assertArrayEquals(new float[] {-1024, 0, 3071, 32767, -32768, 7, -7, 100}, t.floats());
    }

    @Test
    void aFractionOrAValueOutOfRangeSwitchesToFloatsKeepingWhatCameBefore() {
        for (float odd : new float[] {0.5f, 32768f, -32769f, Float.NaN, 1e9f}) {
            ThickSlices t = new ThickSlices(3, 3, true);
            t.set(0, new float[] {1, 2, 3});
            t.set(1, new float[] {4, odd, 6});
            t.set(2, new float[] {7, 8, 9});
            assertFalse(t.compact(), "after " + odd);
            assertArrayEquals(new float[] {1, 2, 3, 4, odd, 6, 7, 8, 9}, t.floats(), "after " + odd);
            assertArrayEquals(new float[] {0, 4, odd, 6, 0}, read(t, 1, 0, 3));
        }
    }

    @Test
    void floatsFromTheStartWhenNotCompact() {
        ThickSlices t = new ThickSlices(1, 2, false);
        t.set(0, new float[] {1, 2});
        assertFalse(t.compact());
        assertArrayEquals(new float[] {1, 2}, t.floats());
    }
}
