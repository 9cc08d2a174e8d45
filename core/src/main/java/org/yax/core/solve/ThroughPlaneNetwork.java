package org.yax.core.solve;

/**
 * A learned network serving through-plane super-resolution: it refines planes that cross the slices (coronal or
 * sagittal), already brought to the fine grid along their first axis (z) by cubic interpolation, in normalised units
 * ([0, 1] is the volume's range). Made by {@link RestorationNetwork#throughPlane}, adapted or not; the caller closes it.
 */
public interface ThroughPlaneNetwork extends AutoCloseable {
    /**
     * @param plane   rows * columns values, rows along z on the fine grid; not modified
     * @param sigma   noise standard deviation, normalised
     * @return the refined plane, same shape
     */
    float[] refine(float[] plane, int rows, int columns, double sigma);

    /** Seconds the adaptation took (0 when none ran). */
    double adaptSeconds();

    @Override
    void close();
}
