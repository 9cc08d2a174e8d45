package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Identity;

/** 3-D TV couples slices: on a volume it must beat the same TV applied slice by slice. */
class VolumeTvTest {
    @Test
    void threeDimensionalTvBeatsSliceWiseTv() {
        int d = 12;
        int n = 64;
        float[] truth = new float[d * n * n];
        for (int z = 0; z < d; z++) {
            float[] slice = SolverAgreementTest.phantom(n);
            System.arraycopy(slice, 0, truth, z * n * n, n * n);
        }
        float[] noisy = SolverAgreementTest.noisy(truth, 15, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape vol = new Shape(d, n, n);
            NDArray y = m.create(noisy, vol);
            double lambda = 0.9 * 15;
            float[] threeD = new TvPdhg(lambda, StoppingRule.of(300, 1e-4)).solve(new Identity(vol), y, y,
                    Progress.NONE).estimate().toFloatArray();
            float[] sliceWise = new float[truth.length];
            Shape plane = new Shape(n, n);
            for (int z = 0; z < d; z++) {
                NDArray ys = y.get(z);
                float[] r = new TvPdhg(lambda, StoppingRule.of(300, 1e-4)).solve(new Identity(plane), ys, ys,
                        Progress.NONE).estimate().toFloatArray();
                System.arraycopy(r, 0, sliceWise, z * n * n, n * n);
            }
            double p3 = SolverAgreementTest.psnr(truth, threeD);
            double p2 = SolverAgreementTest.psnr(truth, sliceWise);
            double p0 = SolverAgreementTest.psnr(truth, noisy);
            assertTrue(p3 > p2 + 1 && p2 > p0 + 4, "3-D " + p3 + " dB, slice-wise " + p2 + " dB, noisy " + p0 + " dB");
        }
    }
}
