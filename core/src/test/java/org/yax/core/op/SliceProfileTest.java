package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The through-plane operator's weights, its host form against the engine form, and its host adjoint. */
class SliceProfileTest {
    @Test
    void contiguousBoxAveragesTheFineSlicesOfEachThickOne() {
        SliceProfile a = new SliceProfile(4, 2, 1.0, SliceProfile.Shape.BOX, null);
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(j / 2 == k ? 0.5f : 0f, a.weight(k, j), 1e-6, "k " + k + " j " + j);
            }
        }
        SliceProfile three = new SliceProfile(4, 3, 1.0, SliceProfile.Shape.BOX, null);
        assertEquals(1 / 3f, three.weight(1, 3), 1e-6);
        assertEquals(1 / 3f, three.weight(1, 5), 1e-6);
        assertEquals(0f, three.weight(1, 6), 1e-6);
    }

    @Test
    void gapsLeaveFineSlicesUnmeasuredAndOverlapsShareThem() {
        // 2 mm slices every 4 mm at x4: each thick slice sees the middle two of its four fine slices
        SliceProfile gaps = new SliceProfile(3, 4, 0.5, SliceProfile.Shape.BOX, null);
        assertEquals(0f, gaps.weight(1, 4), 1e-6);
        assertEquals(0.5f, gaps.weight(1, 5), 1e-6);
        assertEquals(0.5f, gaps.weight(1, 6), 1e-6);
        assertEquals(0f, gaps.weight(1, 7), 1e-6);
        // 6 mm slices every 4 mm at x2: neighbours share a fine slice
        SliceProfile overlaps = new SliceProfile(3, 2, 1.5, SliceProfile.Shape.BOX, null);
        assertTrue(overlaps.weight(0, 2) > 0 && overlaps.weight(1, 2) > 0);
        for (SliceProfile p : new SliceProfile[] {gaps, overlaps,
                new SliceProfile(5, 3, 1.2, SliceProfile.Shape.GAUSSIAN, null)}) {
            for (int k = 0; k < p.depth(); k++) {
                double sum = 0;
                for (int j = 0; j < p.fineDepth(); j++) {
                    sum += p.weight(k, j);
                }
                assertEquals(1, sum, 1e-5);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SliceProfile(3, 2, 0, SliceProfile.Shape.BOX, null));
    }

    @Test
    void hostFormMatchesTheEngineAndPassesTheDotProductTest() {
        SliceProfile a = new SliceProfile(6, 3, 1.3, SliceProfile.Shape.GAUSSIAN, new Shape(5, 7));
        Random r = new Random(3);
        int columns = 35;
        float[] x = new float[a.fineDepth() * columns];
        float[] y = new float[a.depth() * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextGaussian();
        }
        float[] ax = new float[y.length];
        float[] aty = new float[x.length];
        a.applyHost(x, ax, columns);
        a.adjointHost(y, aty, columns);
        double lhs = 0;
        double rhs = 0;
        for (int i = 0; i < y.length; i++) {
            lhs += (double) ax[i] * y[i];
        }
        for (int i = 0; i < x.length; i++) {
            rhs += (double) x[i] * aty[i];
        }
        assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray engine = a.forward(m.create(x, a.inputShape()));
            float[] e = engine.toFloatArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], ax[i], 1e-5);
            }
        }
        assertTrue(a.normSquared() <= 1.0 + 1e-6, "||A||^2 <= largest row sum (1) x largest column sum (< 1)");
    }
}
