package org.yax.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.core.task.TaskRecipe;

/**
 * Builds the {@link Derivation} of every output path, so all record the same keys: task, scale and the task's own
 * parameters (psf for deblurring), sigma (the given value or "auto"), sigma_estimated and sigma_estimate (how)
 * when it was estimated, the method actually used, model and adapt steps where used, and the software version.
 *
 * <pre>  Derivation d = Provenance.of(settings, method, network)
 *          .estimated(NoiseLevel.Estimate.PER_RASTER, sigmas)
 *          .derivation();</pre>
 */
public final class Provenance {
    private final ReconstructionSettings settings;
    private final Method method;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    /** The in-plane scale the derivation records: the settings' one, or 1 when only z was refined. */
    private int inPlaneScale;

    private Provenance(ReconstructionSettings settings, Method method) {
        this.settings = settings;
        this.method = method;
        this.inPlaneScale = settings.scale();
    }

    /**
     * Through-plane super-resolution of a stack ({@code axes} z or xyz): the in-plane scale is the settings' for xyz
     * and 1 for z; axes, z_scale and the slice profile are recorded.
     */
    public static Provenance throughPlane(ReconstructionSettings settings, org.yax.core.task.Axes axes,
                                          org.yax.core.task.ThroughPlaneRecipe recipe, Method method,
                                          RestorationNetwork network) {
        Provenance p = of(settings, method, network);
        p.inPlaneScale = axes.inPlane() ? settings.scale() : 1;
        p.parameters.put("axes", axes.cliName());
        p.parameters.put("z_scale", Integer.toString(recipe.scale()));
        p.parameters.put("slice_profile", recipe.shape().cliName());
        return p;
    }

    /**
     * @param method  the method actually used (not auto)
     * @param network the learned model, recorded when the method is learned (may be null otherwise)
     */
    public static Provenance of(ReconstructionSettings settings, Method method, RestorationNetwork network) {
        Provenance p = new Provenance(settings, method);
        TaskRecipe.of(settings).provenance(p.parameters);
        p.parameters.put("sigma", settings.noise().toString());
        if (method.isLearned()) {
            p.parameters.put("model", network.name());
        }
        if (settings.adaptSteps() > 0) {
            p.parameters.put("adapt", Integer.toString(settings.adaptSteps()));
        }
        return p;
    }

    /**
     * The sigmas estimated (one per plane, or one per stack) and how; nothing when sigma was given. Called again
     * (a series whose stacks went different ways), the sigmas are appended and each new way is named.
     */
    public Provenance estimated(NoiseLevel.Estimate how, double... sigmas) {
        if (settings.noise().isAuto() && sigmas.length > 0) {
            List<String> parts = new ArrayList<>();
            for (double s : sigmas) {
                parts.add(NoiseLevel.format(s));
            }
            parameters.merge("sigma_estimated", String.join(",", parts), (a, b) -> a + "," + b);
            parameters.merge("sigma_estimate", how.description(), (a, b) -> a.contains(b) ? a : a + " + " + b);
        }
        return this;
    }

    /** A parameter of the output path itself (e.g. how a series' stacks were solved). */
    public Provenance with(String key, String value) {
        parameters.put(key, value);
        return this;
    }

    public Derivation derivation() {
        return new Derivation(settings.task().cliName(), method.cliName(), inPlaneScale, parameters, Version.get());
    }
}
