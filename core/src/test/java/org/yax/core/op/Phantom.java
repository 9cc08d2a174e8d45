package org.yax.core.op;

/** The modified Shepp-Logan head phantom (Toft's contrast), values in [0, 1], for quality tests. */
final class Phantom {
    private Phantom() { }

    // intensity, semi-axis a (x), semi-axis b (y), centre x0, centre y0, rotation in degrees
    private static final double[][] ELLIPSES = {
        {1, .69, .92, 0, 0, 0}, {-.8, .6624, .874, 0, -.0184, 0}, {-.2, .11, .31, .22, 0, -18},
        {-.2, .16, .41, -.22, 0, 18}, {.1, .21, .25, 0, .35, 0}, {.1, .046, .046, 0, .1, 0},
        {.1, .046, .046, 0, -.1, 0}, {.1, .046, .023, -.08, -.605, 0}, {.1, .023, .023, 0, -.606, 0},
        {.1, .023, .046, .06, -.605, 0}};

    static float[] sheppLogan(int n) {
        float[] img = new float[n * n];
        for (int r = 0; r < n; r++) {
            double y = 1 - (2 * r + 1) / (double) n;
            for (int c = 0; c < n; c++) {
                double x = (2 * c + 1) / (double) n - 1;
                double v = 0;
                for (double[] e : ELLIPSES) {
                    double phi = Math.toRadians(e[5]);
                    double dx = x - e[3];
                    double dy = y - e[4];
                    double u = (dx * Math.cos(phi) + dy * Math.sin(phi)) / e[1];
                    double w = (-dx * Math.sin(phi) + dy * Math.cos(phi)) / e[2];
                    if (u * u + w * w <= 1) {
                        v += e[0];
                    }
                }
                img[r * n + c] = (float) v;
            }
        }
        return img;
    }
}
