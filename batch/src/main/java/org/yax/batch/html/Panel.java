package org.yax.batch.html;

import java.io.Serializable;

/**
 * One view of an item, three PNG thumbnails of one size: the input and the output with the same {@link DisplayRange},
 * and the difference output - input on the same grid.
 *
 * @param caption    what the view is, e.g. "image" or "middle slice (10 of 20)"
 * @param mapping    how values became grey levels, e.g. "DICOM window 40/400"
 * @param difference how the difference map reads, e.g. "output - input: red +, blue -, full colour at 12.5"
 */
public record Panel(String caption, String mapping, String difference, int width, int height, byte[] inputPng,
                    byte[] outputPng, byte[] differencePng) implements Serializable {
    private static final long serialVersionUID = 1L;
}
