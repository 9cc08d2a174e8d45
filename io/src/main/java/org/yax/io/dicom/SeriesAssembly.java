package org.yax.io.dicom;

import java.util.List;

/**
 * What {@link SeriesAssembler#assemble} made of a set of files: the stacks that can be read as volumes
 * (a source series may be split into several, each says why) and the files left out with the reason.
 */
public record SeriesAssembly(List<DicomSeries> series, List<SkippedFile> skipped) {
    public SeriesAssembly {
        series = List.copyOf(series);
        skipped = List.copyOf(skipped);
    }
}
