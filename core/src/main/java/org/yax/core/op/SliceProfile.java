package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * Through-plane forward model: thick slices measured from a volume sampled {@code scale} times finer along z
 * (axis 0). Thick slice k is centred at k * spacing; fine slice j is centred at (j - (scale - 1) / 2) / scale *
 * spacing and covers spacing / scale, so the fine grid of depth * scale slices spans exactly the field of view of
 * the thick one. Each thick slice is the fine slices weighted by the slice profile, a box as wide as the slice
 * thickness (default) or a Gaussian with that full width at half maximum, integrated over each fine slice.
 * Thickness below the spacing leaves gaps (fine slices no thick one sees), above it overlaps. Each row is
 * normalised to sum 1, so a profile reaching past the field of view averages what lies inside it (the outer
 * slices of a stack). The operator is a small dense depth x (depth * scale) matrix applied to every pixel's
 * column: the same for planes of any size, on the engine (matMul) or on host arrays ({@link #applyHost}).
 */
public final class SliceProfile implements LinearOperator {
    /** The profile's shape across a slice. */
    public enum Shape {
        /** Uniform sensitivity over the slice thickness (the slice-select ideal; the default). */
        BOX,
        /** A Gaussian whose full width at half maximum is the slice thickness. */
        GAUSSIAN;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Shape fromName(String name) {
            for (Shape s : values()) {
                if (s.cliName().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown slice profile '" + name + "' (available: box, gaussian)");
        }
    }

    private final int depth;
    private final int scale;
    private final double thicknessInSpacings;
    private final Shape shape;
    private final ai.djl.ndarray.types.Shape plane;
    /** weights[k][j]: thick slice k's weight of fine slice j (rows sum to 1). */
    private final float[][] weights;

    /**
     * @param depth               thick slices
     * @param scale               fine slices per thick spacing (>= 1)
     * @param thicknessInSpacings slice thickness / slice spacing (1: contiguous, < 1: gaps, > 1: overlaps)
     * @param plane               (height, width) of every slice, for the engine form; null for host use only
     */
    public SliceProfile(int depth, int scale, double thicknessInSpacings, Shape shape, ai.djl.ndarray.types.Shape plane) {
        if (depth < 1 || scale < 1) {
            throw new IllegalArgumentException("depth and scale must be >= 1, got " + depth + ", " + scale);
        }
        if (!(thicknessInSpacings > 0) || Double.isInfinite(thicknessInSpacings)) {
            throw new IllegalArgumentException("slice thickness must be positive, got " + thicknessInSpacings
                    + " spacings");
        }
        if (plane != null && plane.dimension() != 2) {
            throw new IllegalArgumentException("a slice is (height, width), got " + plane);
        }
        this.depth = depth;
        this.scale = scale;
        this.thicknessInSpacings = thicknessInSpacings;
        this.shape = shape;
        this.plane = plane;
        this.weights = new float[depth][depth * scale];
        for (int k = 0; k < depth; k++) {
            double sum = 0;
            double[] row = new double[depth * scale];
            for (int j = 0; j < depth * scale; j++) {
                double centre = fineCentre(j, scale);
                row[j] = response(centre - 0.5 / scale - k, centre + 0.5 / scale - k);
                sum += row[j];
            }
            if (!(sum > 0)) {
                // a profile far narrower than a fine slice still measures the fine slice it sits in
                row[(int) Math.round(k * scale + (scale - 1) / 2.0)] = sum = 1;
            }
            for (int j = 0; j < row.length; j++) {
                weights[k][j] = (float) (row[j] / sum);
            }
        }
    }

    /** Centre of fine slice j in thick spacings from thick slice 0's centre. */
    public static double fineCentre(int j, int scale) {
        return (j - (scale - 1) / 2.0) / scale;
    }

    /** The profile integrated from a to b (in spacings from the slice's centre). */
    private double response(double a, double b) {
        double t = thicknessInSpacings;
        if (shape == Shape.BOX) {
            return Math.max(0, Math.min(b, t / 2) - Math.max(a, -t / 2)) / t;
        }
        double sigma = t / (2 * Math.sqrt(2 * Math.log(2)));
        return normalCdf(b / sigma) - normalCdf(a / sigma);
    }

    /** The standard normal CDF (Abramowitz-Stegun 7.1.26 erf, error below 1.5e-7). */
    private static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    public int depth() { return depth; }

    public int scale() { return scale; }

    public int fineDepth() { return depth * scale; }

    /** Thick slice k's weight of fine slice j. */
    public float weight(int k, int j) { return weights[k][j]; }

    /** y = A x on host arrays of {@code columns} values per slice: x is fineDepth * columns, y depth * columns. */
    public void applyHost(float[] x, float[] y, int columns) {
        applyHost(x, y, columns, 0, columns);
    }

    /**
     * y = A x for the pixel columns [from, to) only, each value summed in the same order as by the whole (so a split
     * into ranges gives the same bits).
     */
    public void applyHost(float[] x, float[] y, int columns, int from, int to) {
        int fine = fineDepth();
        for (int k = 0; k < depth; k++) {
            int out = k * columns;
            java.util.Arrays.fill(y, out + from, out + to, 0f);
            for (int j = 0; j < fine; j++) {
                float w = weights[k][j];
                if (w != 0) {
                    int in = j * columns;
                    for (int c = from; c < to; c++) {
                        y[out + c] += w * x[in + c];
                    }
                }
            }
        }
    }

    /**
     * Fine slice j of A^H y at the pixel columns [from, from + length) into out[0, length), summed in the same order
     * as by {@link #adjointHost}.
     */
    public void adjointHostLine(float[] y, int columns, int j, int from, int length, float[] out) {
        java.util.Arrays.fill(out, 0, length, 0f);
        for (int k = 0; k < depth; k++) {
            float w = weights[k][j];
            if (w != 0) {
                int in = k * columns + from;
                for (int c = 0; c < length; c++) {
                    out[c] += w * y[in + c];
                }
            }
        }
    }

    /** x = A^H y on host arrays, as {@link #applyHost}. */
    public void adjointHost(float[] y, float[] x, int columns) {
        int fine = fineDepth();
        for (int j = 0; j < fine; j++) {
            int out = j * columns;
            java.util.Arrays.fill(x, out, out + columns, 0f);
            for (int k = 0; k < depth; k++) {
                float w = weights[k][j];
                if (w != 0) {
                    int in = k * columns;
                    for (int c = 0; c < columns; c++) {
                        x[out + c] += w * y[in + c];
                    }
                }
            }
        }
    }

    /**
     * Projects x (fineDepth * columns values) in place onto {x : A x = y}: x + A^T (A A^T)^-1 (y - A x), the closest
     * volume that reproduces the thick slices exactly (A A^T is small and positive definite: Cholesky once).
     */
    public void project(float[] x, float[] y, int columns) {
        int d = depth;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k <= i; k++) {
                double g = 0;
                for (int j = 0; j < fineDepth(); j++) {
                    g += (double) weights[i][j] * weights[k][j];
                }
                for (int m = 0; m < k; m++) {
                    g -= l[i][m] * l[k][m];
                }
                l[i][k] = i == k ? Math.sqrt(Math.max(g, 1e-12)) : g / l[k][k];
            }
        }
        float[] ax = new float[d * columns];
        applyHost(x, ax, columns);
        float[] u = new float[d * columns];
        double[] col = new double[d];
        for (int c = 0; c < columns; c++) {
            for (int i = 0; i < d; i++) {
                double v = (double) y[i * columns + c] - ax[i * columns + c];
                for (int m = 0; m < i; m++) {
                    v -= l[i][m] * col[m];
                }
                col[i] = v / l[i][i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double v = col[i];
                for (int m = i + 1; m < d; m++) {
                    v -= l[m][i] * col[m];
                }
                col[i] = v / l[i][i];
            }
            for (int i = 0; i < d; i++) {
                u[i * columns + c] = (float) col[i];
            }
        }
        float[] correction = new float[x.length];
        adjointHost(u, correction, columns);
        for (int i = 0; i < correction.length; i++) {
            x[i] += correction[i];
        }
    }

    /** The largest singular value squared of the matrix (power iteration), for step sizes. */
    public double normSquared() {
        float[] v = new float[fineDepth()];
        float[] u = new float[depth];
        java.util.Arrays.fill(v, 1f);
        double lambda = 0;
        for (int i = 0; i < 100; i++) {
            applyHost(v, u, 1);
            adjointHost(u, v, 1);
            double norm = 0;
            for (float f : v) {
                norm += (double) f * f;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < v.length; j++) {
                v[j] /= (float) norm;
            }
            lambda = norm;
        }
        return lambda;
    }

    private NDArray matrix(NDArray like) {
        float[] flat = new float[depth * fineDepth()];
        for (int k = 0; k < depth; k++) {
            System.arraycopy(weights[k], 0, flat, k * fineDepth(), fineDepth());
        }
        return like.getManager().create(flat, new ai.djl.ndarray.types.Shape(depth, fineDepth()));
    }

    @Override
    public ai.djl.ndarray.types.Shape inputShape() {
        return new ai.djl.ndarray.types.Shape(fineDepth(), plane.get(0), plane.get(1));
    }

    @Override
    public ai.djl.ndarray.types.Shape outputShape() {
        return new ai.djl.ndarray.types.Shape(depth, plane.get(0), plane.get(1));
    }

    @Override
    public NDArray apply(NDArray x) {
        try (NDArray m = matrix(x); NDArray columns = x.reshape(fineDepth(), -1); NDArray y = m.matMul(columns)) {
            return y.reshape(outputShape());
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        try (NDArray m = matrix(y); NDArray mt = m.transpose(); NDArray columns = y.reshape(depth, -1);
             NDArray x = mt.matMul(columns)) {
            return x.reshape(inputShape());
        }
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "SliceProfile(%s, thickness %.3g spacings, x%d) %s -> %s",
                shape.cliName(), thicknessInSpacings, scale, plane == null ? "(" + fineDepth() + ", ...)"
                        : inputShape(), plane == null ? "(" + depth + ", ...)" : outputShape());
    }
}
