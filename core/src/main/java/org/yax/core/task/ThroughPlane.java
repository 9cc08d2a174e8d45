package org.yax.core.task;

import org.yax.core.op.SliceProfile;

/**
 * What a run asks of stacks beyond the settings: which axes super-resolution refines, and the slice profile's
 * shape along z.
 */
public record ThroughPlane(Axes axes, SliceProfile.Shape profile) {
    /** Today's behaviour: in-plane only. */
    public static final ThroughPlane IN_PLANE = new ThroughPlane(Axes.XY, SliceProfile.Shape.BOX);

    public ThroughPlane {
        if (axes == null || profile == null) {
            throw new IllegalArgumentException("axes and slice profile are required");
        }
    }

    /** For the parameter hash and reports: empty for in-plane runs, so their hash is unchanged. */
    public String describe() {
        return axes.throughPlane() ? " axes=" + axes.cliName() + " slice-profile=" + profile.cliName() : "";
    }
}
