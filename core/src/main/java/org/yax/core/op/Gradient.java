package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Forward differences of a 2-D (height, width) plane or a 3-D (depth, height, width) volume, stacked along
 * a new first axis: (2, h, w) = [d/dy, d/dx] or (3, d, h, w) = [d/dz, d/dy, d/dx]. The difference past the
 * last index of an axis is zero (Neumann boundary). The adjoint is minus the divergence. This is the D in
 * total variation TV(x) = sum |D x|_2; for volumes it is truly 3-D (it couples slices).
 *
 * <p>Each axis may carry a weight w (component = w * difference): for a volume whose slices are further apart
 * than its pixels, w_z = pixel spacing / slice spacing makes every component a difference per pixel spacing
 * of physical distance, so TV does not smooth across slices as if they were as close as pixels.
 */
public final class Gradient implements LinearOperator {
    private final Shape domain;
    private final Shape stacked;
    private final int axes;
    private final double[] weights;

    /** Unweighted differences (every axis weight 1). */
    public Gradient(Shape domain) {
        this(domain, null);
    }

    /**
     * @param weights one positive weight per axis of {@code domain} (outermost first), or null for all 1
     */
    public Gradient(Shape domain, double[] weights) {
        if (domain.dimension() != 2 && domain.dimension() != 3) {
            throw new IllegalArgumentException("Gradient needs a 2-D (height, width) or 3-D (depth, height, width) "
                    + "shape, got " + domain);
        }
        this.domain = domain;
        this.axes = domain.dimension();
        long[] dims = new long[axes + 1];
        dims[0] = axes;
        System.arraycopy(domain.getShape(), 0, dims, 1, axes);
        this.stacked = new Shape(dims);
        if (weights != null && weights.length != axes) {
            throw new IllegalArgumentException("Gradient of " + domain + " needs " + axes + " axis weights, got "
                    + weights.length);
        }
        this.weights = new double[axes];
        for (int i = 0; i < axes; i++) {
            double w = weights == null ? 1 : weights[i];
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("axis weights must be positive and finite, got " + w);
            }
            this.weights[i] = w;
        }
    }

    /** The weight of each axis (outermost first). */
    public double[] weights() {
        return weights.clone();
    }

    @Override public Shape inputShape() { return domain; }
    @Override public Shape outputShape() { return stacked; }
    // forward differences read the next pixel; the adjoint reads the previous one

    /** An upper bound of ||D||^2 (4 w^2 per axis), for solver step sizes. */
    public double normSquaredBound() {
        double sum = 0;
        for (double w : weights) {
            sum += 4 * w * w;
        }
        return sum;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDList parts = new NDList();
        try {
            for (int axis = 0; axis < axes; axis++) {
                NDArray diff = forwardDifference(x, axis);
                if (weights[axis] != 1) {
                    NDArray weighted = diff.mul(weights[axis]);
                    diff.close();
                    diff = weighted;
                }
                parts.add(diff);
            }
            return NDArrays.stack(parts, 0);
        } finally {
            parts.close();
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray p) {
        NDArray sum = null;
        for (int axis = 0; axis < axes; axis++) {
            try (NDArray component = p.get(axis); NDArray unweighted = backwardDifference(component, axis);
                 NDArray term = weights[axis] == 1 ? unweighted.duplicate() : unweighted.mul(weights[axis])) {
                if (sum == null) {
                    sum = term.duplicate();
                } else {
                    NDArray next = sum.add(term);
                    sum.close();
                    sum = next;
                }
            }
        }
        return sum;
    }

    /** x[i+1] - x[i] along axis, 0 in the last position. */
    private static NDArray forwardDifference(NDArray x, int axis) {
        NDManager m = x.getManager();
        long n = x.getShape().get(axis);
        try (NDArray tail = x.get(slice(x, axis, "1:"));
             NDArray head = x.get(slice(x, axis, ":-1"));
             NDArray diff = tail.sub(head);
             NDArray zero = m.zeros(edgeShape(x.getShape(), axis), x.getDataType())) {
            return n > 1 ? diff.concat(zero, axis) : zero.duplicate();
        }
    }

    /** The adjoint of {@link #forwardDifference}: out[i] = p[i-1] - p[i], with p[-1] = p[n-1] = 0. */
    private static NDArray backwardDifference(NDArray p, int axis) {
        NDManager m = p.getManager();
        try (NDArray inner = p.get(slice(p, axis, ":-1"));
             NDArray zero = m.zeros(edgeShape(p.getShape(), axis), p.getDataType());
             NDArray shifted = zero.concat(inner, axis);
             NDArray aligned = inner.concat(zero, axis)) {
            return shifted.sub(aligned);
        }
    }

    /** e.g. ":, 1:" for axis 1 of a 2-D array. */
    private static NDIndex slice(NDArray a, int axis, String range) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.getShape().dimension(); i++) {
            s.append(i == 0 ? "" : ", ").append(i == axis ? range : ":");
        }
        return new NDIndex(s.toString());
    }

    private static Shape edgeShape(Shape s, int axis) {
        long[] dims = s.getShape().clone();
        dims[axis] = 1;
        return new Shape(dims);
    }

    @Override public String describe() {
        boolean unweighted = java.util.Arrays.stream(weights).allMatch(w -> w == 1);
        return "Gradient " + domain + " -> " + stacked + (unweighted ? "" : ", axis weights "
                + java.util.Arrays.toString(weights));
    }
}
