package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Deblurring forward model on a (height, width) plane: y = psf * x, a 2-D convolution with a point-spread
 * function of odd size centred on its middle entry, normalised to sum 1.
 *
 * <p>Boundary: symmetric ("reflect") extension, x[-1] = x[0], x[-2] = x[1], ... as in
 * {@code scipy.ndimage.convolve(mode='reflect')} and MATLAB's {@code imfilter(..., 'symmetric')}, repeated
 * with period 2 * size when the PSF is larger than the image. The adjoint is exact: correlation with the PSF (convolution
 * with the flipped PSF) over the zero-extended plane, then the extension's margins folded back.
 */
public final class Blur implements LinearOperator {
    private final Shape plane;
    private final float[][] psf;
    private final String name;
    private final ReflectConvolution conv;

    private Blur(Shape plane, float[][] psf, String name) {
        requirePlane(plane);
        this.plane = plane;
        this.psf = psf;
        this.name = name;
        int kh = psf.length;
        int kw = psf[0].length;
        int rh = kh / 2;
        int rw = kw / 2;
        // the operator convolves, Conv2d correlates: hand it the PSF flipped
        float[] taps = new float[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                taps[i * kw + j] = psf[kh - 1 - i][kw - 1 - j];
            }
        }
        this.conv = new ReflectConvolution(taps, kh, kw, new int[] {rh, rh}, new int[] {rw, rw}, 1);
    }

    /**
     * Sampled Gaussian, truncated at radius round(4 sigma) like scipy.ndimage.gaussian_filter, normalised.
     * @param sigmaPixels standard deviation in pixels, >= 0 (0 is the identity)
     */
    public static Blur gaussian(Shape plane, double sigmaPixels) {
        float[] g = Kernels.gaussian1d(sigmaPixels, "sigmaPixels");
        return new Blur(plane, Kernels.outer(g, g), "Gaussian blur (sigma " + sigmaPixels + " px)");
    }

    /** Uniform size x size average. @param size odd, >= 1 */
    public static Blur box(Shape plane, int size) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("box size must be an odd number >= 1, got " + size);
        }
        float[][] k = new float[size][size];
        for (float[] row : k) {
            java.util.Arrays.fill(row, 1f / (size * size));
        }
        return new Blur(plane, k, "box blur (" + size + "x" + size + ")");
    }

    /**
     * Linear camera motion: a line segment of the given length through the PSF's centre, rasterised with
     * bilinear weights (8 samples per pixel of length) in a square of odd size 2 * ceil(length / 2) + 1.
     * @param lengthPixels >= 0 (below 1 it is nearly the identity)
     * @param angleDegrees direction counter-clockwise from the +x (column) axis, with rows pointing down
     */
    public static Blur motion(Shape plane, double lengthPixels, double angleDegrees) {
        if (!(lengthPixels >= 0) || Double.isInfinite(lengthPixels)) {
            throw new IllegalArgumentException("motion lengthPixels must be a finite number >= 0, got " + lengthPixels);
        }
        if (!Double.isFinite(angleDegrees)) {
            throw new IllegalArgumentException("motion angleDegrees must be finite, got " + angleDegrees);
        }
        int r = (int) Math.ceil(lengthPixels / 2);
        int size = 2 * r + 1;
        double[][] k = new double[size][size];
        int samples = Math.max(1, (int) Math.ceil(lengthPixels * 8)) + 1;
        double c = Math.cos(Math.toRadians(angleDegrees));
        double s = Math.sin(Math.toRadians(angleDegrees));
        for (int i = 0; i < samples; i++) {
            double t = samples == 1 ? 0 : lengthPixels * ((double) i / (samples - 1) - 0.5);
            double col = r + t * c;
            double row = r - t * s;
            int r0 = (int) Math.floor(row);
            int c0 = (int) Math.floor(col);
            double fr = row - r0;
            double fc = col - c0;
            splat(k, r0, c0, (1 - fr) * (1 - fc));
            splat(k, r0, c0 + 1, (1 - fr) * fc);
            splat(k, r0 + 1, c0, fr * (1 - fc));
            splat(k, r0 + 1, c0 + 1, fr * fc);
        }
        return new Blur(plane, Kernels.normalised(k, "motion PSF"),
                "motion blur (" + lengthPixels + " px at " + angleDegrees + " deg)");
    }

    /**
     * A user PSF, psf[row][column], rectangular with odd sizes, finite entries and a positive sum; it is
     * normalised here to sum 1 (a copy is kept).
     */
    public static Blur withPsf(Shape plane, float[][] psf) {
        if (psf == null || psf.length == 0 || psf[0] == null || psf[0].length == 0) {
            throw new IllegalArgumentException("psf must be a non-empty 2-D array");
        }
        int kw = psf[0].length;
        double[][] k = new double[psf.length][kw];
        for (int i = 0; i < psf.length; i++) {
            if (psf[i] == null || psf[i].length != kw) {
                throw new IllegalArgumentException("psf must be rectangular: row " + i + " has "
                        + (psf[i] == null ? 0 : psf[i].length) + " entries, row 0 has " + kw);
            }
            for (int j = 0; j < kw; j++) {
                k[i][j] = psf[i][j];
            }
        }
        if (psf.length % 2 == 0 || kw % 2 == 0) {
            throw new IllegalArgumentException("psf sizes must be odd so it has a centre, got " + psf.length + "x" + kw);
        }
        return new Blur(plane, Kernels.normalised(k, "psf"), "PSF blur (" + psf.length + "x" + kw + ")");
    }

    private static void splat(double[][] k, int row, int col, double weight) {
        if (row >= 0 && row < k.length && col >= 0 && col < k.length) {
            k[row][col] += weight;
        }
    }

    static void requirePlane(Shape plane) {
        if (plane == null || plane.dimension() != 2 || plane.get(0) < 1 || plane.get(1) < 1) {
            throw new IllegalArgumentException("plane shape must be 2-D (height, width), got " + plane);
        }
    }

    /** A copy of the normalised PSF, psf[row][column]. */
    public float[][] psf() {
        float[][] copy = new float[psf.length][];
        for (int i = 0; i < psf.length; i++) {
            copy[i] = psf[i].clone();
        }
        return copy;
    }

    /** The PSF's reach from its centre: half its larger side. */

    /** The same correlation on host arrays ({@link HostOperator#of}). */
    HostOperator hostForm() {
        int kh = psf.length;
        int kw = psf[0].length;
        float[] taps = new float[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                taps[i * kw + j] = psf[kh - 1 - i][kw - 1 - j];
            }
        }
        return new HostOperators.ReflectCorrelation((int) plane.get(0), (int) plane.get(1), taps, kh, kw, kh / 2,
                kw / 2);
    }

    @Override public Shape inputShape() { return plane; }
    @Override public Shape outputShape() { return plane; }

    @Override
    public NDArray apply(NDArray x) {
        return conv.forwardPlane(x, plane, plane);
    }

    @Override
    public NDArray applyAdjoint(NDArray y) {
        return conv.adjointPlane(y, plane, plane);
    }

    @Override public String describe() { return name + " " + plane; }
}
