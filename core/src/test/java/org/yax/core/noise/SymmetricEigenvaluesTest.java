package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenvaluesTest {
    /** Q diag(values) Q^T for a random orthogonal Q (Gram-Schmidt of a Gaussian matrix). */
    private static double[][] withEigenvalues(double[] values, long seed) {
        int n = values.length;
        Random random = new Random(seed);
        double[][] q = new double[n][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                q[k][i] = random.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[k][i] * q[j][i];
                }
                for (int i = 0; i < n; i++) {
                    q[k][i] -= dot * q[j][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[k][i] * q[k][i];
            }
            for (int i = 0; i < n; i++) {
                q[k][i] /= Math.sqrt(norm);
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k][i] * values[k] * q[k][j];
                }
                a[i][j] = s;
            }
        }
        return a;
    }

    @Test
    void findsTheEigenvaluesOfAPatchCovarianceLikeMatrix() {
        // a few large structure directions and many equal small noise ones, as in a 7x7 patch covariance
        double[] values = new double[49];
        Arrays.fill(values, 1e-5);
        values[48] = 4;
        values[47] = 0.5;
        values[46] = 0.02;
        values[45] = 3e-5;
        values[0] = 0;
        double[][] a = withEigenvalues(values, 5);
        double[] found = SymmetricEigenvalues.of(a);
        double[] expected = values.clone();
        Arrays.sort(expected);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], found[i], 1e-12 * 4, "eigenvalue " + i);
        }
    }

    @Test
    void smallAndDiagonalMatrices() {
        assertEquals(3, SymmetricEigenvalues.of(new double[][] {{3}})[0], 0);
        double[] two = SymmetricEigenvalues.of(new double[][] {{2, 1}, {1, 2}});
        assertEquals(1, two[0], 1e-14);
        assertEquals(3, two[1], 1e-14);
        double[] diagonal = SymmetricEigenvalues.of(new double[][] {{5, 0, 0}, {0, -1, 0}, {0, 0, 2}});
        assertEquals(-1, diagonal[0], 1e-14);
        assertEquals(2, diagonal[1], 1e-14);
        assertEquals(5, diagonal[2], 1e-14);
    }
}
