package org.yax.core.op;

import ai.djl.ndarray.NDArray;

/**
 * An operator whose data-fidelity proximal step has a closed form even though A A^H is not diagonal
 * (e.g. undersampled Fourier sampling of a real image, diagonal in the Fourier domain instead). Solvers
 * use it in place of the {@link LinearOperator#gramDiagonal} formula.
 */
public interface DataProximal extends LinearOperator {
    /**
     * argmin_x 1/2 ||A x - y||^2 + 1/(2 tau) ||x - v||^2, i.e. the solution of (A^H A + I / tau) x = A^H y + v / tau.
     * The result belongs to v's manager.
     */
    NDArray dataProximal(NDArray v, NDArray y, double tau);
}
