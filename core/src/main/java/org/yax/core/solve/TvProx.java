package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.op.Gradient;

/**
 * The proximal map of isotropic TV, prox(v) = argmin_x 1/2 ||x - v||^2 + weight * TV(x), by fast
 * gradient projection on the dual (Beck and Teboulle 2009). Keeps its dual field between calls so a
 * solver that calls it every iteration warm-starts it (a few inner iterations then suffice).
 */
public final class TvProx implements AutoCloseable {
    private final Gradient d;
    private final int innerIterations;
    private NDArray dual;

    public TvProx(Gradient d, int innerIterations) {
        if (innerIterations < 1) {
            throw new IllegalArgumentException("innerIterations must be >= 1, got " + innerIterations);
        }
        this.d = d;
        this.innerIterations = innerIterations;
    }

    /** The result and intermediates belong to v's manager; the kept dual field moves there too. */
    public NDArray apply(NDArray v, double weight) {
        if (!(weight > 0)) {
            return v.duplicate();
        }
        NDArray p = dual == null ? v.getManager().zeros(d.outputShape(), v.getDataType()) : dual;
        p.attach(v.getManager());
        NDArray r = p;
        double t = 1;
        double step = 1 / (d.normSquaredBound() * weight);
        for (int k = 0; k < innerIterations; k++) {
            NDArray x = v.sub(d.applyAdjoint(r).mul(weight));
            NDArray pNew = projectOntoUnitBall(r.add(d.apply(x).mul(step)));
            double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            r = pNew.add(pNew.sub(p).mul((t - 1) / tNew));
            p = pNew;
            t = tNew;
        }
        dual = p;
        return v.sub(d.applyAdjoint(p).mul(weight));
    }

    private static NDArray projectOntoUnitBall(NDArray q) {
        NDArray magnitude = q.square().sum(new int[] {0}, true).sqrt();
        return q.div(magnitude.maximum(1f));
    }

    /** The kept dual field (null before the first call), for solvers that must carry it across steps. */
    NDArray dualField() {
        return dual;
    }

    @Override
    public void close() {
        if (dual != null) {
            dual.close();
            dual = null;
        }
    }
}
