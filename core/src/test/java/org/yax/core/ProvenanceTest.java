package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.Psf;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

class ProvenanceTest {
    @Test
    void everyPathRecordsTheSameKeys() {
        ReconstructionSettings deblur = new ReconstructionSettings(Task.DEBLUR, 1, NoiseLevel.AUTO, Method.AUTO,
                Psf.parse("gaussian:1.5"));
        Derivation d = Provenance.of(deblur, Method.TV, null)
                .estimated(NoiseLevel.Estimate.PER_STACK, 12.3456, 7).derivation();
        assertEquals("deblur", d.task());
        assertEquals("tv", d.method());
        assertEquals(Map.of("psf", "gaussian:1.5", "sigma", "auto", "sigma_estimated", "12.35,7.000",
                "sigma_estimate", "median of per-slice estimates"), d.parameters());
        assertEquals(Version.get(), d.softwareVersion());

        ReconstructionSettings given = new ReconstructionSettings(Task.SUPER_RESOLUTION, 4, NoiseLevel.given(2),
                Method.TIKHONOV);
        Derivation sr = Provenance.of(given, Method.TIKHONOV, null).estimated(NoiseLevel.Estimate.PER_PLANE, 2)
                .with("series", "volume").derivation();
        assertEquals(4, sr.scale());
        assertEquals(Map.of("sigma", "2.000", "series", "volume"), sr.parameters());
        assertFalse(sr.describe().contains("sigma_estimated"));
    }
}
