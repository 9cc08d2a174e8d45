package org.yax.core.solve;

/**
 * Cubic B-spline interpolation along axis 0 (Unser's prefilter, mirror-symmetric boundaries): the through-plane
 * baseline every viewer applies when it reformats thick slices. Values are given at integer positions 0..depth-1
 * (one per slice, {@code columns} values each) and evaluated at the fine slice centres of
 * {@link org.yax.core.op.SliceProfile#fineCentre}; outside the first and last slice the spline is mirrored.
 */
public final class CubicBSpline {
    private static final double POLE = Math.sqrt(3) - 2;

    private CubicBSpline() { }

    /**
     * @param samples depth * columns values (slice-major); not modified
     * @param fine    (depth * scale) * columns values, written
     */
    public static void alongAxis(float[] samples, int depth, int columns, int scale, float[] fine) {
        double[] c = new double[depth];
        for (int col = 0; col < columns; col++) {
            for (int k = 0; k < depth; k++) {
                c[k] = 6.0 * samples[k * columns + col];
            }
            prefilter(c);
            for (int j = 0; j < depth * scale; j++) {
                double t = org.yax.core.op.SliceProfile.fineCentre(j, scale);
                int i = (int) Math.floor(t);
                double f = t - i;
                double v = 0;
                for (int m = -1; m <= 2; m++) {
                    v += c[mirror(i + m, depth)] * basis(m - f);
                }
                fine[j * columns + col] = (float) v;
            }
        }
    }

    /** Coefficients from 6 x samples in place (causal then anticausal recursion, exact mirror initialisation). */
    private static void prefilter(double[] c) {
        int n = c.length;
        if (n == 1) {
            c[0] /= 6.0;
            return;
        }
        double z = POLE;
        double zn = z;
        double iz = 1 / z;
        double z2n = Math.pow(z, n - 1);
        double sum = c[0] + z2n * c[n - 1];
        z2n *= z2n * iz;
        for (int k = 1; k <= n - 2; k++) {
            sum += (zn + z2n) * c[k];
            zn *= z;
            z2n *= iz;
        }
        c[0] = sum / (1 - zn * zn);
        for (int k = 1; k < n; k++) {
            c[k] += z * c[k - 1];
        }
        c[n - 1] = (z / (z * z - 1)) * (z * c[n - 2] + c[n - 1]);
        for (int k = n - 2; k >= 0; k--) {
            c[k] = z * (c[k + 1] - c[k]);
        }
    }

    private static int mirror(int k, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        k = Math.floorMod(k, period);
        return k < n ? k : period - k;
    }

    /** The cubic B-spline at x. */
    static double basis(double x) {
        double a = Math.abs(x);
        if (a < 1) {
            return 2.0 / 3 - a * a + a * a * a / 2;
        }
        if (a < 2) {
            double b = 2 - a;
            return b * b * b / 6;
        }
        return 0;
    }
}
