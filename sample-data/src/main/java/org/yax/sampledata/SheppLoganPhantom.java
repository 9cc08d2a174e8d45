package org.yax.sampledata;

/**
 * The modified 3-D Shepp-Logan head phantom (ellipsoid geometry of Toft 1996 / Schabel's phantom3d) with additive
 * contributions chosen in Hounsfield units so that the composite looks like a CT head: air -1000, skull +1000,
 * brain +40, ventricles +10, small lesions +70. Coordinates are phantom units in [-1, 1]; +y is anterior.
 */
public final class SheppLoganPhantom {
    /** HU of everything outside the head. */
    public static final int AIR_HU = -1000;

    // Columns: HU contribution, semi-axes a b c, centre x0 y0 z0, rotation about z (degrees).
    private static final double[][] ELLIPSOIDS = {
            {2000, 0.6900, 0.920, 0.810, 0, 0, 0, 0},          // skull: air -> bone 1000 HU
            {-960, 0.6624, 0.874, 0.780, 0, -0.0184, 0, 0},    // brain: bone -> 40 HU
            {-30, 0.1100, 0.310, 0.220, 0.22, 0, 0, -18},     // right ventricle: 10 HU
            {-30, 0.1600, 0.410, 0.280, -0.22, 0, 0, 18},     // left ventricle: 10 HU
            {30, 0.2100, 0.250, 0.410, 0, 0.35, -0.15, 0},     // lesions and structures: 70 HU
            {30, 0.0460, 0.046, 0.050, 0, 0.10, 0.25, 0},
            {30, 0.0460, 0.046, 0.050, 0, -0.10, 0.25, 0},
            {30, 0.0460, 0.023, 0.020, -0.08, -0.605, 0, 0},
            {30, 0.0230, 0.023, 0.020, 0, -0.606, 0, 0},
            {30, 0.0230, 0.046, 0.020, 0.06, -0.605, 0, 0},
    };

    private SheppLoganPhantom() {
    }

    /** HU at a point given in phantom units (point sample, no partial volume). */
    public static double huAt(double x, double y, double z) {
        double hu = AIR_HU;
        for (double[] e : ELLIPSOIDS) {
            double angle = Math.toRadians(e[7]);
            double dx = x - e[4];
            double dy = y - e[5];
            double dz = z - e[6];
            double u = dx * Math.cos(angle) + dy * Math.sin(angle);
            double v = -dx * Math.sin(angle) + dy * Math.cos(angle);
            double r = (u * u) / (e[1] * e[1]) + (v * v) / (e[2] * e[2]) + (dz * dz) / (e[3] * e[3]);
            if (r <= 1) {
                hu += e[0];
            }
        }
        return hu;
    }

    /**
     * One axial slice, row-major (row = +y patient = posterior downwards, column = +x patient), integer HU.
     * Each pixel averages a {@code supersampling x supersampling} grid inside it (partial volume at edges)
     * and is rounded to the nearest HU.
     *
     * @param unitsPerPixel phantom units per pixel (2 / size covers [-1, 1])
     * @param z             slice centre in phantom units
     */
    public static int[] slice(int columns, int rows, double unitsPerPixel, double z, int supersampling) {
        int[] hu = new int[columns * rows];
        double sub = unitsPerPixel / supersampling;
        for (int row = 0; row < rows; row++) {
            double yCentre = -(row - (rows - 1) / 2.0) * unitsPerPixel; // image top is anterior (+y phantom)
            for (int col = 0; col < columns; col++) {
                double xCentre = (col - (columns - 1) / 2.0) * unitsPerPixel;
                double sum = 0;
                for (int i = 0; i < supersampling; i++) {
                    for (int j = 0; j < supersampling; j++) {
                        double x = xCentre + (j - (supersampling - 1) / 2.0) * sub;
                        double y = yCentre - (i - (supersampling - 1) / 2.0) * sub;
                        sum += huAt(x, y, z);
                    }
                }
                hu[row * columns + col] = (int) Math.round(sum / (supersampling * supersampling));
            }
        }
        return hu;
    }
}
