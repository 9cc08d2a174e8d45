package org.yax.core.solve;

import ai.djl.ndarray.NDArray;

/**
 * Removes additive white Gaussian noise of a given standard deviation: the prior of plug-and-play
 * solvers. Classical (TV) or learned; the result belongs to the input's manager.
 */
@FunctionalInterface
public interface Denoiser {
    /** @param sigma noise standard deviation in the image's units */
    NDArray denoise(NDArray noisy, double sigma);
}
