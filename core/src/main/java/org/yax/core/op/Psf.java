package org.yax.core.op;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A point-spread function as users write it, the recipe for a {@link Blur} on any plane:
 * <ul>
 *   <li>{@code gaussian:S}: Gaussian of standard deviation S pixels ({@link Blur#gaussian});</li>
 *   <li>{@code box:N}: uniform N x N average, N odd ({@link Blur#box});</li>
 *   <li>{@code motion:L:A}: linear motion of L pixels at A degrees ({@link Blur#motion}; A defaults to 0);</li>
 *   <li>{@code file:PATH}: a text file of numbers, one PSF row per line, separated by spaces, tabs or commas
 *       (ImageJ's File &gt; Save As &gt; Text Image, {@code numpy.savetxt}); odd sizes; normalised to sum 1.</li>
 * </ul>
 * Immutable; a file's values are read once, when the spec is parsed. {@link #toString()} is the canonical
 * spec (for a file with a digest of its values, so a changed file is a different PSF).
 */
public final class Psf {
    /** Largest PSF side accepted from a file or a parameter (pixels): larger ones are surely a mistake. */
    public static final int MAX_SIZE = 257;

    private final String spec;
    private final float[][] kernel;

    private Psf(String spec, float[][] kernel) {
        if (kernel.length > MAX_SIZE || kernel[0].length > MAX_SIZE) {
            throw new IllegalArgumentException("psf '" + spec + "' is " + kernel.length + "x" + kernel[0].length
                    + " pixels; at most " + MAX_SIZE + " per side");
        }
        this.spec = spec;
        this.kernel = kernel;
    }

    /** Parses {@code gaussian:1.5}, {@code box:5}, {@code motion:9:30} or {@code file:PATH} (see the class comment). */
    public static Psf parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            return parseChecked(t);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw m.startsWith("psf") ? e : new IllegalArgumentException("psf '" + t + "': " + m, e);
        }
    }

    private static Psf parseChecked(String t) {
        int colon = t.indexOf(':');
        String kind = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : t.substring(colon + 1);
        Shape any = new Shape(1, 1); // the kernel does not depend on the plane
        return switch (kind) {
            case "gaussian" -> {
                double s = number(rest, t, "gaussian:SIGMA (pixels)");
                if ((int) (4 * s + 0.5) > MAX_SIZE / 2) { // the kernel's radius, as Blur.gaussian truncates it
                    throw new IllegalArgumentException("psf '" + t + "': gaussian sigma at most " + MAX_SIZE / 8
                            + " pixels");
                }
                yield new Psf("gaussian:" + format(s), Blur.gaussian(any, s).psf());
            }
            case "box" -> {
                double n = number(rest, t, "box:SIZE (odd pixels)");
                if (n != Math.rint(n) || n > MAX_SIZE) {
                    throw new IllegalArgumentException("psf '" + t + "': box size must be an odd whole number up to "
                            + MAX_SIZE);
                }
                yield new Psf("box:" + (int) n, Blur.box(any, (int) n).psf());
            }
            case "motion" -> {
                String[] parts = rest.split(":", -1);
                if (parts.length > 2) {
                    throw usage(t, "motion:LENGTH[:ANGLE] (pixels, degrees)");
                }
                double length = number(parts[0], t, "motion:LENGTH[:ANGLE] (pixels, degrees)");
                double angle = parts.length == 2 ? number(parts[1], t, "motion:LENGTH[:ANGLE] (pixels, degrees)") : 0;
                if (length > MAX_SIZE - 1) {
                    throw new IllegalArgumentException("psf '" + t + "': motion length at most " + (MAX_SIZE - 1));
                }
                yield new Psf("motion:" + format(length) + ":" + format(angle), Blur.motion(any, length, angle).psf());
            }
            case "file" -> {
                if (rest.isBlank()) {
                    throw usage(t, "file:PATH");
                }
                float[][] k = read(Path.of(rest));
                Blur normalised = Blur.withPsf(any, k); // checks odd sizes, finite values, positive sum
                yield new Psf("file:" + rest + " (sha256 " + digest(k).substring(0, 16) + ")", normalised.psf());
            }
            default -> throw usage(t, "gaussian:SIGMA, box:SIZE, motion:LENGTH[:ANGLE] or file:PATH");
        };
    }

    /** The blur this PSF makes on a (height, width) plane, with symmetric boundaries. */
    public Blur operator(Shape plane) {
        return Blur.withPsf(plane, kernel);
    }

    /** A copy of the normalised PSF, psf[row][column] (odd sizes, centred, sum 1). */
    public float[][] kernel() {
        return Arrays.stream(kernel).map(float[]::clone).toArray(float[][]::new);
    }

    /** Pixels the PSF reaches from its centre (half its larger side): how far a pixel's blur spreads. */
    public int radius() {
        return Math.max(kernel.length, kernel[0].length) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Psf p && p.spec.equals(spec) && Arrays.deepEquals(p.kernel, kernel);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    /** The canonical spec, e.g. {@code gaussian:1.5} or {@code motion:9:30}. */
    @Override
    public String toString() {
        return spec;
    }

    private static double number(String s, String spec, String form) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw usage(spec, form);
        }
    }

    private static IllegalArgumentException usage(String spec, String form) {
        return new IllegalArgumentException("psf '" + spec + "' is not " + form);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    private static float[][] read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("psf file " + file + ": cannot read (" + e.getMessage() + ")");
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("[\\s,;]+");
            float[] row = new float[cells.length];
            for (int j = 0; j < cells.length; j++) {
                try {
                    row[j] = Float.parseFloat(cells[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("psf file " + file + ": line " + (i + 1) + " has '" + cells[j]
                            + "', not a number");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("psf file " + file + ": no numbers in it");
        }
        int w = rows.get(0).length;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != w) {
                throw new IllegalArgumentException("psf file " + file + ": row " + (i + 1) + " has "
                        + rows.get(i).length + " values, row 1 has " + w);
            }
        }
        return rows.toArray(float[][]::new);
    }

    private static String digest(float[][] k) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (float[] row : k) {
                for (float v : row) {
                    int bits = Float.floatToIntBits(v);
                    md.update(new byte[] {(byte) (bits >> 24), (byte) (bits >> 16), (byte) (bits >> 8), (byte) bits});
                }
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
