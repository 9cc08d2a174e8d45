package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bicubic upsampling against Pillow's BICUBIC (Keys a = -0.5, same pixel-centre convention), away from the borders. */
class InterpolationTest {
    @TempDir
    Path tmp;

    @Test
    void matchesPillowBicubicInTheInterior() throws Exception {
        int h = 23;
        int w = 31;
        float[] img = new float[h * w];
        Random r = new Random(9);
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (100 * Math.sin(i * 0.37) + 20 * r.nextGaussian());
        }
        for (int f : new int[] {2, 3, 4}) {
            float[] ours = Interpolation.bicubic(img, h, w, f);
            float[] pillow = pillow(img, h, w, f);
            int outW = w * f;
            int border = 2 * f;
            double worst = 0;
            for (int y = border; y < h * f - border; y++) {
                for (int x = border; x < outW - border; x++) {
                    worst = Math.max(worst, Math.abs(ours[y * outW + x] - pillow[y * outW + x]));
                }
            }
            assertTrue(worst < 1e-3, "factor " + f + ": max interior difference " + worst);
        }
    }

    @Test
    void constantsStayConstantEverywhere() {
        float[] img = new float[5 * 4];
        java.util.Arrays.fill(img, 7f);
        for (float v : Interpolation.bicubic(img, 5, 4, 3)) {
            assertEquals(7f, v, 1e-5);
        }
    }

    private float[] pillow(float[] img, int h, int w, int f) throws Exception {
        Path in = tmp.resolve("in.f32");
        Path out = tmp.resolve("out.f32");
        ByteBuffer b = ByteBuffer.allocate(img.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : img) {
            b.putFloat(v);
        }
        Files.write(in, b.array());
        String code = String.join("\n",
                "import sys, numpy as np",
                "from PIL import Image",
                "h, w, f = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])",
                "a = np.fromfile(sys.argv[1], dtype='<f4').reshape(h, w)",
                "up = Image.fromarray(a, 'F').resize((w * f, h * f), Image.BICUBIC)",
                "np.asarray(up, dtype='<f4').tofile(sys.argv[2])");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", code, in.toString(), out.toString(), "" + h, "" + w,
                "" + f).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        float[] res = new float[h * w * f * f];
        for (int i = 0; i < res.length; i++) {
            res[i] = r.getFloat();
        }
        return res;
    }
}
