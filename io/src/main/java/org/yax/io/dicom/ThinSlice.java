package org.yax.io.dicom;

import java.util.List;

/**
 * Where one slice of a through-plane refined series goes and what it came from.
 *
 * @param header          the source slice whose header the output copies (the one whose centre is nearest)
 * @param imagePosition   ImagePositionPatient of the thin slice (before any in-plane refinement shift)
 * @param spacing         SliceThickness and SpacingBetweenSlices of the thin slices, mm
 * @param sliceLocation   SliceLocation, or NaN to leave none
 * @param instanceNumber  1-based, increasing along the slice normal
 * @param sources         indices (in the stack) of the source slices whose profile measured this thin slice
 */
public record ThinSlice(int header, double[] imagePosition, double spacing, double sliceLocation, int instanceNumber,
                        List<Integer> sources) {
    public ThinSlice {
        imagePosition = imagePosition.clone();
        sources = List.copyOf(sources);
    }
}
