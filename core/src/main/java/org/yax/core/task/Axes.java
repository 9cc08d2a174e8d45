package org.yax.core.task;

import java.util.Locale;

/** Which axes super-resolution refines: in-plane (rows and columns, the default), through-plane (z), or both. */
public enum Axes {
    XY, Z, XYZ;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the slice count changes (z or xyz). */
    public boolean throughPlane() {
        return this != XY;
    }

    /** Whether rows and columns are refined (xy or xyz). */
    public boolean inPlane() {
        return this != Z;
    }

    public static Axes fromName(String name) {
        for (Axes a : values()) {
            if (a.cliName().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown axes '" + name + "' (available: xy, z, xyz)");
    }
}
