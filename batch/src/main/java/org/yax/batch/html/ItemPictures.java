package org.yax.batch.html;

import java.io.Serializable;
import java.util.List;

/**
 * The thumbnails of one report row, made while the item's pixels were in memory (a cluster executor sends them back
 * to the driver inside the row), and the time they took.
 *
 * @param note why an item has fewer views than usual (e.g. streamed window by window), or null
 */
public record ItemPictures(List<Panel> panels, double seconds, String note) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ItemPictures {
        panels = List.copyOf(panels);
    }
}
