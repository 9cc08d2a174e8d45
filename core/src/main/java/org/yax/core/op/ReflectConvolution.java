package org.yax.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Strided 2-D correlation of a (n, 1, H, W) batch with symmetric ("reflect" in scipy.ndimage, "symmetric" in
 * numpy: d c b a | a b c d | d c b a) boundary extension, and its exact adjoint. Shared by the blur and
 * downsampling operators.
 *
 * <pre>  y[o] = sum_t xp[o * stride + t] w[t],   xp = symmetric extension of x by (before, after) per axis</pre>
 *
 * The adjoint is the transpose of each step in reverse order: the transpose of a strided correlation is
 * zero insertion followed by a full correlation with the flipped taps (PyTorch has no transposed
 * convolution on DJL), and the transpose of the extension folds each margin back, mirrored, onto the
 * pixels it was copied from.
 */
final class ReflectConvolution {
    private final float[] taps;
    private final int kh;
    private final int kw;
    private final int[] padH;
    private final int[] padW;
    private final int stride;

    /**
     * @param taps correlation weights w, row-major (kh, kw)
     * @param padH rows added (before, after); any length (the extension repeats with period 2 * height)
     * @param padW columns added (before, after)
     */
    ReflectConvolution(float[] taps, int kh, int kw, int[] padH, int[] padW, int stride) {
        this.taps = taps.clone();
        this.kh = kh;
        this.kw = kw;
        this.padH = padH.clone();
        this.padW = padW.clone();
        this.stride = stride;
    }

    /** The output (height, width) for an input (height, width). */
    long[] outputSize(long h, long w) {
        return new long[] {(h + padH[0] + padH[1] - kh) / stride + 1, (w + padW[0] + padW[1] - kw) / stride + 1};
    }

    /** {@link #forward} for a (h, w) plane: {@code in} -> {@code out}. */
    NDArray forwardPlane(NDArray x, Shape in, Shape out) {
        try (NDArray x4 = x.reshape(1, 1, in.get(0), in.get(1)); NDArray y4 = forward(x4)) {
            return y4.reshape(out);
        }
    }

    /** {@link #adjoint} for a (h, w) plane: {@code out} -> {@code in}. */
    NDArray adjointPlane(NDArray y, Shape in, Shape out) {
        try (NDArray y4 = y.reshape(1, 1, out.get(0), out.get(1)); NDArray x4 = adjoint(y4, in.get(0), in.get(1))) {
            return x4.reshape(in);
        }
    }

    NDArray forward(NDArray x) {
        NDManager m = x.getManager();
        try (NDArray rows = pad(x, 2, padH[0], padH[1]);
             NDArray padded = pad(rows, 3, padW[0], padW[1]);
             NDArray weight = m.create(taps, new Shape(1, 1, kh, kw))) {
            return Conv2d.conv2d(padded, weight, null, new Shape(stride, stride), new Shape(0, 0),
                    new Shape(1, 1), 1).singletonOrThrow();
        }
    }

    /** @param inputH, inputW the (height, width) of the forward operator's input */
    NDArray adjoint(NDArray y, long inputH, long inputW) {
        NDManager m = y.getManager();
        long paddedH = inputH + padH[0] + padH[1];
        long paddedW = inputW + padW[0] + padW[1];
        try (NDArray spread = insertZeros(y);
             NDArray flipped = m.create(flip(taps), new Shape(1, 1, kh, kw));
             NDList full = Conv2d.conv2d(spread, flipped, null, new Shape(1, 1), new Shape(kh - 1, kw - 1),
                     new Shape(1, 1), 1);
             // the zero rows/columns that insertZeros leaves after the last sample contribute nothing
             NDArray cropped = full.singletonOrThrow().get(new NDIndex().addAllDim(2)
                     .addSliceDim(0, paddedH).addSliceDim(0, paddedW));
             NDArray rows = fold(cropped, 3, padW[0], padW[1])) {
            return fold(rows, 2, padH[0], padH[1]);
        }
    }

