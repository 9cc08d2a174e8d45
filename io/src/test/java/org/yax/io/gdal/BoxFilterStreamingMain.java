package org.yax.io.gdal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;

/**
 * Runs {@link GdalTiledProcessing} with a 3 x 3 mean (support 1, so tiling with halo >= 1 is exact) in its
 * own JVM, so a test or script can give it a small heap and read its peak RSS. Prints
 * "windows=N vmhwm_kb=K seconds=S". Args: input output [box3|identity] [tileSize]; identity measures the
 * read-blend-write overhead alone.
 */
public final class BoxFilterStreamingMain {
    private BoxFilterStreamingMain() { }

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        boolean identity = args.length > 2 && args[2].equals("identity");
        int tile = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        long start = System.nanoTime();
        int[] windows = {0};
        long[] windowsDone = {0};
        // pass 1 (windows into the accumulator) reports 0..0.9, pass 2 (divide, convert, compress) 0.9..1
        Progress timing = new Progress() {
            @Override public void report(double fraction, String message) {
                if (fraction >= 0.9 && windowsDone[0] == 0) {
                    windowsDone[0] = System.nanoTime();
                }
            }
            @Override public boolean isCancelled() { return false; }
        };
        GdalTiledProcessing.run(input, output, (window, progress) -> {
            windows[0]++;
            return identity ? window : boxFilter(window);
        }, new Derivation("denoise", "box3", 1, java.util.Map.of(), "test"),
                new GdalTiledProcessing.Settings(tile, 2, 2, 16L << 20), GdalWriteOptions.DEFAULT, timing);
        long end = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "windows=%d vmhwm_kb=%d seconds=%.1f pass1=%.1f pass2=%.1f%n",
                windows[0], vmHwmKb(), (end - start) / 1e9, (windowsDone[0] - start) / 1e9,
                (end - windowsDone[0]) / 1e9);
    }

    /** 3 x 3 mean with edges replicated; NaN spreads to its neighbours. */
    static Image boxFilter(Image in) {
        int h = in.height();
        int w = in.width();
        float[] src = in.pixels();
        float[] out = new float[src.length];
        for (int c = 0; c < in.channels(); c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.min(h - 1, Math.max(0, y + dy));
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = Math.min(w - 1, Math.max(0, x + dx));
                            s += src[base + yy * w + xx];
                        }
                    }
                    out[base + y * w + x] = s / 9f;
                }
            }
        }
        return in.withPixels(out, h, w);
    }

    static long vmHwmKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
