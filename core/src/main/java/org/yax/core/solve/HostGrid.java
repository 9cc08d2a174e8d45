package org.yax.core.solve;

/**
 * Forward differences D and their adjoint D^H on host arrays, line by line, with exactly the arithmetic of
 * {@link org.yax.core.op.Gradient} (component = w * (x[i+1] - x[i]), 0 past the last index; D^H p summed over
 * axes in order [z,] y, x as w * (p[i-1] - p[i]) with p[-1] = p[last] = 0). The dual field is component-major,
 * as Gradient's output: [z,] y, x, each {@code n} values. A line is one row of one plane.
 */
final class HostGrid {
    final int depth;
    final int height;
    final int width;
    final int n;
    final int plane;
    final int components;
    final int lines;
    final float wz;
    final float wy;
    final float wx;
    /** offsets of the components in the dual field */
    final int pz;
    final int py;
    final int px;

    /** The grid of a (height, width) plane or a (depth, height, width) volume; null for any other shape. */
    static HostGrid of(ai.djl.ndarray.types.Shape shape, double[] weights) {
        int dims = shape.dimension();
        if ((dims != 2 && dims != 3) || shape.size() > Integer.MAX_VALUE / 4) {
            return null;
        }
        return dims == 2 ? new HostGrid(1, (int) shape.get(0), (int) shape.get(1), 2, weights)
                : new HostGrid((int) shape.get(0), (int) shape.get(1), (int) shape.get(2), 3, weights);
    }

    /** @param weights one per axis (2: plane, 3: volume), or null for all 1 */
    HostGrid(int depth, int height, int width, int components, double[] weights) {
        this.depth = depth;
        this.height = height;
        this.width = width;
        this.plane = height * width;
        this.n = depth * plane;
        this.components = components;
        if (weights != null && weights.length != components) {
            throw new IllegalArgumentException(components + " axis weights needed, got " + weights.length);
        }
        this.lines = depth * height;
        this.wz = components == 3 ? (float) (weights == null ? 1 : weights[0]) : 0f;
        this.wy = (float) (weights == null ? 1 : weights[components - 2]);
        this.wx = (float) (weights == null ? 1 : weights[components - 1]);
        this.pz = 0;
        this.py = components == 3 ? n : 0;
        this.px = py + n;
    }

    /** ||D||^2 bound: 4 w^2 per axis. */
    double normSquaredBound() {
        double s = 4.0 * wy * wy + 4.0 * wx * wx;
        return components == 3 ? 4.0 * wz * wz + s : s;
    }

    /** out[line's pixels] = (D^H p) there. */
    void adjointLine(float[] p, int line, float[] out) {
        int z = line / height;
        int row = line % height;
        int base = line * width;
        boolean up = row > 0;
        boolean rowInside = row < height - 1;
        int last = width - 1;
        if (components == 2 && up && rowInside && width > 2) {
            // interior row of a plane: the loop below without boundary tests
            for (int i = base + 1, end = base + last; i < end; i++) {
                out[i] = wy * (p[py + i - width] - p[py + i]) + wx * (p[px + i - 1] - p[px + i]);
            }
            adjointPixel(p, base, row, 0, out);
            adjointPixel(p, base, row, last, out);
            return;
        }
        for (int col = 0; col < width; col++) {
            int i = base + col;
            float div = wy * ((up ? p[py + i - width] : 0f) - (rowInside ? p[py + i] : 0f));
            float dx = wx * ((col > 0 ? p[px + i - 1] : 0f) - (col < last ? p[px + i] : 0f));
            if (components == 3) {
                float dz = wz * ((z > 0 ? p[pz + i - plane] : 0f) - (z < depth - 1 ? p[pz + i] : 0f));
                div = dz + div;
            }
            out[i] = div + dx;
        }
    }

    /** out[line's pixels] = v - (D^H p) * weight there. */
    void stepLine(float[] p, float[] v, float weight, int line, float[] out) {
        adjointLine(p, line, out);
        for (int i = line * width, end = i + width; i < end; i++) {
            out[i] = v[i] - out[i] * weight;
        }
    }

    private void adjointPixel(float[] p, int base, int row, int col, float[] out) {
        int i = base + col;
        float div = wy * ((row > 0 ? p[py + i - width] : 0f) - (row < height - 1 ? p[py + i] : 0f));
        float dx = wx * ((col > 0 ? p[px + i - 1] : 0f) - (col < width - 1 ? p[px + i] : 0f));
        out[i] = div + dx;
    }

    /** Sums per line, added in line order: the same total for any split of lines over threads. */
    static double ordered(double[] perLine, int lines, int stride, int offset) {
        double s = 0;
        for (int l = 0; l < lines; l++) {
            s += perLine[l * stride + offset];
        }
        return s;
    }
}
