package org.yax.plugins;

import ij.ImagePlus;
import org.yax.core.Derivation;
import org.yax.core.SourceMetadata;

/**
 * The yax metadata an ImagePlus carries between commands, as ImagePlus properties (they travel with the
 * image in memory; they are not saved by ImageJ's own writers).
 */
public final class SourceProperties {
    /** The {@link SourceMetadata} of the file the image was read from (a DicomSource or GdalSource). */
    public static final String SOURCE = "yax.source";
    /** The {@link Derivation} of a reconstructed image, for the writer's provenance. */
    public static final String DERIVATION = "yax.derivation";
    /** ImageJ's header text property (Image > Show Info). */
    public static final String INFO = "Info";

    private SourceProperties() { }

    /** The source metadata, or null for an image not opened through yax. */
    public static SourceMetadata source(ImagePlus imp) {
        return imp.getProperty(SOURCE) instanceof SourceMetadata s ? s : null;
    }

    /** The derivation of a reconstructed image, or null for an image yax has not reconstructed. */
    public static Derivation derivation(ImagePlus imp) {
        return imp.getProperty(DERIVATION) instanceof Derivation d ? d : null;
    }

    public static void attach(ImagePlus imp, SourceMetadata source, Derivation derivation, String info) {
        if (source != null) {
            imp.setProperty(SOURCE, source);
        }
        if (derivation != null) {
            imp.setProperty(DERIVATION, derivation);
        }
        if (info != null && !info.isEmpty()) {
            imp.setProperty(INFO, info);
        }
    }
}
