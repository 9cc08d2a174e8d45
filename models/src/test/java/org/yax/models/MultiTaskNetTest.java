package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.models.net.Head;
import org.yax.models.net.MultiTaskNet;
import org.yax.models.net.NetworkInput;

/** The network's structure: shapes, every head reachable, pixel shuffle as PyTorch defines it, parameter files. */
class MultiTaskNetTest {
    static MultiTaskNet initialised(NDManager m, int... widths) {
        MultiTaskNet net = new MultiTaskNet(widths);
        net.setInitializer(new NormalInitializer(0.05f), Parameter.Type.WEIGHT);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16), new Shape());
        return net;
    }

    @Test
    void everyHeadMapsThreeInputPlanesToOneOutputOfTheSameSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiTaskNet net = initialised(m, 8, 12, 16);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 24, 20));
            float[][] outputs = new float[Head.values().length][];
            for (Head h : Head.values()) {
                NDArray y = net.forward(new ParameterStore(m, false), MultiTaskNet.input(x, h), false).singletonOrThrow();
                assertEquals(new Shape(2, 1, 24, 20), y.getShape());
                outputs[h.ordinal()] = y.toFloatArray();
            }
            for (int a = 0; a < outputs.length; a++) {
                for (int b = a + 1; b < outputs.length; b++) {
                    assertTrue(!java.util.Arrays.equals(outputs[a], outputs[b]), "heads " + a + " and " + b + " agree");
                }
            }
        }
    }

    @Test
    void pixelShuffleMatchesTorchDefinition() throws Exception {
        // torch: out[n, c, h*2 + i, w*2 + j] = in[n, c*4 + i*2 + j, h, w]
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2;
            int c = 3;
            int h = 4;
            int w = 5;
            float[] in = new float[n * c * 4 * h * w];
            for (int i = 0; i < in.length; i++) {
                in[i] = i;
            }
            NDArray plain = m.create(in, new Shape(n, c * 4, h, w));
            // the same values in either memory order (the network runs channels-last)
            for (NDArray input : new NDArray[] {plain, packageMethod("channelsLast", plain)}) {
                assertArrayEquals(in, input.toFloatArray());
                assertShuffled(in, packageMethod("pixelShuffle", input).toFloatArray(), n, c, h, w);
            }
        }
    }

    private static NDArray packageMethod(String name, NDArray x) throws Exception {
        java.lang.reflect.Method method = MultiTaskNet.class.getDeclaredMethod(name, NDArray.class);
        method.setAccessible(true);
        return (NDArray) method.invoke(null, x);
    }

    private static void assertShuffled(float[] in, float[] out, int n, int c, int h, int w) {
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < 2 * h; y++) {
                    for (int x = 0; x < 2 * w; x++) {
                        int src = ((b * c * 4 + ch * 4 + (y % 2) * 2 + (x % 2)) * h + y / 2) * w + x / 2;
                        assertEquals(in[src], out[((b * c + ch) * 2 * h + y) * 2 * w + x]);
                    }
                }
            }
        }
    }

    @Test
    void inferenceFreesStageIntermediatesAndComputesWhatTrainingDoes() {
        // inference frees each stage's intermediates when the stage ends (training keeps them for the backward
        // pass): the same ops give the same bits, and the input stays usable
        try (NDManager m = NDManager.newBaseManager()) {
            MultiTaskNet net = initialised(m, 8, 12, 16);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 24, 20));
            float[] input = x.toFloatArray();
            for (Head h : Head.values()) {
                float[] kept = net.forward(new ParameterStore(m, false), MultiTaskNet.input(x, h), true)
                        .singletonOrThrow().toFloatArray();
                float[] freed = net.forward(new ParameterStore(m, false), MultiTaskNet.input(x, h), false)
                        .singletonOrThrow().toFloatArray();
                assertArrayEquals(kept, freed, "head " + h);
            }
            assertArrayEquals(input, x.toFloatArray());
        }
    }

    @Test
    void savedParametersReloadToTheSameOutputs() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiTaskNet net = initialised(m, 8, 12, 16);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                net.saveParameters(out);
            }
            ModelCard card = new ModelCard("t", "test", new int[] {8, 12, 16}, List.of("denoise"), "1", List.of(), "", 0,
                    Map.of());
            MultiTaskNet loaded = ModelFiles.load(card, new ByteArrayInputStream(bytes.toByteArray()), m, "memory");
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 16, 16));
            for (Head h : Head.values()) {
                assertArrayEquals(net.forward(new ParameterStore(m, false), MultiTaskNet.input(x, h), false)
                                .singletonOrThrow().toFloatArray(),
                        loaded.forward(new ParameterStore(m, false), MultiTaskNet.input(x, h), false)
                                .singletonOrThrow().toFloatArray());
            }
        }
    }

    @Test
    void fillKeepsObservedPixelsAndFillsHolesFromTheirNeighbourhood() {
        int h = 40;
        int w = 50;
        float[] y = new float[h * w];
        boolean[] observed = new boolean[h * w];
        Random random = new Random(1);
        for (int i = 0; i < y.length; i++) {
            y[i] = (i % w) / (float) w; // a horizontal ramp
            observed[i] = random.nextDouble() < 0.3;
        }
        for (int r = 10; r < 30; r++) {
            for (int c = 10; c < 30; c++) {
                observed[r * w + c] = false; // a 20 x 20 hole needs the larger boxes
            }
        }
        float[] filled = org.yax.core.solve.Interpolation.fillMissing(y, observed, h, w);
        for (int i = 0; i < y.length; i++) {
            if (observed[i]) {
                assertEquals(y[i], filled[i]);
            } else {
                assertEquals(y[i], filled[i], 0.25, "pixel " + i);
            }
        }
    }
}