    /** (n, 1, h, w) -> (n, 1, h * stride, w * stride) with y at multiples of stride and zeros elsewhere. */
    private NDArray insertZeros(NDArray y) {
        if (stride == 1) {
            return y.duplicate();
        }
        Shape s = y.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = y.getManager();
        try (NDArray six = y.reshape(n, 1, h, 1, w, 1);
             NDArray zr = m.zeros(new Shape(n, 1, h, stride - 1, w, 1), y.getDataType());
             NDArray withRows = six.concat(zr, 3);
             NDArray zc = m.zeros(new Shape(n, 1, h, stride, w, stride - 1), y.getDataType());
             NDArray both = withRows.concat(zc, 5)) {
            return both.reshape(n, 1, h * stride, w * stride);
        }
    }

    /**
     * Symmetric extension of x along axis by before/after entries: the signal continued as
     * ... flip(x), x, flip(x), ... (period 2n), so margins longer than the axis are fine.
     */
    static NDArray pad(NDArray x, int axis, int before, int after) {
        if (before == 0 && after == 0) {
            return x.duplicate();
        }
        long n = x.getShape().get(axis);
        int blocksBefore = (int) ((before + n - 1) / n);
        int blocksAfter = (int) ((after + n - 1) / n);
        NDList parts = new NDList();
        try (NDArray flippedX = x.flip(axis)) {
            for (int k = blocksBefore; k >= 1; k--) {
                parts.add(k % 2 == 1 ? flippedX : x);
            }
            parts.add(x);
            for (int k = 1; k <= blocksAfter; k++) {
                parts.add(k % 2 == 1 ? flippedX : x);
            }
            int rank = x.getShape().dimension();
            long start = blocksBefore * n - before;
            try (NDArray tiled = NDArrays.concat(parts, axis);
                 NDArray window = tiled.get(slice(rank, axis, start, start + before + n + after))) {
                return window.duplicate();
            }
        }
    }

    /** The adjoint of {@link #pad}: adds each (mirrored) block of the extension back onto the entries it copied. */
    static NDArray fold(NDArray z, int axis, int before, int after) {
        if (before == 0 && after == 0) {
            return z.duplicate();
        }
        int rank = z.getShape().dimension();
        long n = z.getShape().get(axis) - before - after;
        int blocksBefore = (int) ((before + n - 1) / n);
        int blocksAfter = (int) ((after + n - 1) / n);
        try (NDArray full = zeroExtend(z, axis, blocksBefore * n - before, blocksAfter * n - after)) {
            NDArray sum = full.get(slice(rank, axis, blocksBefore * n, (blocksBefore + 1) * n)).duplicate();
            for (int b = 0; b < blocksBefore + 1 + blocksAfter; b++) {
                int k = Math.abs(b - blocksBefore);
                if (k == 0) {
                    continue;
                }
                try (NDArray block = full.get(slice(rank, axis, b * n, (b + 1) * n));
                     NDArray back = k % 2 == 1 ? block.flip(axis) : block.duplicate()) {
                    sum = replace(sum, sum.add(back));
                }
            }
            return sum;
        }
    }

    private static NDArray replace(NDArray old, NDArray now) {
        old.close();
        return now;
    }

    private static NDArray zeroExtend(NDArray a, int axis, long before, long after) {
        NDManager m = a.getManager();
        NDList parts = new NDList();
        long[] dims = a.getShape().getShape();
        if (before > 0) {
            dims[axis] = before;
            parts.add(m.zeros(new Shape(dims), a.getDataType()));
        }
        parts.add(a);
        if (after > 0) {
            dims[axis] = after;
            parts.add(m.zeros(new Shape(dims), a.getDataType()));
        }
        try {
            return parts.size() == 1 ? a.duplicate() : NDArrays.concat(parts, axis);
        } finally {
            for (NDArray p : parts) {
                if (p != a) {
                    p.close();
                }
            }
        }
    }

    static NDIndex slice(int rank, int axis, long from, long to) {
        NDIndex index = new NDIndex();
        for (int i = 0; i < rank; i++) {
            if (i == axis) {
                index.addSliceDim(from, to);
            } else {
                index.addAllDim();
            }
        }
        return index;
    }

    private float[] flip(float[] w) {
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = w[w.length - 1 - i];
        }
        return f;
    }
}
