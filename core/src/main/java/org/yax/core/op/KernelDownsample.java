package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleUnaryOperator;

/**
 * Super-resolution forward model with an anti-aliasing filter: y = (k * x) sampled every {@code factor}
 * pixels, on a (height, width) plane whose sizes are multiples of the factor (2, 3 or 4). Low-resolution pixel
 * o sits at the centre of its factor x factor block, o * factor + (factor - 1) / 2 in high-resolution
 * pixel coordinates; the separable filter's weights are the kernel evaluated at the distances to that
 * centre, normalised to sum 1.
 *
 * <p>{@link #bicubic} is MATLAB's {@code imresize(x, 1/factor, 'bicubic')} with its default antialiasing
 * (the degradation of the standard SR benchmarks Set5/Set14/BSD100/Urban100/DIV2K "BI"): Keys' cubic
 * with a = -0.5 stretched by the factor, h(d) = cubic(d / factor) / factor, support 4 * factor taps.
 * Boundary: symmetric ("reflect") extension, which is exactly how imresize mirrors out-of-range indices,
 * so the whole image (borders included) matches imresize. The adjoint is exact: zero insertion, correlation
 * with the flipped filter, and the extension's margins folded back ({@link ReflectConvolution}).
 *
 * <p>The area model (block mean, A A^H = I / factor^2) stays in {@link Downsample}.
 */
public final class KernelDownsample implements LinearOperator {
    private final Shape highRes;
    private final Shape lowRes;
    private final int factor;
    private final float[] taps;
    private final String name;
    private final ReflectConvolution conv;
    /** the 2-D taps and the extension before the first block (both axes), for the host form */
    private final float[] square;
    private final int before;

    private KernelDownsample(Shape highRes, int factor, DoubleUnaryOperator kernel, double support, String name) {
        requireFactor(factor);
        if (highRes == null || highRes.dimension() != 2 || highRes.get(0) < factor || highRes.get(1) < factor
                || highRes.get(0) % factor != 0 || highRes.get(1) % factor != 0) {
            throw new IllegalArgumentException("high-resolution shape " + highRes + " must be 2-D (height, width) "
                    + "with both sizes multiples of the factor " + factor);
        }
        this.highRes = highRes;
        this.factor = factor;
        this.lowRes = new Shape(highRes.get(0) / factor, highRes.get(1) / factor);
        this.name = name;
        // taps at integer offsets j from o * factor, centred on c = (factor - 1) / 2; the range always covers
        // the block itself so both extensions are >= 0
        double centre = (factor - 1) / 2.0;
        int first = Math.min(0, (int) Math.floor(centre - support));
        int last = Math.max(factor - 1, (int) Math.ceil(centre + support));
        double[] w = new double[last - first + 1];
        double sum = 0;
        for (int j = first; j <= last; j++) {
            double d = j - centre;
            w[j - first] = Math.abs(d) <= support ? kernel.applyAsDouble(d) : 0;
            sum += w[j - first];
        }
        // drop zero taps at both ends, as imresize drops all-zero contributions
        int lo = 0;
        int hi = w.length - 1;
        while (lo < hi && w[lo] == 0 && first + lo < 0) {
            lo++;
        }
        while (hi > lo && w[hi] == 0 && first + hi > factor - 1) {
            hi--;
        }
        this.taps = new float[hi - lo + 1];
        for (int i = lo; i <= hi; i++) {
            taps[i - lo] = (float) (w[i] / sum);
        }
        int start = first + lo;
        int end = first + hi;
        this.before = -start;
        int after = end - (factor - 1);
        this.square = new float[taps.length * taps.length];
        for (int i = 0; i < taps.length; i++) {
            for (int j = 0; j < taps.length; j++) {
                square[i * taps.length + j] = taps[i] * taps[j];
            }
        }
        // the filter is symmetric about the block centre, so correlation taps = convolution taps
        this.conv = new ReflectConvolution(square, taps.length, taps.length, new int[] {before, after},
                new int[] {before, after}, factor);
    }

    /** MATLAB imresize(x, 1/factor, 'bicubic') (antialiased, a = -0.5). @param factor 2, 3 or 4 */
    public static KernelDownsample bicubic(Shape highRes, int factor) {
        requireFactor(factor);
        return new KernelDownsample(highRes, factor, d -> cubic(d / factor) / factor, 2.0 * factor,
                "bicubic downsample (MATLAB imresize, x" + factor + ")");
    }

    /** The bicubic operator that maps a (height*factor, width*factor) plane onto {@code lowRes}. */
    public static KernelDownsample bicubicToLowRes(Shape lowRes, int factor) {
        requireFactor(factor);
        if (lowRes == null || lowRes.dimension() != 2) {
            throw new IllegalArgumentException("low-resolution shape must be 2-D, got " + lowRes);
        }
        return bicubic(new Shape(lowRes.get(0) * factor, lowRes.get(1) * factor), factor);
    }

    /**
     * Gaussian anti-aliasing (sigma in high-resolution pixels, > 0, truncated at 4 sigma) then decimation
     * at the block centres.
     */
    public static KernelDownsample gaussian(Shape highRes, int factor, double sigmaPixels) {
        if (!(sigmaPixels > 0) || Double.isInfinite(sigmaPixels)) {
            throw new IllegalArgumentException("sigmaPixels must be a finite number > 0, got " + sigmaPixels);
        }
        return new KernelDownsample(highRes, factor, d -> Math.exp(-0.5 * d * d / (sigmaPixels * sigmaPixels)),
                4 * sigmaPixels, "Gaussian downsample (sigma " + sigmaPixels + " px, x" + factor + ")");
    }

    /** Keys' cubic convolution kernel with a = -0.5 (MATLAB's and PIL's bicubic). */
    static double cubic(double x) {
        double ax = Math.abs(x);
        double ax2 = ax * ax;
        double ax3 = ax2 * ax;
        if (ax <= 1) {
            return 1.5 * ax3 - 2.5 * ax2 + 1;
        }
        if (ax <= 2) {
            return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        }
        return 0;
    }

    private static void requireFactor(int factor) {
        if (factor < 2 || factor > 4) {
            throw new IllegalArgumentException("factor must be 2, 3 or 4, got " + factor);
        }
    }

    public int factor() { return factor; }

    /** A copy of the normalised 1-D filter (the 2-D filter is its outer product). */
    public float[] taps() { return taps.clone(); }

    /** The same strided correlation on host arrays ({@link HostOperator#of}). */
    HostOperator hostForm() {
        return new HostOperators.ReflectCorrelation((int) highRes.get(0), (int) highRes.get(1), (int) lowRes.get(0),
                (int) lowRes.get(1), square, taps.length, taps.length, before, before, factor);
    }

    @Override public Shape inputShape() { return highRes; }
    @Override public Shape outputShape() { return lowRes; }

    @Override
    public NDArray apply(NDArray x) {
        return conv.forwardPlane(x, highRes, lowRes);
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        return conv.adjointPlane(y, highRes, lowRes);
    }

    @Override public String describe() { return name + " " + highRes + " -> " + lowRes; }
}
