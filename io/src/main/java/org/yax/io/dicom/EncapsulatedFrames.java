package org.yax.io.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The compressed frames of encapsulated PixelData (PS3.5 A.4), cut out of the file's bytes where PixelMed stopped
 * parsing the header (just after the PixelData tag): a Basic Offset Table item, then fragment items, then a
 * sequence delimiter. Fragments are grouped into frames the way PS3.5 allows: one frame takes them all; as many
 * fragments as frames are one each; else the offset table; else (JPEG family) a frame ends with the fragment that
 * ends with an EOI marker.
 *
 * @param frames each frame's compressed bytes
 * @param end    where the PixelData element (its sequence delimiter) ends: data set elements may follow
 */
record EncapsulatedFrames(List<byte[]> frames, int end) {
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    /**
     * @param afterTag   where the PixelData tag ends in {@code b}
     * @param explicitVr whether the transfer syntax is explicit VR (every encapsulated one is)
     * @param frames     NumberOfFrames
     * @return the frames, or null when the layout is not the expected one (no undefined-length PixelData
     *         there, a truncated item, fragments that do not group into {@code frames} frames): the caller then
     *         lets PixelMed read the file, which reports what is wrong
     */
    static EncapsulatedFrames split(byte[] b, long afterTag, boolean explicitVr, int frames) {
        int tag = (int) afterTag - 4;
        if (frames < 1 || tag < 0 || afterTag > b.length || u16(b, tag) != 0x7FE0 || u16(b, tag + 2) != 0x0010) {
            return null;
        }
        int at = (int) afterTag;
        if (explicitVr) {
            if (at + 8 > b.length || b[at] != 'O' || (b[at + 1] != 'B' && b[at + 1] != 'W')) {
                return null;
            }
            at += 4;
        }
        if (at + 4 > b.length || u32(b, at) != UNDEFINED_LENGTH) {
            return null;
        }
        at += 4;
        // items: offsets (from the first fragment's item tag, as the offset table counts) and values
        List<Integer> starts = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        int firstFragment = -1;
        while (true) {
            if (at + 8 > b.length || u16(b, at) != 0xFFFE) {
                return null;
            }
            int element = u16(b, at + 2);
            long length = u32(b, at + 4);
            if (element == 0xE0DD) {
                at += 8;
                break;
            }
            if (element != 0xE000 || length > b.length - (long) (at + 8)) {
                return null;
            }
            if (firstFragment < 0 && !starts.isEmpty()) {
                firstFragment = at;
            }
            starts.add(at + 8);
            lengths.add((int) length);
            at += 8 + (int) length;
        }
        if (starts.size() < 2) {
            return null;
        }
        int fragments = starts.size() - 1; // item 0 is the Basic Offset Table
        List<int[]> groups = new ArrayList<>(); // [first fragment, fragment count] per frame
        if (frames == 1) {
            groups.add(new int[] {1, fragments});
        } else if (fragments == frames) {
            for (int f = 1; f <= fragments; f++) {
                groups.add(new int[] {f, 1});
            }
        } else if (lengths.get(0) == 4 * frames) {
            int table = starts.get(0);
            int fragment = 1;
            for (int frame = 0; frame < frames; frame++) {
                long end = frame + 1 < frames ? u32(b, table + 4 * (frame + 1)) : Long.MAX_VALUE;
                int first = fragment;
                if (fragment > fragments || u32(b, table + 4 * frame) != starts.get(fragment) - 8 - firstFragment) {
                    return null; // an offset that does not point at an item
                }
                while (fragment <= fragments && starts.get(fragment) - 8 - firstFragment < end) {
                    fragment++;
                }
                groups.add(new int[] {first, fragment - first});
            }
            if (fragment != fragments + 1) {
                return null;
            }
        } else {
            int first = 1;
            for (int f = 1; f <= fragments; f++) {
                if (endsWithEoi(b, starts.get(f), lengths.get(f))) {
                    groups.add(new int[] {first, f - first + 1});
                    first = f + 1;
                }
            }
            if (groups.size() != frames || first != fragments + 1) {
                return null;
            }
        }
        List<byte[]> out = new ArrayList<>(frames);
        for (int[] g : groups) {
            if (g[1] == 1) {
                int s = starts.get(g[0]);
                out.add(java.util.Arrays.copyOfRange(b, s, s + lengths.get(g[0])));
            } else {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                for (int f = g[0]; f < g[0] + g[1]; f++) {
                    frame.write(b, starts.get(f), lengths.get(f));
                }
                out.add(frame.toByteArray());
            }
        }
        return new EncapsulatedFrames(out, at);
    }

    /** A JPEG EOI marker (FF D9) at the end of the fragment, before at most one padding byte. */
    private static boolean endsWithEoi(byte[] b, int start, int length) {
        int end = start + length;
        for (int pad = 0; pad <= 1 && end - pad - 2 >= start; pad++) {
            if (b[end - pad - 2] == (byte) 0xFF && b[end - pad - 1] == (byte) 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
