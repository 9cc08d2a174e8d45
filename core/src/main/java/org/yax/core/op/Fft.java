package org.yax.core.op;

/**
 * The unnormalised 1-D discrete Fourier transform of one length, on split complex float arrays (re, im), in
 * place: forward X[k] = sum_j x[j] e^{-2 pi i jk/n}, inverse with e^{+2 pi i jk/n} (no 1/n). Powers of two by the
 * iterative radix-2 algorithm; any other length by Bluestein's chirp-z algorithm through a power-of-two transform
 * of at least 2n - 1 points. Twiddles and chirps are made once, in double precision; scratch is per thread, so one
 * plan serves every thread of {@link HostPool} with no allocation per call.
 */
final class Fft {
    private final int n;
    /** the radix-2 plan of n (power of two) or of the Bluestein length */
    private final Radix2 radix;
    /** Bluestein: chirp e^{-i pi j^2 / n} (forward; the inverse uses its conjugate), and the FFT of its filters */
    private final float[] chirpRe;
    private final float[] chirpIm;
    private final float[] filterForwardRe;
    private final float[] filterForwardIm;
    private final float[] filterInverseRe;
    private final float[] filterInverseIm;
    private final ThreadLocal<float[][]> scratch;

    Fft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be >= 1, got " + n);
        }
        this.n = n;
        if (Integer.bitCount(n) == 1) {
            this.radix = new Radix2(n);
            this.chirpRe = null;
            this.chirpIm = null;
            this.filterForwardRe = null;
            this.filterForwardIm = null;
            this.filterInverseRe = null;
            this.filterInverseIm = null;
            this.scratch = null;
            return;
        }
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        this.radix = new Radix2(m);
        this.chirpRe = new float[n];
        this.chirpIm = new float[n];
        for (int j = 0; j < n; j++) {
            // j^2 mod 2n keeps the angle exact for long transforms
            double angle = Math.PI * (double) (((long) j * j) % (2L * n)) / n;
            chirpRe[j] = (float) Math.cos(angle);
            chirpIm[j] = (float) -Math.sin(angle);
        }
        // filter b[k] = conj(chirp[|k|]) for k in (-n, n), wrapped into m points; its transform, scaled by 1/m so
        // the convolution's inverse transform needs no division
        this.filterForwardRe = new float[m];
        this.filterForwardIm = new float[m];
        this.filterInverseRe = new float[m];
        this.filterInverseIm = new float[m];
        for (int k = 0; k < n; k++) {
            filterForwardRe[k] = chirpRe[k];
            filterForwardIm[k] = -chirpIm[k];
            filterInverseRe[k] = chirpRe[k];
            filterInverseIm[k] = chirpIm[k];
            if (k > 0) {
                filterForwardRe[m - k] = chirpRe[k];
                filterForwardIm[m - k] = -chirpIm[k];
                filterInverseRe[m - k] = chirpRe[k];
                filterInverseIm[m - k] = chirpIm[k];
            }
        }
        radix.transform(filterForwardRe, filterForwardIm, false);
        radix.transform(filterInverseRe, filterInverseIm, false);
        float scale = 1f / m;
        for (int k = 0; k < m; k++) {
            filterForwardRe[k] *= scale;
            filterForwardIm[k] *= scale;
            filterInverseRe[k] *= scale;
            filterInverseIm[k] *= scale;
        }
        this.scratch = ThreadLocal.withInitial(() -> new float[][] {new float[m], new float[m]});
    }

    int length() {
        return n;
    }

    /** Transforms re[0..n), im[0..n) in place. */
    void transform(float[] re, float[] im, boolean inverse) {
        if (chirpRe == null) {
            radix.transform(re, im, inverse);
            return;
        }
        float[][] s = scratch.get();
        float[] ar = s[0];
        float[] ai = s[1];
        float sign = inverse ? -1f : 1f;
        for (int j = 0; j < n; j++) {
            float cr = chirpRe[j];
            float ci = sign * chirpIm[j];
            ar[j] = re[j] * cr - im[j] * ci;
            ai[j] = re[j] * ci + im[j] * cr;
        }
        java.util.Arrays.fill(ar, n, ar.length, 0f);
        java.util.Arrays.fill(ai, n, ai.length, 0f);
        radix.transform(ar, ai, false);
        float[] br = inverse ? filterInverseRe : filterForwardRe;
        float[] bi = inverse ? filterInverseIm : filterForwardIm;
        for (int k = 0; k < ar.length; k++) {
            float r = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
        }
        radix.transform(ar, ai, true);
        for (int k = 0; k < n; k++) {
            float cr = chirpRe[k];
            float ci = sign * chirpIm[k];
            re[k] = ar[k] * cr - ai[k] * ci;
            im[k] = ar[k] * ci + ai[k] * cr;
        }
    }

    /** Iterative radix-2 decimation in time of a power-of-two length. */
    private static final class Radix2 {
        private final int n;
        private final int[] reversed;
        private final float[] cos;
        private final float[] sin;

        Radix2(int n) {
            this.n = n;
            this.reversed = new int[n];
            int bits = Integer.numberOfTrailingZeros(n);
            for (int i = 0; i < n; i++) {
                reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
            }
            this.cos = new float[Math.max(1, n / 2)];
            this.sin = new float[Math.max(1, n / 2)];
            for (int k = 0; k < n / 2; k++) {
                double angle = 2 * Math.PI * k / n;
                cos[k] = (float) Math.cos(angle);
                sin[k] = (float) Math.sin(angle);
            }
        }

        void transform(float[] re, float[] im, boolean inverse) {
            for (int i = 0; i < n; i++) {
                int j = reversed[i];
                if (j > i) {
                    float t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
            }
            float sign = inverse ? 1f : -1f;
            for (int len = 2; len <= n; len <<= 1) {
                int half = len >>> 1;
                int step = n / len;
                for (int j = 0; j < half; j++) {
                    float wr = cos[j * step];
                    float wi = sign * sin[j * step];
                    for (int a = j; a < n; a += len) {
                        int b = a + half;
                        float tr = re[b] * wr - im[b] * wi;
                        float ti = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] += tr;
                        im[a] += ti;
                    }
                }
            }
        }
    }
}
