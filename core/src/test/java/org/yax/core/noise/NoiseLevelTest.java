package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseLevelTest {
    @Test
    void parsesAutoAndNumbersAndPrintsThemBack() {
        assertTrue(NoiseLevel.parse("auto").isAuto());
        assertTrue(NoiseLevel.parse(" AUTO ").isAuto());
        assertTrue(NoiseLevel.parse("").isAuto());
        assertTrue(NoiseLevel.parse(null).isAuto());
        assertEquals(2.5, NoiseLevel.parse("2,5").value());
        assertEquals(NoiseLevel.given(25), NoiseLevel.parse("25"));
        assertEquals("auto", NoiseLevel.AUTO.toString());
        assertEquals("12.35", NoiseLevel.given(12.345678).toString());
        assertEquals("0.000", NoiseLevel.given(0).toString());
    }

    @Test
    void badValuesSayWhatIsAccepted() {
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> NoiseLevel.parse("abc"));
        assertEquals("sigma must be 'auto' or a number >= 0, got 'abc'", text.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> NoiseLevel.parse("-1"));
        assertEquals("sigma must be a finite number >= 0 (or auto), got -1.0", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NoiseLevel.parse("NaN"));
        assertThrows(IllegalArgumentException.class, () -> NoiseLevel.given(Double.POSITIVE_INFINITY));
        assertThrows(IllegalStateException.class, NoiseLevel.AUTO::value);
    }

    @Test
    void givenSigmaIsUsedAsIsAndAutoIsEstimated() {
        float[] flat = new float[64 * 64];
        assertEquals(3.0, NoiseLevel.given(3).sigmaOf(flat, 64, 64));
        assertEquals(0.0, NoiseLevel.AUTO.sigmaOf(flat, 64, 64), 1e-9);
        assertEquals(2.0, NoiseLevel.median(new double[] {5, 1, 2}));
        assertEquals(1.5, NoiseLevel.median(new double[] {2, 1}));
    }
}
