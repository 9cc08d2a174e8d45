package org.yax.io.dicom;

import java.util.List;
import org.yax.core.SourceMetadata;

/**
 * Source metadata of a volume read from a series: the series it came from and each slice's own
 * {@link DicomSource} (z order), so the result can be written back slice by slice.
 */
public record DicomVolumeSource(DicomSeries series, List<DicomSource> slices) implements SourceMetadata {
    public DicomVolumeSource {
        slices = List.copyOf(slices);
    }

    @Override
    public String format() {
        return DicomFormat.NAME;
    }
}
