package org.yax.core.noise;

import java.util.Arrays;

/**
 * The wavelet estimate of the standard deviation of additive white Gaussian noise
 * (Donoho &amp; Johnstone 1994, section 4.2), defined exactly as skimage's {@code restoration.estimate_sigma}:
 * one level of the 2-D db2 wavelet transform ({@code pywt.dwtn(image, 'db2')}, 'symmetric' borders), the finest
 * diagonal detail subband HH, and {@code median(|HH|) / Phi^-1(0.75)} over its coefficients that are not
 * exactly zero.
 *
 * <p>NaN (missing) pixels are excluded: every coefficient whose 4x4 support touches one is dropped. Large flat
 * regions give near-zero coefficients that pull the median down (skimage behaves the same); mark such a
 * background NaN to leave it out. Image texture that looks like noise at the finest scale pushes the estimate up,
 * most visibly when the noise is small compared with the texture: on clean 8-bit photographs and MR slices it
 * reads 1-2% of the range (scripts/noise-estimators.py), which is why {@link NoiseEstimator} uses it only for
 * planes too small for patch statistics.
 */
final class WaveletNoise {
    /** pywt.Wavelet('db2').dec_hi: the decomposition high-pass filter, applied as a convolution. */
    static final double[] DB2_DEC_HI = {
        -0.48296291314453416, 0.8365163037378079, -0.2241438680420134, -0.12940952255126037};
    /** scipy.stats.norm.ppf(0.75): the median of |N(0, 1)|. */
    static final double NORMAL_MAD = 0.6744897501960817;

    private WaveletNoise() {
    }

    /**
     * Estimated noise standard deviation of one plane (checked by the caller), in the plane's own units.
     *
     * @return the estimate; 0 when every usable coefficient is exactly zero (a constant plane)
     * @throws IllegalArgumentException if NaN pixels leave no usable coefficient
     */
    static double estimate(float[] plane, int width, int height) {
        double[] hh = diagonalDetail(plane, width, height);
        double[] magnitudes = new double[hh.length];
        int usable = 0;
        int nonZero = 0;
        for (double c : hh) {
            if (Double.isNaN(c)) {
                continue;
            }
            usable++;
            // skimage treats exactly-zero coefficients as masked out
            if (c != 0) {
                magnitudes[nonZero++] = Math.abs(c);
            }
        }
        if (usable == 0) {
            throw new IllegalArgumentException("plane of width=" + width + ", height=" + height
                    + " has no 4x4 neighbourhood free of NaN pixels, so the noise cannot be estimated");
        }
        if (nonZero == 0) {
            return 0;
        }
        return median(Arrays.copyOf(magnitudes, nonZero)) / NORMAL_MAD;
    }

    /**
     * The 'dd' subband of pywt.dwtn(plane, 'db2', mode='symmetric'): high-pass along y (axis 0) first, then along
     * x, with pywt's summation order in the interior (pywt on float64 data agrees to rounding).
     */
    static double[] diagonalDetail(float[] plane, int width, int height) {
        int outHeight = coefficientCount(height);
        int outWidth = coefficientCount(width);
        int[] rowSource = symmetricIndices(height);
        double[] alongY = new double[outHeight * width];
        for (int o = 0; o < outHeight; o++) {
            int i = 2 * o + 1;
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int j = 0; j < DB2_DEC_HI.length; j++) {
                    s += plane[rowSource[i - j + 3] * width + x] * DB2_DEC_HI[j];
                }
                alongY[o * width + x] = s;
            }
        }
        int[] colSource = symmetricIndices(width);
        double[] out = new double[outHeight * outWidth];
        for (int r = 0; r < outHeight; r++) {
            for (int o = 0; o < outWidth; o++) {
                int i = 2 * o + 1;
                double s = 0;
                for (int j = 0; j < DB2_DEC_HI.length; j++) {
                    s += alongY[r * width + colSource[i - j + 3]] * DB2_DEC_HI[j];
                }
                out[r * outWidth + o] = s;
            }
        }
        return out;
    }

    /** pywt.dwt_coeff_len for non-periodic modes: floor((n + filterLength - 1) / 2). */
    static int coefficientCount(int n) {
        return (n + DB2_DEC_HI.length - 1) / 2;
    }

    /**
     * Source sample for extended positions -3 .. n+2 (stored at offset 3) under pywt's 'symmetric' extension,
     * which repeats the edge sample (... x1 x0 | x0 x1 ... x(n-1) | x(n-1) x(n-2) ...).
     */
    private static int[] symmetricIndices(int n) {
        int pad = DB2_DEC_HI.length - 1;
        int[] idx = new int[n + 2 * pad];
        for (int p = 0; p < idx.length; p++) {
            int m = Math.floorMod(p - pad, 2 * n);
            idx[p] = m < n ? m : 2 * n - 1 - m;
        }
        return idx;
    }

    /** numpy.median: the mean of the two middle values for an even count. Reorders the array. */
    private static double median(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
