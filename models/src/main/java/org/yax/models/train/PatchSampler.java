package org.yax.models.train;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.yax.models.net.Head;

/**
 * Random clean patches (crop, flips, 90-degree rotations) from the training planes, drawn with
 * probability proportional to each plane's pixel count, and their degraded network inputs.
 */
public final class PatchSampler {
    /** A batch for one head: inputs (n, 3, p, p) and clean targets (n, 1, p, p), row-major. */
    public record Batch(float[] inputs, float[] targets, int count, int patch) { }

    private final TrainingImages images;
    private final long[] cumulative;

    public PatchSampler(TrainingImages images) {
        this.images = images;
        this.cumulative = new long[images.planes().size()];
        long sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            TrainingImages.Plane p = images.planes().get(i);
            sum += (long) p.height() * p.width();
            cumulative[i] = sum;
        }
    }

    public Batch sample(Head head, int count, int patch, Random random, NDManager manager) {
        int n = patch * patch;
        float[] inputs = new float[count * 3 * n];
        float[] targets = new float[count * n];
        for (int k = 0; k < count; k++) {
            float[] clean = cleanPatch(patch, random);
            System.arraycopy(clean, 0, targets, k * n, n);
            System.arraycopy(Degradation.degrade(head, clean, patch, random, manager), 0, inputs, k * 3 * n, 3 * n);
        }
        return new Batch(inputs, targets, count, patch);
    }

    float[] cleanPatch(int p, Random random) {
        for (int attempt = 0; ; attempt++) {
            long pick = (long) (random.nextDouble() * images.totalPixels());
            int index = 0;
            while (cumulative[index] <= pick) {
                index++;
            }
            TrainingImages.Plane plane = images.planes().get(index);
            int r0 = random.nextInt(plane.height() - p + 1);
            int c0 = random.nextInt(plane.width() - p + 1);
            int rot = random.nextInt(4);
            boolean flip = random.nextBoolean();
            float[] out = new float[p * p];
            boolean hasNaN = false;
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    int rr = r;
                    int cc = flip ? p - 1 - c : c;
                    for (int t = 0; t < rot; t++) {
                        int tmp = rr;
                        rr = cc;
                        cc = p - 1 - tmp;
                    }
                    float v = plane.pixels()[(r0 + rr) * plane.width() + c0 + cc];
                    hasNaN |= Float.isNaN(v);
                    out[r * p + c] = v;
                }
            }
            if (!hasNaN || attempt > 100) {
                return out;
            }
        }
    }
}
