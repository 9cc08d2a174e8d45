package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * The e in y = A x + e: how measurements scatter around A x. Simulates noisy data (for evaluation and
 * training) and supplies the matching data-fidelity term (its negative log-likelihood) to solvers.
 */
public interface NoiseModel {
    /** A noisy measurement of {@code clean} (image units; NaN stays NaN), reproducible from {@code random}. */
    float[] sample(float[] clean, Random random);

    /** The data-fidelity term for measurement y (its negative log-likelihood up to a constant). */
    DataFidelity fidelity(NDArray y);

    /** Short description for reports, e.g. "gaussian(sigma=25)". */
    String describe();
}
