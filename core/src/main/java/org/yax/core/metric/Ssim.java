package org.yax.core.metric;

import java.util.Objects;
import org.yax.core.Image;

/**
 * Mean structural similarity (Wang et al. 2004) exactly as skimage's
 * {@code structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=R)}: K1 = 0.01, K2 = 0.03, local statistics from a Gaussian filter (sigma 1.5, truncate 3.5,
 * so an 11-tap window, scipy.ndimage 'reflect' borders), population covariances, and the mean of the SSIM map
 * after cropping (11 - 1) / 2 = 5 pixels from every border.
 *
 * <p>Arithmetic is in double precision (skimage keeps float32 inputs in float32; the difference is far below
 * 1e-3). NaN pixels are refused: a missing pixel would spread into every window that touches it.
 */
public final class Ssim {
    static final double K1 = 0.01;
    static final double K2 = 0.03;
    static final double SIGMA = 1.5;
    static final double TRUNCATE = 3.5;
    /** scipy.ndimage's radius rule: int(truncate * sigma + 0.5). */
    static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
    /** Side of the window, also the smallest image side skimage accepts. */
    public static final int WINDOW_SIZE = 2 * RADIUS + 1;

    private static final double[] KERNEL = gaussianKernel();

    private Ssim() {
    }

    /**
     * Mean SSIM of one plane, row-major (y, x).
     *
     * @throws IllegalArgumentException if the array lengths are not width * height, a side is smaller than
     *                                  {@link #WINDOW_SIZE}, dataRange is not a positive finite number, or a
     *                                  pixel is NaN
     */
    public static double ssim(float[] reference, float[] test, int width, int height, double dataRange) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(test, "test");
        Psnr.requireDataRange(dataRange);
        if (width < WINDOW_SIZE || height < WINDOW_SIZE) {
            throw new IllegalArgumentException("width and height must be at least the SSIM window size "
                    + WINDOW_SIZE + ", got width=" + width + ", height=" + height);
        }
        long n = (long) width * height;
        if (reference.length != n) {
            throw new IllegalArgumentException("reference has " + reference.length + " values, width*height = "
                    + width + "*" + height + " = " + n);
        }
        if (test.length != n) {
            throw new IllegalArgumentException("test has " + test.length + " values, width*height = "
                    + width + "*" + height + " = " + n);
        }
        requireNoNaN(reference, "reference", width);
        requireNoNaN(test, "test", width);

        int size = (int) n;
        double[] x = new double[size];
        double[] y = new double[size];
        double[] xx = new double[size];
        double[] yy = new double[size];
        double[] xy = new double[size];
        for (int i = 0; i < size; i++) {
            double a = reference[i];
            double b = test[i];
            x[i] = a;
            y[i] = b;
            xx[i] = a * a;
            yy[i] = b * b;
            xy[i] = a * b;
        }
        double[] ux = gaussianFilter(x, width, height);
        double[] uy = gaussianFilter(y, width, height);
        double[] uxx = gaussianFilter(xx, width, height);
        double[] uyy = gaussianFilter(yy, width, height);
        double[] uxy = gaussianFilter(xy, width, height);

        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        double sum = 0;
        for (int r = RADIUS; r < height - RADIUS; r++) {
            for (int c = RADIUS; c < width - RADIUS; c++) {
                int i = r * width + c;
                double mx = ux[i];
                double my = uy[i];
                double vx = uxx[i] - mx * mx;
                double vy = uyy[i] - my * my;
                double vxy = uxy[i] - mx * my;
                double a1 = 2 * mx * my + c1;
                double a2 = 2 * vxy + c2;
                double b1 = mx * mx + my * my + c1;
                double b2 = vx + vy + c2;
                sum += (a1 * a2) / (b1 * b2);
            }
        }
        long cropped = (long) (height - 2 * RADIUS) * (width - 2 * RADIUS);
        return sum / cropped;
    }

    /**
     * Mean over all planes (channel, z) of the per-plane SSIM, as skimage does over a channel axis. Each z slice
     * is compared as a 2-D plane (this is not a 3-D SSIM).
     */
    public static double ssim(Image reference, Image test, double dataRange) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(test, "test");
        Psnr.requireSameShape(reference, test);
        double sum = 0;
        for (int c = 0; c < reference.channels(); c++) {
            for (int z = 0; z < reference.depth(); z++) {
                sum += ssim(reference.plane(c, z), test.plane(c, z), reference.width(), reference.height(),
                        dataRange);
            }
        }
        return sum / reference.planeCount();
    }

    private static void requireNoNaN(float[] plane, String name, int width) {
        for (int i = 0; i < plane.length; i++) {
            if (Float.isNaN(plane[i])) {
                throw new IllegalArgumentException(name + " has a NaN (missing) pixel at (y=" + i / width + ", x="
                        + i % width + "); SSIM needs complete planes");
            }
        }
    }

    /** scipy.ndimage._gaussian_kernel1d for order 0: exp(-x^2 / (2 sigma^2)), normalised to sum 1. */
    private static double[] gaussianKernel() {
        double[] k = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            k[i + RADIUS] = Math.exp(-0.5 / (SIGMA * SIGMA) * i * i);
            sum += k[i + RADIUS];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable Gaussian filter, axis y then axis x as scipy.ndimage.gaussian_filter does. */
    static double[] gaussianFilter(double[] in, int width, int height) {
        double[] alongY = new double[in.length];
        int[] rows = reflectIndices(height);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double s = 0;
                for (int k = 0; k < KERNEL.length; k++) {
                    s += KERNEL[k] * in[rows[r + k] * width + c];
                }
                alongY[r * width + c] = s;
            }
        }
        double[] out = new double[in.length];
        int[] cols = reflectIndices(width);
        for (int r = 0; r < height; r++) {
            int row = r * width;
            for (int c = 0; c < width; c++) {
                double s = 0;
                for (int k = 0; k < KERNEL.length; k++) {
                    s += KERNEL[k] * alongY[row + cols[c + k]];
                }
                out[row + c] = s;
            }
        }
        return out;
    }

    /**
     * Source index for each position of a line padded by RADIUS on both sides, scipy 'reflect' mode
     * (d c b a | a b c d | d c b a): the edge sample is repeated.
     */
    private static int[] reflectIndices(int n) {
        int[] idx = new int[n + 2 * RADIUS];
        for (int p = 0; p < idx.length; p++) {
            int m = Math.floorMod(p - RADIUS, 2 * n);
            idx[p] = m < n ? m : 2 * n - 1 - m;
        }
        return idx;
    }
}
