package org.yax.core.noise;

import ai.djl.ndarray.NDArray;

/**
 * F(z), z = A x: how well a candidate explains the measurement. Primal-dual solvers only need the
 * proximal map of its convex conjugate, prox_{s F*}(v) = argmin_p 1/2 ||p - v||^2 + s F*(p).
 */
public interface DataFidelity {
    /** F(z) = 1/2 ||z - y||^2, the fidelity of additive white Gaussian noise. */
    static DataFidelity leastSquares(NDArray y) {
        return new WeightedLeastSquares(y, null);
    }

    /** F(z) as a number (for monitoring and tests). */
    double value(NDArray z);

    /** prox_{step F*}(v); the result belongs to v's manager. */
    NDArray proxConjugate(NDArray v, double step);
}
