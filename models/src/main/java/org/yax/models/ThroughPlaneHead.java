package org.yax.models;

import org.yax.core.solve.ThroughPlaneNetwork;
import org.yax.models.net.Head;

/**
 * An sr head refining planes across the slices of one volume (see {@link LearnedModel#throughPlane}): the plane,
 * already cubic along z, is the head's first input channel, and its residual sharpens it along z.
 */
final class ThroughPlaneHead implements ThroughPlaneNetwork {
    private final LearnedModel model;
    private final Head head;
    /** Whether this owns {@code model} (an adapted copy) and closes it. */
    private final boolean owns;
    private final double adaptSeconds;

    ThroughPlaneHead(LearnedModel model, Head head, boolean owns, double adaptSeconds) {
        this.model = model;
        this.head = head;
        this.owns = owns;
        this.adaptSeconds = adaptSeconds;
    }

    @Override
    public float[] refine(float[] plane, int rows, int columns, double sigma) {
        return model.refineOnGrid(head, plane, rows, columns, sigma);
    }

    @Override
    public double adaptSeconds() {
        return adaptSeconds;
    }

    @Override
    public void close() {
        if (owns) {
            model.close();
        }
    }
}
