package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yax.core.op.BlurTest.assertMessage;

import org.junit.jupiter.api.Test;

class SamplingMaskTest {
    @Test
    void variableDensityAcquiresExactlyHeightOverAccelerationLinesWithAFullCentre() {
        for (int acc = 2; acc <= 8; acc++) {
            SamplingMask m = SamplingMask.variableDensity(256, 200, acc, 0.08, 5);
            assertEquals(Math.round(256.0 / acc), m.sampledLines(), "acceleration " + acc);
            for (int f = -10; f <= 10; f++) {
                assertTrue(m.isSampled(Math.floorMod(f, 256)), "centre line ky=" + f + " at x" + acc);
            }
            assertEquals(256, m.height());
            assertEquals(200, m.width());
        }
    }

    @Test
    void variableDensityIsDenserNearTheCentreAndDeterministicPerSeed() {
        int inner = 0;
        int outer = 0;
        for (long seed = 0; seed < 20; seed++) {
            SamplingMask m = SamplingMask.variableDensity(320, 320, 4, 0.0, seed);
            for (int i = 0; i < 320; i++) {
                int f = Math.abs(SamplingMask.frequency(i, 320));
                if (m.isSampled(i)) {
                    if (f < 80) {
                        inner++;
                    } else {
                        outer++;
                    }
                }
            }
        }
        // the inner and outer halves of |ky| have equal numbers of lines; density weights favour the inner
        assertTrue(inner > 2 * outer, "inner " + inner + " vs outer " + outer);
        assertArrayEquals(SamplingMask.variableDensity(128, 64, 6, 0.04, 99).rows(),
                SamplingMask.variableDensity(128, 64, 6, 0.04, 99).rows());
        assertFalse(java.util.Arrays.equals(SamplingMask.variableDensity(128, 64, 6, 0.04, 1).rows(),
                SamplingMask.variableDensity(128, 64, 6, 0.04, 2).rows()));
    }

    @Test
    void equispacedTakesEveryAccelerationThLinePlusTheCentre() {
        SamplingMask m = SamplingMask.equispaced(64, 48, 4, 0.0);
        for (int i = 0; i < 64; i++) {
            assertEquals(Math.floorMod(SamplingMask.frequency(i, 64), 4) == 0, m.isSampled(i), "row " + i);
        }
        assertEquals(16, m.sampledLines());
        SamplingMask withCentre = SamplingMask.equispaced(97, 30, 5, 0.1);
        assertTrue(withCentre.effectiveAcceleration() < 5 && withCentre.effectiveAcceleration() > 3,
                withCentre.describe());
        for (int f = -4; f <= 5; f++) {
            assertTrue(withCentre.isSampled(Math.floorMod(f, 97)), "centre ky=" + f);
        }
    }

    @Test
    void badInputNamesTheParameter() {
        assertMessage(() -> SamplingMask.variableDensity(64, 64, 1, 0.08, 0), "acceleration", "1");
        assertMessage(() -> SamplingMask.variableDensity(64, 64, 9, 0.08, 0), "acceleration", "9");
        assertMessage(() -> SamplingMask.equispaced(64, 64, 9, 0.08), "acceleration", "9");
        assertMessage(() -> SamplingMask.equispaced(64, 64, 4, 0.5), "centerFraction", "0.5");
        assertMessage(() -> SamplingMask.variableDensity(64, 64, 4, -0.1, 0), "centerFraction", "-0.1");
        assertMessage(() -> SamplingMask.equispaced(1, 64, 4, 0.1), "k-space size", "1 x 64");
        assertMessage(() -> SamplingMask.ofRows(new boolean[4], 8), "at least one line");
    }
}
