package org.yax.plugins;

import java.util.Locale;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** Parses the text values that dialogs and macros pass (shared by the SciJava and ImageJ 1 front ends). */
public final class Parameters {
    public static final String AUTO = "auto";
    /** Method choices in dialogs, as {@link Method#cliName()}. */
    public static final String[] METHODS = {"auto", "tv", "tikhonov"};
    /** Task choices for batch processing, as {@link Task#cliName()}. */
    public static final String[] TASKS = {"denoise", "sr", "inpaint"};

    private Parameters() { }

    /** "auto" (or empty) means estimate from the data: null; otherwise a number >= 0 in image units. */
    public static Double sigma(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase(AUTO)) {
            return null;
        }
        try {
            double v = Double.parseDouble(t.replace(',', '.'));
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sigma must be 'auto' or a number >= 0, got '" + text + "'");
        }
    }

    public static Method method(String text) {
        return Method.fromName(text == null || text.isBlank() ? AUTO : text.trim().toLowerCase(Locale.ROOT));
    }

    public static Task task(String text) {
        return Task.fromName(text == null ? "" : text.trim());
    }

    /** The scale a task uses: the given factor for super-resolution, 1 otherwise. */
    public static int scaleFor(Task task, int scale) {
        return task == Task.SUPER_RESOLUTION ? scale : 1;
    }
}
