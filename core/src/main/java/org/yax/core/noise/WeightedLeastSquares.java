package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/** F(z) = 1/2 sum w (z - y)^2, with w = 1 when no weights are given. */
final class WeightedLeastSquares implements DataFidelity {
    private final NDArray y;
    private final NDArray weights;
    private final StepCache yTimesStep = new StepCache();
    private final StepCache denominator = new StepCache();

    WeightedLeastSquares(NDArray y, NDArray weights) {
        this.y = y;
        this.weights = weights;
    }

    @Override
    public double value(NDArray z) {
        try (NDArray r = z.sub(y); NDArray r2 = r.square(); NDArray wr2 = weights == null ? r2.duplicate() : r2.mul(weights)) {
            return 0.5 * wr2.sum().getFloat();
        }
    }

    /** F*(p) = sum p^2 / (2w) + p y, so prox_{sF*}(v) = (v - s y) / (1 + s / w). */
    @Override
    public NDArray proxConjugate(NDArray v, double step) {
        NDArray shifted = v.sub(yTimesStep.get(step, y::mul));
        if (weights == null) {
            return shifted.div(1 + step);
        }
        return shifted.div(denominator.get(step, s -> NDArrays.div((float) s, weights).add(1)));
    }
}
