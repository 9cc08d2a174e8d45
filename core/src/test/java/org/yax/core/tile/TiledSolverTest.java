package org.yax.core.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Downsample;
import org.yax.core.op.Gradient;
import org.yax.core.op.LinearOperator;

/** Tiling a local linear map with its reach as the halo gives the untiled result. */
class TiledSolverTest {
    private static final int TILE = 64;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** D^H D: minus the 5-point Laplacian with Neumann edges, a blur-like local map. */
    private static LinearOperator laplacian(Shape plane) {
        Gradient d = new Gradient(plane);
        return d.adjointOperator().after(d);
    }

    /** Output of A on a row-major (h, w) input, where A maps (h, w) to (h * scale, w * scale). */
    private static float[] apply(Function<Shape, LinearOperator> op, float[] input, int h, int w) {
        try (NDManager m = manager.newSubManager()) {
            return op.apply(new Shape(h, w)).forward(m.create(input, new Shape(h, w))).toFloatArray();
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (1000 * r.nextDouble());
        }
        return p;
    }

    /** max |tiled - whole| / range(whole) for a plane tiled with the given halo. */
    private static double tiledError(Function<Shape, LinearOperator> op, int scale, int halo) {
        int h = 200;
        int w = 173;
        float[] input = random(h * w, 11);
        float[] whole = apply(op, input, h, w);
        TileGrid grid = new TileGrid(h, w, TILE, halo, 3);
        float[] tiled = new TiledSolver(grid, scale).run(input, (pixels, tile, progress) -> {
            assertEquals(TILE * TILE, pixels.length, "a tile, never the plane, reaches the operator");
            return apply(op, pixels, tile.height(), tile.width());
        }, Progress.NONE);
        assertEquals(whole.length, tiled.length);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double err = 0;
        for (int i = 0; i < whole.length; i++) {
            min = Math.min(min, whole[i]);
            max = Math.max(max, whole[i]);
            err = Math.max(err, Math.abs(whole[i] - tiled[i]));
        }
        return err / (max - min);
    }

    @Test
    void localOperatorsTileExactlyWithTheirReachAsHalo() {
        Function<Shape, LinearOperator> lap = TiledSolverTest::laplacian;
        Function<Shape, LinearOperator> up = low -> Downsample.toLowRes(low, 2).adjointOperator();
        Function<Shape, LinearOperator> lapOfUp = low -> laplacian(new Shape(low.get(0) * 2, low.get(1) * 2))
                .after(Downsample.toLowRes(low, 2).adjointOperator());
        // reaches in input pixels: D^H D 2; Downsample^H 0 (a pixel maps onto its own block); their product 1
        // (2 fine pixels = 1 coarse one)
        double lapError = tiledError(lap, 1, 2);
        double upError = tiledError(up, 2, 0);
        double lapOfUpError = tiledError(lapOfUp, 2, 1);
        System.out.printf("tiled vs whole, max |diff| / range: D^H D %.2e, Downsample^H (x2) %.2e,"
                + " D^H D Downsample^H (x2) %.2e%n", lapError, upError, lapOfUpError);
        assertTrue(lapError < 1e-4, "D^H D: " + lapError);
        assertTrue(upError < 1e-4, "Downsample adjoint: " + upError);
        assertTrue(lapOfUpError < 1e-4, "D^H D after Downsample adjoint: " + lapOfUpError);
    }

    @Test
    void aHaloSmallerThanTheSupportShowsAtTileEdges() {
        // the control for the test above: without the halo, tile edges see Neumann boundaries that are not there
        double error = tiledError(TiledSolverTest::laplacian, 1, 0);
        assertTrue(error > 1e-2, "halo 0 should break D^H D, error was " + error);
    }

    @Test
    void nanResultsStayNanAndDoNotSpread() {
        int h = 150;
        int w = 150;
        float[] input = random(h * w, 3);
        for (int i = 0; i < input.length; i += 37) {
            input[i] = Float.NaN;
        }
        TileGrid grid = new TileGrid(h, w, 50, 4, 4);
        float[] out = new TiledSolver(grid, 1).run(input, (pixels, tile, p) -> pixels.clone(), Progress.NONE);
        for (int i = 0; i < input.length; i++) {
            assertEquals(Float.isNaN(input[i]), Float.isNaN(out[i]), "pixel " + i);
            if (!Float.isNaN(input[i])) {
                assertEquals(input[i], out[i], 1e-3f);
            }
        }
    }

    @Test
    void aTileResultOfTheWrongSizeIsRejected() {
        TileGrid grid = new TileGrid(100, 100, 60, 2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TiledSolver(grid, 2)
                .run(new float[100 * 100], (pixels, tile, p) -> Arrays.copyOf(pixels, 10), Progress.NONE));
        assertTrue(e.getMessage().contains("expected 120x120"), e.getMessage());
    }
}
