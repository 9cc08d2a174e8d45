package org.yax.models.net;

import org.yax.core.solve.Interpolation;

/**
 * Builds the three input planes of {@link MultiTaskNet} for one head from a measurement in normalised
 * units ([0, 1] is the image's range): the measurement brought to the output grid, the noise-level map
 * and the observation mask. Training and inference share this, so the network sees the same thing in both.
 */
public final class NetworkInput {
    private NetworkInput() { }

    /**
     * @param y        measurement, (h, w) row-major; values at unobserved pixels are ignored
     * @param observed observation mask (null: all observed)
     * @param sigma    noise standard deviation in normalised units
     * @return (3, h * s, w * s) planes, s = head.scale()
     */
    public static float[] build(Head head, float[] y, boolean[] observed, int h, int w, double sigma) {
        int s = head.scale();
        float[] first = observed == null ? y : org.yax.core.solve.Interpolation.fillMissing(y, observed, h, w);
        if (s > 1) {
            first = Interpolation.bicubic(first, h, w, s);
        }
        int n = h * w * s * s;
        float[] out = new float[3 * n];
        System.arraycopy(first, 0, out, 0, n);
        java.util.Arrays.fill(out, n, 2 * n, (float) sigma);
        if (head == Head.INPAINT && observed != null) {
            for (int i = 0; i < n; i++) {
                out[2 * n + i] = observed[i] ? 1f : 0f;
            }
        } else {
            java.util.Arrays.fill(out, 2 * n, 3 * n, 1f);
        }
        return out;
    }
}
