package org.yax.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.yax.core.noise.GaussianNoise;
import org.yax.core.op.Downsample;
import org.yax.core.op.KernelDownsample;
import org.yax.core.op.LinearOperator;
import org.yax.models.net.Head;
import org.yax.models.net.NetworkInput;

/**
 * y = A x + e for one training patch, with the core's own operators and noise model (the same A that
 * reconstruction inverts) and, for super-resolution, also the standard bicubic degradation. Noise levels
 * and missing fractions are drawn at random so one network serves every level.
 */
public final class Degradation {
    /** Largest denoising sigma (normalised units) seen in training: PnP starts at about a fifth of the range. */
    public static final double MAX_DENOISE_SIGMA = 75.0 / 255;
    /** Largest sigma added to super-resolution and inpainting measurements. */
    public static final double MAX_INVERSE_SIGMA = 10.0 / 255;

    private Degradation() { }

    /** The network input (3, p, p) for a clean (p, p) patch; p a multiple of the head's scale. */
    public static float[] degrade(Head head, float[] clean, int p, Random random, NDManager manager) {
        return switch (head) {
            case DENOISE -> {
                double sigma = denoiseSigma(random);
                yield NetworkInput.build(head, new GaussianNoise(sigma).sample(clean, random), null, p, p, sigma);
            }
            case SR2, SR4 -> {
                int s = head.scale();
                Shape highRes = new Shape(p, p);
                // the area model reconstruction inverts, or the standard bicubic (imresize) degradation
                LinearOperator a = random.nextBoolean() ? new Downsample(highRes, s) : KernelDownsample.bicubic(highRes, s);
                float[] low;
                try (NDArray x = manager.create(clean, highRes); NDArray y = a.forward(x)) {
                    low = y.toFloatArray();
                }
                double sigma = random.nextDouble() < 0.6 ? 0 : random.nextDouble() * MAX_INVERSE_SIGMA;
                yield NetworkInput.build(head, new GaussianNoise(sigma).sample(low, random), null, p / s, p / s, sigma);
            }
            case INPAINT -> {
                double sigma = random.nextDouble() < 0.5 ? 0 : random.nextDouble() * MAX_INVERSE_SIGMA;
                boolean[] observed = missingPattern(p, random);
                yield NetworkInput.build(head, new GaussianNoise(sigma).sample(clean, random), observed, p, p, sigma);
            }
        };
    }

    /** Smallest sigma of the log-uniform half of the denoising noise levels (normalised units). */
    static final double MIN_LOG_SIGMA = 0.5 / 255;

    /**
     * Half uniform on [0, max], half log-uniform on [0.5/255, max]: the uniform draw alone almost never shows
     * the network the low noise of CT, of super-resolution inputs and of plug-and-play's last iterations.
     */
    static double denoiseSigma(Random random) {
        if (random.nextBoolean()) {
            return random.nextDouble() * MAX_DENOISE_SIGMA;
        }
        return MIN_LOG_SIGMA * Math.pow(MAX_DENOISE_SIGMA / MIN_LOG_SIGMA, random.nextDouble());
    }

    /** Random missing pixels (20..90%), sometimes with stripes or a block missing too (nodata gaps, SLC-off). */
    static boolean[] missingPattern(int p, Random random) {
        boolean[] observed = new boolean[p * p];
        double missing = 0.2 + 0.7 * random.nextDouble();
        for (int i = 0; i < observed.length; i++) {
            observed[i] = random.nextDouble() >= missing;
        }
        if (random.nextDouble() < 0.3) {
            int kind = random.nextInt(2);
            int a = random.nextInt(p);
            int len = 2 + random.nextInt(Math.max(1, p / 4));
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    boolean hit = kind == 0 ? (r >= a && r < a + len / 3 + 1)
                            : (r >= a / 2 && r < a / 2 + len && c >= a / 3 && c < a / 3 + len);
                    if (hit) {
                        observed[r * p + c] = false;
                    }
                }
            }
        }
        boolean any = false;
        for (boolean o : observed) {
            any |= o;
        }
        if (!any) {
            observed[random.nextInt(observed.length)] = true;
        }
        return observed;
    }
}
