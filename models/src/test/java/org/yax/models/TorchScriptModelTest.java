package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.task.Task;

/** User models in TorchScript, written by Debian's python3-torch: one that fits the contract, one that does not. */
class TorchScriptModelTest {
    @TempDir
    Path tmp;

    private Path script(String name, String module) throws Exception {
        Path pt = tmp.resolve(name + ".pt");
        // torch.jit.script reads the module's source, so it must come from a file
        Path py = tmp.resolve(name + ".py");
        Files.writeString(py, "import torch\n" + module + "\ntorch.jit.script(M()).save('" + pt + "')\n");
        Process p = new ProcessBuilder("/usr/bin/python3", py.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "python3-torch failed: " + out);
        ModelCard card = new ModelCard(name, "user denoiser", new int[] {0, 0, 0}, List.of("denoise"), "1",
                List.of("user"), "", 0, Map.of());
        Files.writeString(ModelFiles.cardPath(pt), card.toJson());
        return pt;
    }

    @Test
    void aTorchScriptDenoiserFollowingTheContractRestores() throws Exception {
        Path pt = script("halfway", """
                class M(torch.nn.Module):
                    def forward(self, x: torch.Tensor) -> torch.Tensor:
                        return 0.5 * x[:, 0:1] + 0.25
                """);
        try (LearnedModel model = ModelRegistry.load(pt.toString(), ai.djl.Device.cpu());
             NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            assertTrue(model.hasHead(Task.DENOISE, 1));
            NDArray y = m.create(new float[] {0f, 1f, 0.5f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, new Shape(3, 3));
            float[] x = model.restore(Task.DENOISE, 1, y, null, 0.1).toFloatArray();
            assertEquals(0.25f, x[0], 1e-6);
            assertEquals(0.75f, x[1], 1e-6);
            assertEquals(0.5f, x[2], 1e-6);
            IllegalArgumentException adapt = assertThrows(IllegalArgumentException.class,
                    () -> model.adaptedTo(Task.DENOISE, 1, new float[64 * 64], null, 64, 64, 0.1, 1));
            assertTrue(adapt.getMessage().contains("TorchScript"), adapt.getMessage());
        }
    }

    @Test
    void aModuleForTheWrongChannelCountIsRefusedWithTheContract() throws Exception {
        Path pt = script("onechannel", """
                class M(torch.nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.conv = torch.nn.Conv2d(1, 1, 3, padding=1)
                    def forward(self, x: torch.Tensor) -> torch.Tensor:
                        return self.conv(x)
                """);
        IOException e = assertThrows(IOException.class, () -> ModelRegistry.load(pt.toString(), ai.djl.Device.cpu()));
        assertTrue(e.getMessage().contains("must map (N, 3, H, W)"), e.getMessage());
    }
}
