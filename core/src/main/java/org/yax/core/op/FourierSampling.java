package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Undersampled Cartesian MRI: y = M F x, the orthonormal 2-D DFT (numpy.fft.fft2(x, norm='ortho'), no
 * fftshift: k-space in numpy.fft order) followed by the phase-encode line mask M of a {@link SamplingMask}.
 *
 * <p>Complex arrays cross the operator boundary as float32 arrays with a trailing dimension 2 (re, im).
 * The measurement y is always (height, width, 2), zero on the lines not acquired. The image is either
 * <ul>
 *   <li>{@link #ofRealImage}: x real, (height, width), as yax images are. Then A maps R^n to C^n and the
 *       adjoint for the real inner product Re&lt;., .&gt; is A^H y = Re(F^H M y): the zero-filled reconstruction.
 *       A A^H is not diagonal (it couples ky and -ky), but A^H A = F^H diag((M + M(-ky)) / 2) F is, so the data
 *       proximal step is exact in the Fourier domain ({@link DataProximal}); or</li>
 *   <li>{@link #ofComplexImage}: x complex, (height, width, 2); A A^H = M, so {@link #gramDiagonal} is the mask.</li>
 * </ul>
 */
public final class FourierSampling implements DataProximal {
    private final SamplingMask mask;
    private final boolean realImage;
    private final long h;
    private final long w;
    private final Shape image;
    private final Shape kspace;

    private FourierSampling(SamplingMask mask, boolean realImage) {
        if (mask == null) {
            throw new IllegalArgumentException("sampling mask must not be null");
        }
        this.mask = mask;
        this.realImage = realImage;
        this.h = mask.height();
        this.w = mask.width();
        this.kspace = new Shape(h, w, 2);
        this.image = realImage ? new Shape(h, w) : kspace;
    }

    /** x real (height, width) -> y (height, width, 2). */
    public static FourierSampling ofRealImage(SamplingMask mask) {
        return new FourierSampling(mask, true);
    }

    /** x complex (height, width, 2) -> y (height, width, 2). */
    public static FourierSampling ofComplexImage(SamplingMask mask) {
        return new FourierSampling(mask, false);
    }

    public SamplingMask mask() { return mask; }
    public boolean isRealImage() { return realImage; }
    @Override public Shape inputShape() { return image; }
    @Override public Shape outputShape() { return kspace; }

    @Override
    public NDArray apply(NDArray x) {
        try (NDArray spectrum = fft(x); NDArray pairs = spectrum.real();
             NDArray scale = rowFactors(x.getManager(), (float) (1 / Math.sqrt(h * w)))) {
            return pairs.mul(scale);
        }
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        // ifft2 divides by h*w; sqrt(h*w) more makes it orthonormal
        try (NDArray scale = rowFactors(y.getManager(), (float) Math.sqrt(h * w));
             NDArray masked = y.mul(scale);
             NDArray c = masked.complex();
             NDArray back = c.ifft2(new long[] {h, w}, new long[] {0, 1});
             NDArray pairs = back.real()) {
            return realImage ? realPart(pairs) : pairs.duplicate();
        }
    }

    /** The mask, as (height, width, 2), for the complex-image operator; null for the real one (not diagonal). */
    @Override
    public NDArray gramDiagonal(NDManager manager) {
        if (realImage) {
            return null;
        }
        try (NDArray rows = rowFactors(manager, 1f)) {
            return rows.broadcast(kspace);
        }
    }

    @Override
    public NDArray dataProximal(NDArray v, NDArray y, double tau) {
        LinearOperator.requireShape("proximal point v", image, v);
        LinearOperator.requireShape("measurement y", kspace, y);
        if (!(tau > 0)) {
            throw new IllegalArgumentException("proximal step tau must be > 0, got " + tau);
        }
        NDManager m = v.getManager();
        if (!realImage) {
            // Woodbury with A A^H = M: x = v - A^H (A v - y) / (1/tau + M)
            try (NDArray av = apply(v); NDArray r = av.sub(y);
                 NDArray denom = rowFactors(m, 1f).add((float) (1 / tau));
                 NDArray scaled = r.div(denom); NDArray back = applyAdjoint(scaled)) {
                return v.sub(back);
            }
        }
        // (F^H S F + I/tau) x = A^H y + v/tau with S = diag((M(ky) + M(-ky)) / 2): divide in the Fourier domain
        float[] inverse = new float[(int) h];
        for (int i = 0; i < h; i++) {
            double s = 0.5 * ((mask.isSampled(i) ? 1 : 0) + (mask.isSampled((int) ((h - i) % h)) ? 1 : 0));
            inverse[i] = (float) (1 / (s + 1 / tau));
        }
        try (NDArray aty = applyAdjoint(y); NDArray vt = v.div((float) tau); NDArray rhs = vt.add(aty);
             NDArray spectrum = fft(rhs); NDArray pairs = spectrum.real();
             NDArray factor = m.create(inverse, new Shape(h, 1, 1)); NDArray divided = pairs.mul(factor);
             NDArray c = divided.complex(); NDArray back = c.ifft2(new long[] {h, w}, new long[] {0, 1});
             NDArray backPairs = back.real()) {
            return realPart(backPairs);
        }
    }

    /** The unnormalised 2-D DFT of a real (h, w) or (h, w, 2) array, as complex64 (h, w). */
    private NDArray fft(NDArray x) {
        if (realImage) {
            return x.fft2(new long[] {h, w}, new long[] {0, 1});
        }
        try (NDArray contiguous = x.duplicate(); NDArray c = contiguous.complex()) {
            return c.fft2(new long[] {h, w}, new long[] {0, 1});
        }
    }

    /** (h, 1, 1) float: value on acquired rows, 0 elsewhere (broadcasts over kx and re/im). */
    private NDArray rowFactors(NDManager manager, float value) {
        return manager.create(mask.rowWeights(value), new Shape(h, 1, 1));
    }

    private static NDArray realPart(NDArray pairs) {
        try (NDArray re = pairs.get(new NDIndex(":, :, 0"))) {
            return re.duplicate();
        }
    }

    @Override
    public String describe() {
        return "FourierSampling (" + (realImage ? "real" : "complex") + " image, " + mask.describe() + ") "
                + image + " -> " + kspace;
    }
}
