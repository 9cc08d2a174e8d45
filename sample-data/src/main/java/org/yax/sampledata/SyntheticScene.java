package org.yax.sampledata;

import java.util.Random;

/**
 * A smooth synthetic land scene: Voronoi field parcels of five cover classes with their own spectra, gentle
 * within-field gradients, a meandering river and a straight road (sharp edges), a haze term strongest in blue,
 * and nodata in a corner wedge plus scan-line gaps that widen towards the left and right edges (Landsat 7 SLC-off).
 * Bands are correlated because they share the geometry and differ only by the class spectra.
 */
public final class SyntheticScene {
    // Scaled reflectance (x 10000) per band: blue, green, red, NIR.
    private static final double[][] SPECTRA = {
            {600, 500, 300, 150},     // water
            {300, 500, 300, 3000},    // forest
            {400, 800, 500, 4000},    // crop
            {1000, 1300, 1700, 2200}, // bare soil
            {1200, 1200, 1300, 1800}, // built-up / road
    };
    private static final int WATER = 0;
    private static final int ROAD = 4;
    private static final int PARCELS = 36;

    private SyntheticScene() {
    }

    /** Band-sequential clean scene: {@code result[band][row * width + col]}, nodata pixels set to nodata. */
    public static float[][] render(RotatedMultibandSpec spec, long seed) {
        int w = spec.width();
        int h = spec.height();
        Random random = new Random(seed);
        double[] px = new double[PARCELS];
        double[] py = new double[PARCELS];
        int[] cls = new int[PARCELS];
        double[] brightness = new double[PARCELS];
        double[] gradientAngle = new double[PARCELS];
        for (int p = 0; p < PARCELS; p++) {
            px[p] = random.nextDouble() * w;
            py[p] = random.nextDouble() * h;
            cls[p] = 1 + random.nextInt(4); // forest, crop, soil, built-up; water only from the river
            brightness[p] = 0.85 + 0.3 * random.nextDouble();
            gradientAngle[p] = random.nextDouble() * 2 * Math.PI;
        }
        float[][] bands = new float[spec.bands()][w * h];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int i = row * w + col;
                if (isNodata(spec, col, row)) {
                    for (float[] band : bands) {
                        band[i] = (float) spec.nodata();
                    }
                    continue;
                }
                int nearest = nearestParcel(px, py, col, row);
                int cover = cls[nearest];
                double factor = brightness[nearest]
                        * (1 + 0.08 * Math.sin(0.05 * (col * Math.cos(gradientAngle[nearest])
                        + row * Math.sin(gradientAngle[nearest]))));
                double riverCentre = 0.55 * h + 0.12 * h * Math.sin(col / 40.0) + 0.04 * h * Math.sin(col / 13.0);
                if (Math.abs(row - riverCentre) < 7) {
                    cover = WATER;
                    factor = 1;
                } else if (Math.abs(0.35 * col - row + 30) / Math.hypot(0.35, 1) < 1.5) {
                    cover = ROAD;
                    factor = 1;
                }
                double haze = 0.5 + 0.5 * Math.cos(2 * Math.PI * (col + 0.6 * row) / (1.7 * w));
                for (int b = 0; b < bands.length; b++) {
                    double hazeWeight = 120.0 / (b + 1);
                    bands[b][i] = (float) (SPECTRA[cover][b] * factor + hazeWeight * haze);
                }
            }
        }
        return bands;
    }

    /** Corner wedge (top right) and scan gaps every 24 rows, 0 px wide in the central 80 columns, 4 px at the edges. */
    public static boolean isNodata(RotatedMultibandSpec spec, int col, int row) {
        int w = spec.width();
        if ((w - 1 - col) + row < 50) {
            return true;
        }
        double offCentre = Math.abs(col - (w - 1) / 2.0) - 40;
        int gapWidth = offCentre <= 0 ? 0 : (int) Math.ceil(4 * offCentre / ((w - 1) / 2.0 - 40));
        return Math.floorMod(row + 7, 24) < gapWidth;
    }

    private static int nearestParcel(double[] px, double[] py, int col, int row) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int p = 0; p < px.length; p++) {
            double d = (px[p] - col) * (px[p] - col) + (py[p] - row) * (py[p] - row);
            if (d < bestDistance) {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }
}
