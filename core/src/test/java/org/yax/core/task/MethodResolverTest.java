package org.yax.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.yax.core.ReconstructionSettings;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Psf;

class MethodResolverTest {
    private static ReconstructionSettings settings(Task task, Method method) {
        return new ReconstructionSettings(task, task == Task.SUPER_RESOLUTION ? 2 : 1, NoiseLevel.AUTO, method,
                task == Task.DEBLUR ? Psf.parse("gaussian:1.5") : null);
    }

    @Test
    void autoWithoutAModelIsTheTasksDefaultSolverAndAdaptationMeansTheNetwork() {
        assertEquals(Method.TV, MethodResolver.forPlanes(settings(Task.DENOISE, Method.AUTO), null));
        assertEquals(Method.NLM, MethodResolver.forPlanes(settings(Task.DENOISE, Method.NLM), null));
        assertEquals(Method.NETWORK, MethodResolver.requested(Method.AUTO, 3));
        assertEquals(Method.AUTO, MethodResolver.requested(Method.AUTO, 0));
        assertEquals(Method.TV, MethodResolver.requested(Method.TV, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodResolver.forPlanes(settings(Task.DENOISE, Method.PNP), null));
        assertTrue(e.getMessage().contains("needs a learned model"), e.getMessage());
    }

    @Test
    void stacksGoPerSliceForTheReasonsTheReportShows() {
        ReconstructionSettings denoise = settings(Task.DENOISE, Method.AUTO);
        MethodResolver.StackPlan volume = MethodResolver.forStack(denoise, false, 20, 1, 3.0, 0.9);
        assertTrue(volume.volume());
        assertEquals("volume, 20 slices (3-D TV, z weight 0.3 = 0.9 mm pixels / 3 mm slices)", volume.how());
        assertEquals(0.3, volume.zWeight(), 1e-12);
        assertEquals("per slice, 20 slices (--per-slice)", MethodResolver.forStack(denoise, true, 20, 1, 3, 0.9).how());
        assertEquals("per slice, 20 slices (super-resolution is in-plane)",
                MethodResolver.forStack(settings(Task.SUPER_RESOLUTION, Method.AUTO), false, 20, 1, 3, 0.9).how());
        assertEquals("per slice, 20 slices (the volume path solves denoise and inpaint; deblur is 2-D)",
                MethodResolver.forStack(settings(Task.DEBLUR, Method.AUTO), false, 20, 1, 3, 0.9).how());
        assertEquals("per slice, 20 slices (the volume path is TV only)",
                MethodResolver.forStack(settings(Task.DENOISE, Method.TIKHONOV), false, 20, 1, 3, 0.9).how());
        assertEquals("per slice, 1 slice (a single slice)", MethodResolver.forStack(denoise, false, 1, 1, 3, 0.9).how());
        assertEquals("per slice, 4 slices (colour (3 samples per pixel))",
                MethodResolver.forStack(denoise, false, 4, 3, 3, 0.9).how());
        MethodResolver.StackPlan unknown = MethodResolver.forStack(denoise, false, 4, 1, Double.NaN, 0.9);
        assertFalse(unknown.volume());
        assertEquals("per slice, 4 slices (no slice positions or pixel spacing)", unknown.how());
        assertEquals(Method.TV, MethodResolver.forVolume(denoise));
        assertThrows(IllegalArgumentException.class, () -> MethodResolver.forVolume(settings(Task.DENOISE, Method.NLM)));
    }
}
