package org.yax.core.noise;

import ai.djl.ndarray.NDArray;

/** F(z) = w sum(z - y log z) for z > 0 (Poisson negative log-likelihood in image units, w = 1/gain). */
final class PoissonLikelihood implements DataFidelity {
    private final NDArray y;
    private final double w;
    private final StepCache fourStepY = new StepCache();

    PoissonLikelihood(NDArray y, double w) {
        this.y = y;
        this.w = w;
    }

    @Override
    public double value(NDArray z) {
        try (NDArray safe = z.maximum(1e-12f); NDArray logZ = safe.log(); NDArray t = safe.sub(logZ.mul(y))) {
            return w * t.sum().getFloat();
        }
    }

    /**
     * prox of the conjugate of w F1, F1(z) = sum(z - y log z): with u = v / w and s' = s / w,
     * prox = w (u + 1 - sqrt((u - 1)^2 + 4 s' y)) / 2 (Chambolle and Pock 2011, eq. for the KL term).
     */
    @Override
    public NDArray proxConjugate(NDArray v, double step) {
        NDArray u = v.div(w);
        NDArray disc = u.sub(1).square().add(fourStepY.get(step, s -> y.mul(4 * s / w))).sqrt();
        return u.add(1).sub(disc).mul(w / 2);
    }
}
