package org.yax.core.solve;

import ai.djl.ndarray.NDArray;

/**
 * A solver's estimate x-hat and how it got there.
 *
 * @param estimate       x-hat, owned by the manager of the solver's measurement y
 * @param iterations     iterations run
 * @param relativeChange the last measured ||x_k - x_{k-1}|| / ||x_k|| (NaN if never measured)
 * @param converged      whether the tolerance was met before maxIterations
 */
public record SolverResult(NDArray estimate, int iterations, double relativeChange, boolean converged) { }
