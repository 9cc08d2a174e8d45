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
        float[] first = observed == null ? y : fill(y, observed, h, w);
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

    /**
     * Missing pixels get the mean of observed pixels in the smallest box (radius 2, 6, 18, ...) that holds
     * any (normalised convolution); observed pixels keep their value. Summed-area tables keep it O(n) per level.
     */
    public static float[] fill(float[] y, boolean[] observed, int h, int w) {
        float[] out = y.clone();
        boolean[] done = observed.clone();
        int remaining = 0;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < out.length; i++) {
            if (!done[i]) {
                remaining++;
            } else {
                sum += y[i];
                count++;
            }
        }
        if (count == 0) {
            java.util.Arrays.fill(out, 0.5f);
            return out;
        }
        double[] values = new double[(h + 1) * (w + 1)];
        int[] counts = new int[(h + 1) * (w + 1)];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int i = r * w + c;
                int k = (r + 1) * (w + 1) + c + 1;
                values[k] = values[k - 1] + values[k - w - 1] - values[k - w - 2] + (observed[i] ? y[i] : 0);
                counts[k] = counts[k - 1] + counts[k - w - 1] - counts[k - w - 2] + (observed[i] ? 1 : 0);
            }
        }
        for (int radius = 2; remaining > 0 && radius < 2 * Math.max(h, w); radius *= 3) {
            for (int r = 0; r < h; r++) {
                int r0 = Math.max(0, r - radius);
                int r1 = Math.min(h, r + radius + 1);
                for (int c = 0; c < w; c++) {
                    int i = r * w + c;
                    if (done[i]) {
                        continue;
                    }
                    int c0 = Math.max(0, c - radius);
                    int c1 = Math.min(w, c + radius + 1);
                    int n = counts[r1 * (w + 1) + c1] - counts[r0 * (w + 1) + c1] - counts[r1 * (w + 1) + c0]
                            + counts[r0 * (w + 1) + c0];
                    if (n > 0) {
                        double v = values[r1 * (w + 1) + c1] - values[r0 * (w + 1) + c1]
                                - values[r1 * (w + 1) + c0] + values[r0 * (w + 1) + c0];
                        out[i] = (float) (v / n);
                        done[i] = true;
                        remaining--;
                    }
                }
            }
        }
        return out;
    }
}
