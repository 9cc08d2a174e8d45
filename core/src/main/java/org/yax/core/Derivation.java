package org.yax.core;

import java.util.Map;

/**
 * What was done to a source image, as a writer needs it: the task, the method, the spatial scale
 * factor (1 unless super-resolved) and the effective parameters.
 *
 * @param task        task name, e.g. "denoise" or "sr"
 * @param method      solver that produced the result, e.g. "tv"
 * @param scale       in-plane upscaling factor applied to rows and columns (1 = same grid)
 * @param parameters  effective parameters (e.g. sigma actually used), in a stable order
 * @param softwareVersion version of yax that wrote the result
 */
public record Derivation(String task, String method, int scale, Map<String, String> parameters,
                         String softwareVersion) {
    public Derivation {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        parameters = Map.copyOf(parameters);
    }

    /** One line for a DerivationDescription or a provenance metadata item. */
    public String describe() {
        // every key always, so any output's provenance reads the same way (scale=1 included)
        StringBuilder s = new StringBuilder("yax ").append(softwareVersion).append(' ').append(task)
                .append(" method=").append(method).append(" scale=").append(scale);
        parameters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return s.toString();
    }
}
