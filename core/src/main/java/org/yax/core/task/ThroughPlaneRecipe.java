package org.yax.core.task;

import java.math.BigDecimal;
import java.util.Locale;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.solve.StoppingRule;

/**
 * Through-plane super-resolution of a stack (--axes z or xyz): the z operator from the stack's header (a
 * {@link SliceProfile} as wide as SliceThickness, sampled at the slice spacing measured from the positions), the
 * TV weights and stopping rule of its 3-D TV, and what each method name means for it. The one place these
 * decisions live; the volume path ({@link org.yax.core.ThroughPlaneReconstruction}) and {@code yax eval --task
 * sr-z} both use it.
 */
public final class ThroughPlaneRecipe {
    /** Why cubic is refused elsewhere. */
    public static final String CUBIC_ONLY = "method cubic is the through-plane baseline: it applies to --task sr "
            + "--axes z or xyz (DICOM series), not to single planes";
    /** TV weight per unit of noise sigma: in-plane super-resolution's (SuperResolutionRecipe.TV_WEIGHT). */
    static final double TV_WEIGHT = 0.05;
    /** TV weight floor relative to the value range: noiseless data still gets a stable, smooth solve. */
    static final double MIN_WEIGHT_OF_RANGE = 0.002;

    /**
     * What the header says about a stack.
     *
     * @param sliceSpacingMm   distance between neighbouring slice centres, measured from the positions
     * @param sliceThicknessMm SliceThickness, or NaN / <= 0 when absent (contiguous slices are then assumed)
     * @param pixelSpacingMm   mean in-plane pixel spacing
     */
    public record Geometry(double sliceSpacingMm, double sliceThicknessMm, double pixelSpacingMm) { }

    private final int scale;
    private final SliceProfile.Shape shape;
    private final Geometry geometry;
    private final double thickness;

    /**
     * @throws IllegalArgumentException (a reason for the report) when the stack cannot be refined along z
     */
    public ThroughPlaneRecipe(int scale, SliceProfile.Shape shape, Geometry geometry) {
        if (scale < 2 || scale > 6) {
            throw new IllegalArgumentException("through-plane scale must be 2..6, got " + scale);
        }
        if (!(geometry.sliceSpacingMm() > 0) || Double.isInfinite(geometry.sliceSpacingMm())) {
            throw new IllegalArgumentException("no slice spacing (slice positions missing or all equal): "
                    + "cannot place thinner slices along z");
        }
        if (!(geometry.pixelSpacingMm() > 0)) {
            throw new IllegalArgumentException("no pixel spacing: the z weight of 3-D TV is unknown");
        }
        this.scale = scale;
        this.shape = shape;
        this.geometry = geometry;
        this.thickness = geometry.sliceThicknessMm() > 0 ? geometry.sliceThicknessMm() : geometry.sliceSpacingMm();
    }

    public int scale() { return scale; }

    public SliceProfile.Shape shape() { return shape; }

    public Geometry geometry() { return geometry; }

    /** The slice thickness the profile uses: SliceThickness, or the spacing when the header has none. */
    public double thicknessMm() { return thickness; }

    /** Spacing of the output slices. */
    public double fineSpacingMm() { return geometry.sliceSpacingMm() / scale; }

    /** A for a stack of {@code depth} thick slices ({@code plane} (h, w) for the engine form, or null). */
    public SliceProfile operator(int depth, ai.djl.ndarray.types.Shape plane) {
        return new SliceProfile(depth, scale, thickness / geometry.sliceSpacingMm(), shape, plane);
    }

    /** Weight of TV's z differences on the fine grid: pixel spacing / fine slice spacing. */
    public double zWeight() {
        return geometry.pixelSpacingMm() / fineSpacingMm();
    }

    public double tvWeight(double sigma, double range) {
        return Math.max(TV_WEIGHT * (Double.isFinite(sigma) ? sigma : 0), MIN_WEIGHT_OF_RANGE * range);
    }

    public StoppingRule tvStopping() {
        return StoppingRule.of(150, 2e-4);
    }

    /**
     * The method a stack is refined with: cubic, tv or network as asked; auto is the network where the model's card
     * validated it for sr-z (beating TV on every validation volume), else TV.
     *
     * @throws IllegalArgumentException for methods that do not apply along z, or network without a model
     */
    public static Method method(Method asked, RestorationNetwork network, int adaptSteps) {
        Method m = MethodResolver.requested(asked, adaptSteps);
        if (m == Method.AUTO) {
            m = network != null && network.preferredThroughPlane()
                    ? Method.NETWORK : Method.TV;
        }
        if (m != Method.CUBIC && m != Method.TV && m != Method.NETWORK) {
            throw new IllegalArgumentException("through-plane super-resolution runs cubic, tv or network, not "
                    + m.cliName());
        }
        if (m == Method.NETWORK && network == null) {
            throw new IllegalArgumentException("method network needs a learned model (--model)");
        }
        if (adaptSteps > 0 && m != Method.NETWORK) {
            throw new IllegalArgumentException("--adapt applies to the network, not to " + m.cliName());
        }
        return m;
    }

    /** For reports and provenance: "x3 along z, box profile 5 mm every 5 mm". */
    public String describe() {
        return "x" + scale + " along z, " + shape.cliName() + " profile " + number(thickness) + " mm every "
                + number(geometry.sliceSpacingMm()) + " mm" + (geometry.sliceThicknessMm() > 0 ? ""
                : " (no SliceThickness: contiguous slices assumed)");
    }

    static String number(double v) {
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
