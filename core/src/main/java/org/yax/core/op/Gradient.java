package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Forward differences of a (height, width) plane, stacked as (2, height, width): [d/dy, d/dx], with the
 * difference past the last row/column set to zero (Neumann boundary). The adjoint is minus the divergence.
 * This is the D in total variation TV(x) = sum |D x|.
 */
public final class Gradient implements LinearOperator {
    private final Shape plane;
    private final Shape stacked;

    public Gradient(Shape plane) {
        if (plane.dimension() != 2) {
            throw new IllegalArgumentException("Gradient needs a 2-D (height, width) shape, got " + plane);
        }
        this.plane = plane;
        this.stacked = new Shape(2, plane.get(0), plane.get(1));
    }

    @Override public Shape inputShape() { return plane; }
    @Override public Shape outputShape() { return stacked; }
    // forward differences read the next pixel; the adjoint reads the previous one
    @Override public int support() { return 1; }

    @Override
    public NDArray apply(NDArray x) {
        try (NDArray dy = forwardDifference(x, 0); NDArray dx = forwardDifference(x, 1)) {
            return dy.stack(dx, 0);
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray p) {
        try (NDArray py = p.get(0); NDArray px = p.get(1);
             NDArray ay = backwardDifference(py, 0); NDArray ax = backwardDifference(px, 1)) {
            return ay.add(ax);
        }
    }

    /** x[i+1] - x[i] along axis, 0 in the last position. */
    private static NDArray forwardDifference(NDArray x, int axis) {
        NDManager m = x.getManager();
        long n = x.getShape().get(axis);
        try (NDArray tail = x.get(slice(axis, "1:"));
             NDArray head = x.get(slice(axis, ":-1"));
             NDArray diff = tail.sub(head);
             NDArray zero = m.zeros(edgeShape(x.getShape(), axis), x.getDataType())) {
            return n > 1 ? diff.concat(zero, axis) : zero.duplicate();
        }
    }

    /** The adjoint of {@link #forwardDifference}: out[i] = p[i-1] - p[i], with p[-1] = p[n-1] = 0. */
    private static NDArray backwardDifference(NDArray p, int axis) {
        NDManager m = p.getManager();
        try (NDArray inner = p.get(slice(axis, ":-1"));
             NDArray zero = m.zeros(edgeShape(p.getShape(), axis), p.getDataType());
             NDArray shifted = zero.concat(inner, axis);
             NDArray aligned = inner.concat(zero, axis)) {
            return shifted.sub(aligned);
        }
    }

    private static NDIndex slice(int axis, String range) {
        return new NDIndex(axis == 0 ? range + ", :" : ":, " + range);
    }

    private static Shape edgeShape(Shape s, int axis) {
        return axis == 0 ? new Shape(1, s.get(1)) : new Shape(s.get(0), 1);
    }
}
