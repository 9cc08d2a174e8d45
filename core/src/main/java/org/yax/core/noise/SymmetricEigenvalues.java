package org.yax.core.noise;

/**
 * Eigenvalues of a small symmetric matrix: Householder reflections make it tridiagonal, then bisection on Sturm
 * sequence counts finds each eigenvalue to the rounding of the matrix's norm (a few microseconds for the 49 x 49
 * patch covariances, where cyclic Jacobi sweeps took milliseconds: the noise estimate asks for dozens per plane).
 */
final class SymmetricEigenvalues {
    private SymmetricEigenvalues() {
    }

    /** The eigenvalues, ascending; the matrix is not modified. */
    static double[] of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double[] diagonal = new double[n];
        double[] off = new double[Math.max(n - 1, 0)];
        tridiagonalise(a, diagonal, off);
        return bisect(diagonal, off);
    }

    /** A := H A H for reflections H that zero each column below its subdiagonal; the diagonals are returned. */
    private static void tridiagonalise(double[][] a, double[] diagonal, double[] off) {
        int n = a.length;
        double[] v = new double[n];
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            double norm = 0;
            for (int i = k + 1; i < n; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double alpha = a[k + 1][k] > 0 ? -norm : norm;
            // v = x - alpha e1, normalised; H = I - 2 v v^T maps x to alpha e1
            double vv = 0;
            for (int i = k + 1; i < n; i++) {
                v[i] = a[i][k];
            }
            v[k + 1] -= alpha;
            for (int i = k + 1; i < n; i++) {
                vv += v[i] * v[i];
            }
            double scale = 1 / Math.sqrt(vv);
            for (int i = k + 1; i < n; i++) {
                v[i] *= scale;
            }
            // trailing block: A - 2 v q^T - 2 q v^T with p = A v, q = p - (v^T p) v
            double vp = 0;
            for (int i = k + 1; i < n; i++) {
                double s = 0;
                for (int j = k + 1; j < n; j++) {
                    s += a[i][j] * v[j];
                }
                p[i] = s;
                vp += v[i] * s;
            }
            for (int i = k + 1; i < n; i++) {
                p[i] -= vp * v[i];
            }
            for (int i = k + 1; i < n; i++) {
                for (int j = k + 1; j < n; j++) {
                    a[i][j] -= 2 * (v[i] * p[j] + p[i] * v[j]);
                }
            }
            a[k + 1][k] = alpha;
            a[k][k + 1] = alpha;
            for (int i = k + 2; i < n; i++) {
                a[i][k] = 0;
                a[k][i] = 0;
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
            if (i + 1 < n) {
                off[i] = a[i + 1][i];
            }
        }
    }

    /** Each eigenvalue of the tridiagonal matrix by bisection of its Gershgorin interval on Sturm counts. */
    private static double[] bisect(double[] d, double[] e) {
        int n = d.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i + 1 < n ? Math.abs(e[i]) : 0);
            lo = Math.min(lo, d[i] - r);
            hi = Math.max(hi, d[i] + r);
        }
        double tolerance = 2 * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi)));
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            // the (k+1)-th smallest: the least x with more than k eigenvalues below it
            double a = lo;
            double b = hi;
            while (b - a > tolerance) {
                double mid = 0.5 * (a + b);
                if (mid <= a || mid >= b) {
                    break;
                }
                if (countBelow(d, e, mid) > k) {
                    b = mid;
                } else {
                    a = mid;
                }
            }
            out[k] = 0.5 * (a + b);
            lo = a; // the next one is not smaller
        }
        return out;
    }

    /** How many eigenvalues of the tridiagonal matrix lie below x (the signs of the LDL^T pivots of T - x I). */
    private static int countBelow(double[] d, double[] e, double x) {
        int count = 0;
        double q = 1;
        for (int i = 0; i < d.length; i++) {
            double e2 = i > 0 ? e[i - 1] * e[i - 1] : 0;
            q = d[i] - x - (i > 0 ? e2 / q : 0);
            if (q == 0) {
                q = -Double.MIN_NORMAL; // a pivot of exactly zero: count x as above the eigenvalue
            }
            if (q < 0) {
                count++;
            }
        }
        return count;
    }
}
