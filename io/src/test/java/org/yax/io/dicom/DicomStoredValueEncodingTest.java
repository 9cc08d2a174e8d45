package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** DS text limits and the new-rescale mapping. */
class DicomStoredValueEncodingTest {
    @Test
    void decimalStringsFitSixteenCharacters() {
        for (double v : new double[] {1.0 / 3, -2.0 / 3 * 1e-13, 123456789012.34567, -98765.4321098765, 6.02214076e23, 1e-300}) {
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.UP, RoundingMode.FLOOR, RoundingMode.HALF_EVEN}) {
                String s = StoredValueEncoding.formatDs(v, mode);
                assertTrue(s.length() <= 16, s);
                assertEquals(v, Double.parseDouble(s), Math.abs(v) * 1e-9, s);
            }
        }
        assertTrue(Double.parseDouble(StoredValueEncoding.formatDs(1.0 / 3, RoundingMode.UP)) >= 1.0 / 3);
        assertTrue(Double.parseDouble(StoredValueEncoding.formatDs(-1.0 / 3, RoundingMode.FLOOR)) <= -1.0 / 3);
    }

    @Test
    void newRescaleMapsTheRangeInsideWithoutClipping() {
        for (boolean signed : new boolean[] {true, false}) {
            double min = -45678.123;
            double max = 31234.987;
            StoredValueEncoding e = StoredValueEncoding.newRescale(signed, min, max, true, false);
            long nan = e.store(Float.NaN);
            assertEquals(e.minStored(), nan);
            for (double v : new double[] {min, max, 0, 1234.5}) {
                long stored = e.store((float) v);
                assertTrue(stored > nan && stored < e.maxStored(), "inside, not clipped: " + stored);
                assertTrue(Math.abs(stored * e.slope() + e.intercept() - (float) v) <= e.slope() / 2 + 1e-6);
            }
        }
    }
}
