package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Psf;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** Deblurring: the PSF spec, the settings, the quality on a real image, tiling with the PSF's reach. */
class DeblurTest {
    private static Reconstruction reconstruction;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        reconstruction = new Reconstruction();
    }

    @AfterAll
    static void stop() {
        reconstruction.close();
    }

    /** The centre side x side of scikit-image's camera (512 x 512), a real photograph with edges and texture. */
    static Image cameraCrop(int side) throws Exception {
        Image full = EvaluationQualityTest.realImages().get(2);
        float[] px = new float[side * side];
        int oy = (full.height() - side) / 2;
        int ox = (full.width() - side) / 2;
        for (int y = 0; y < side; y++) {
            System.arraycopy(full.pixels(), (oy + y) * full.width() + ox, px, y * side, side);
        }
        return new Image(px, 1, 1, side, side, null);
    }

    @Test
    void psfSpecsParseIntoNormalisedKernelsWithTheirReach() throws Exception {
        Psf g = Psf.parse("gaussian:1.5");
        assertEquals("gaussian:1.5", g.toString());
        assertEquals(6, g.radius()); // scipy truncates at int(4 sigma + 0.5)
        assertEquals(1.0, sum(g.kernel()), 1e-6);
        assertEquals(2, Psf.parse("box:5").radius());
        assertEquals("motion:9:30", Psf.parse(" Motion:9.0:30 ").toString());
        assertEquals("motion:7:0", Psf.parse("motion:7").toString());
        assertEquals(Psf.parse("gaussian:2"), Psf.parse("gaussian:2.0"));

        // ImageJ's File > Save As > Text Image writes tab-separated rows like these
        Path text = tmp.resolve("psf.txt");
        Files.writeString(text, "0\t1\t0\n1\t4\t1\n0\t1\t0\n");
        Psf file = Psf.parse("file:" + text);
        assertEquals(1, file.radius());
        assertEquals(0.5f, file.kernel()[1][1], 1e-7);
        assertTrue(file.toString().startsWith("file:" + text + " (sha256 "), file.toString());
        Files.writeString(text, "0 1 0\n1 2 1\n0 1 0\n");
        assertNotEquals(file.toString(), Psf.parse("file:" + text).toString(), "a changed file is another PSF");
    }

    @Test
    void badPsfSpecsSayWhatIsWrong() throws Exception {
        assertTrue(message("disk:3").contains("gaussian:SIGMA, box:SIZE, motion:LENGTH[:ANGLE] or file:PATH"));
        assertTrue(message("gaussian:wide").contains("is not gaussian:SIGMA"));
        assertTrue(message("gaussian:-1").contains("psf 'gaussian:-1'"));
        assertTrue(message("box:4").contains("odd"), message("box:4"));
        assertTrue(message("gaussian:1000").contains("at most"), message("gaussian:1000"));
        Path ragged = tmp.resolve("ragged.txt");
        Files.writeString(ragged, "1 2 3\n4 5\n6 7 8\n");
        assertTrue(message("file:" + ragged).contains("row 2 has 2 values, row 1 has 3"), message("file:" + ragged));
        Path even = tmp.resolve("even.txt");
        Files.writeString(even, "1 1\n1 1\n");
        assertTrue(message("file:" + even).contains("odd"), message("file:" + even));
        assertTrue(message("file:" + tmp.resolve("none.txt")).contains("cannot read"));
    }

    private static String message(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Psf.parse(spec)).getMessage();
    }

    @Test
    void settingsRequireAPsfForDeblurOnlyAndTheOldConstructorStillWorks() {
        assertNull(new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.AUTO, Method.TV).psf());
        assertThrows(IllegalArgumentException.class, () -> new ReconstructionSettings(Task.DEBLUR, 1, NoiseLevel.AUTO, Method.TV));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.AUTO, Method.TV, Psf.parse("box:3")));
        ReconstructionSettings deblur = new ReconstructionSettings(Task.DEBLUR, 1, NoiseLevel.AUTO, Method.AUTO,
                Psf.parse("gaussian:1.5"));
        // the tiling halo covers the solver's reach and the PSF's full width (A^H A)
        assertEquals(TvPdhg.EMPIRICAL_HALO + 12, reconstruction.haloFor(deblur));
        assertEquals(TikhonovCg.EMPIRICAL_HALO + 4, reconstruction.haloFor(new ReconstructionSettings(Task.DEBLUR, 1,
                NoiseLevel.AUTO, Method.TIKHONOV, Psf.parse("box:5"))));
    }

    @Test
    void deblurringTheCameraGainsOverTheBlurredInputForGaussianAndMotionBlur() throws Exception {
        Image clean = cameraCrop(192);
        for (String psf : List.of("gaussian:1.5", "motion:9:30")) {
            Evaluation.Settings s = new Evaluation.Settings(Task.DEBLUR, 0.01, true, 1, 0, 4, 7,
                    List.of("blurred", "tikhonov", "tv"), Psf.parse(psf));
            List<Evaluation.Row> rows = new Evaluation(reconstruction).run(clean, s, Progress.NONE);
            double blurred = rows.get(0).psnr();
            double tikhonov = rows.get(1).psnr();
            double tv = rows.get(2).psnr();
            System.out.printf(Locale.ROOT, "deblur camera 192x192 %s sigma 1%%: blurred %.2f dB, tikhonov %.2f dB,"
                    + " tv %.2f dB (%.1f s)%n", psf, blurred, tikhonov, tv, rows.get(2).seconds());
            assertTrue(tv - blurred >= GAIN_TV, String.format(Locale.ROOT, "%s: TV gain %.2f dB", psf, tv - blurred));
            assertTrue(tikhonov - blurred >= GAIN_TIKHONOV, String.format(Locale.ROOT, "%s: Tikhonov gain %.2f dB",
                    psf, tikhonov - blurred));
            assertTrue(rows.get(2).ssim() > rows.get(0).ssim(), psf + ": SSIM");
        }
    }

    /** Measured on this crop: TV +3.9 (gaussian) and +6.1 dB (motion), Tikhonov +3.0 and +4.3 dB. */
    private static final double GAIN_TV = 3.0;
    private static final double GAIN_TIKHONOV = 2.0;

    @Test
    void tiledDeblurringMatchesTheWholePlane() throws Exception {
        Image clean = cameraCrop(180);
        Psf psf = Psf.parse("gaussian:1.5");
        Evaluation.Settings s = new Evaluation.Settings(Task.DEBLUR, 0.01, true, 1, 0, 4, 3, List.of("blurred"), psf);
        Image blurred = Evaluation.measurement(clean, s);
        ReconstructionSettings settings = new ReconstructionSettings(Task.DEBLUR, 1, NoiseLevel.AUTO, Method.TIKHONOV, psf);
        float[] whole = reconstruction.withTileSize(Reconstruction.NO_TILING).run(blurred, settings, Progress.NONE)
                .image().pixels();
        float[] tiled = reconstruction.withTileSize(120).run(blurred, settings, Progress.NONE).image().pixels();
        reconstruction.withTileSize(Reconstruction.DEFAULT_TILE_SIZE);
        double worst = 0;
        for (int i = 0; i < whole.length; i++) {
            worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
        }
        double range = 255;
        System.out.printf(Locale.ROOT, "Tikhonov deblur 180x180 gaussian:1.5, tile 120, halo %d: max |diff|/range %.2e%n",
                reconstruction.haloFor(settings), worst / range);
        assertTrue(worst / range < 1e-3, "max difference " + worst / range);
    }

    private static double sum(float[][] k) {
        double s = 0;
        for (float[] row : k) {
            for (float v : row) {
                s += v;
            }
        }
        return s;
    }
}
