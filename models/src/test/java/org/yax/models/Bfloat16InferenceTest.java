package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.metric.Psnr;
import org.yax.core.task.Task;
import org.yax.models.net.Bfloat16;

/**
 * The shipped network in bfloat16 against float32 on a held-out image: forced on with the system property, so the
 * path runs on any CPU (on one without AMX it is only slower). Plug-and-play's target (#17) allows 0.05 dB.
 */
class Bfloat16InferenceTest {
    private static final int SIZE = 256;

    @Test
    void theSettingDecidesAndABadOneIsAnError() {
        String before = System.getProperty(Bfloat16.PROPERTY);
        try {
            System.setProperty(Bfloat16.PROPERTY, "float32");
            assertFalse(Bfloat16.suits(Device.cpu()));
            System.setProperty(Bfloat16.PROPERTY, "BFloat16");
            assertTrue(Bfloat16.suits(Device.cpu()));
            System.setProperty(Bfloat16.PROPERTY, "fp8");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bfloat16.suits(Device.cpu()));
            assertTrue(e.getMessage().contains("auto, float32 or bfloat16"), e.getMessage());
        } finally {
            restore(before);
        }
    }

    @Test
    void headsInBfloat16KeepTheFloat32Quality() throws IOException {
        int[] size = new int[2];
        float[] full = LearnedModelTest.heldOut("camera.png", size);
        float[] clean = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            System.arraycopy(full, (128 + y) * size[1] + 128, clean, y * SIZE, SIZE);
        }
        Random random = new Random(7);
        float[] noisy = clean.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (25 / 255.0 * random.nextGaussian());
        }
        int half = SIZE / 2;
        float[] low = new float[half * half];
        for (int y = 0; y < half; y++) {
            for (int x = 0; x < half; x++) {
                int i = 2 * y * SIZE + 2 * x;
                low[y * half + x] = (clean[i] + clean[i + 1] + clean[i + SIZE] + clean[i + SIZE + 1]) / 4;
            }
        }
        float[][] f32 = run("float32", noisy, low);
        float[][] bf16 = run("bfloat16", noisy, low);
        String[] what = {"denoise sigma 25/255", "sr x2"};
        for (int k = 0; k < 2; k++) {
            double loss = Psnr.psnr(clean, f32[k], 1) - Psnr.psnr(clean, bf16[k], 1);
            assertTrue(Math.abs(loss) <= 0.05, what[k] + ": bfloat16 " + loss + " dB below float32");
            double largest = 0;
            for (int i = 0; i < clean.length; i++) {
                largest = Math.max(largest, Math.abs(f32[k][i] - bf16[k][i]));
            }
            // measured 2026-12-04: 0.0009 and 0.0003 dB, largest differences 0.0027 and 0.0011 (AMX); more than
            // nothing, so not the float32 path under another name: bfloat16 rounds every activation
            assertTrue(largest > 1e-5 && largest < 0.02, what[k] + ": largest difference " + largest);
        }
    }

    /** The denoised and the super-resolved image with the network in {@code precision}. */
    private static float[][] run(String precision, float[] noisy, float[] low) throws IOException {
        String before = System.getProperty(Bfloat16.PROPERTY);
        System.setProperty(Bfloat16.PROPERTY, precision);
        try (LearnedModel model = ModelRegistry.load(ModelRegistry.DEFAULT_MODEL, Device.cpu());
             NDManager m = NDManager.newBaseManager()) {
            NDArray denoised = model.denoise(m.create(noisy, new Shape(SIZE, SIZE)), 25 / 255.0);
            NDArray sr = model.restore(Task.SUPER_RESOLUTION, 2, m.create(low, new Shape(SIZE / 2, SIZE / 2)), null, 0);
            assertEquals(new Shape(SIZE, SIZE), sr.getShape());
            return new float[][] {denoised.toFloatArray(), sr.toFloatArray()};
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(Bfloat16.PROPERTY);
        } else {
            System.setProperty(Bfloat16.PROPERTY, before);
        }
    }
}
