package org.yax.models.net;

import java.util.Locale;
import org.yax.core.task.Task;

/**
 * A task-specific output head of {@link MultiTaskNet}. Every head sees the same three input channels
 * (measurement brought to the output grid, noise-level map, observation mask) and predicts a residual
 * that is added to the first channel.
 */
public enum Head {
    /** y = x + e: the denoiser, also the plug-and-play prior (any sigma through the noise-level map). */
    DENOISE(Task.DENOISE, 1),
    /** y = D2 x + e, shown to the network bicubically upsampled by 2. */
    SR2(Task.SUPER_RESOLUTION, 2),
    /** y = D4 x + e, shown to the network bicubically upsampled by 4. */
    SR4(Task.SUPER_RESOLUTION, 4),
    /** y = M x + e: missing pixels pre-filled by normalised convolution, mask given as input. */
    INPAINT(Task.INPAINT, 1);

    private final Task task;
    private final int scale;

    Head(Task task, int scale) {
        this.task = task;
        this.scale = scale;
    }

    public Task task() {
        return task;
    }

    public int scale() {
        return scale;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The head for a task and scale, or null when the network has none. */
    public static Head of(Task task, int scale) {
        for (Head h : values()) {
            if (h.task == task && h.scale == scale) {
                return h;
            }
        }
        return null;
    }

    public static Head fromName(String name) {
        for (Head h : values()) {
            if (h.cliName().equalsIgnoreCase(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown head '" + name + "' (available: denoise, sr2, sr4, inpaint)");
    }
}
