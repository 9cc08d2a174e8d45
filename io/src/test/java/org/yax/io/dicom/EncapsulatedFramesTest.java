package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Grouping fragments into frames (PS3.5 A.4) on encapsulated PixelData elements built byte by byte. */
class EncapsulatedFramesTest {
    private static final byte[] A = {(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9};     // ends with EOI
    private static final byte[] B1 = {(byte) 0xFF, (byte) 0xD8, 3, 4};                              // no EOI yet
    private static final byte[] B2 = {5, (byte) 0xFF, (byte) 0xD9, 0};                               // EOI, padding

    @Test
    void oneFrameJoinsAllFragments() {
        byte[] data = element(new long[0], A, B1, B2);
        EncapsulatedFrames frames = EncapsulatedFrames.split(data, 4, true, 1);
        assertEquals(1, frames.frames().size());
        assertArrayEquals(concat(A, B1, B2), frames.frames().get(0));
    }

    @Test
    void offsetTableGroupsFragments() {
        byte[] data = element(new long[] {0, 8 + A.length}, A, B1, B2);
        EncapsulatedFrames frames = EncapsulatedFrames.split(data, 4, true, 2);
        assertArrayEquals(A, frames.frames().get(0));
        assertArrayEquals(concat(B1, B2), frames.frames().get(1));
    }

    @Test
    void withoutAnOffsetTableAFrameEndsAtAnEoiMarker() {
        EncapsulatedFrames frames = EncapsulatedFrames.split(element(new long[0], A, B1, B2), 4, true, 2);
        assertArrayEquals(A, frames.frames().get(0));
        assertArrayEquals(concat(B1, B2), frames.frames().get(1));
        // the element ends after the sequence delimiter: whatever follows is the data set's
        byte[] data = concat(element(new long[0], A, B1, B2), new byte[] {(byte) 0xFC, (byte) 0xFF});
        assertEquals(data.length - 2, EncapsulatedFrames.split(data, 4, true, 2).end());
    }

    @Test
    void layoutsThatDoNotFitAreLeftToPixelMed() {
        assertNull(EncapsulatedFrames.split(element(new long[0], A, B1, B2), 4, true, 4), "4 frames, 2 EOI markers");
        assertNull(EncapsulatedFrames.split(element(new long[0], B1, A, B1), 4, true, 2), "no EOI at the end");
        assertNull(EncapsulatedFrames.split(element(new long[] {0, 100}, A, B1, B2), 4, true, 2), "offset between items");
        assertNull(EncapsulatedFrames.split(element(new long[] {0, 8, 16}, A), 4, true, 3), "3 offsets, 1 fragment");
        byte[] whole = element(new long[0], A, B1, B2);
        assertNull(EncapsulatedFrames.split(Arrays.copyOf(whole, whole.length - 9), 4, true, 2), "truncated");
        assertNull(EncapsulatedFrames.split(whole, 3, true, 2), "not after a PixelData tag");
    }

    /** PixelData (7FE0,0010) OB of undefined length: offset table item, fragment items, sequence delimiter. */
    private static byte[] element(long[] offsets, byte[]... fragments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0, 'O', 'B', 0, 0, -1, -1, -1, -1});
        item(out, 0xE000, 4L * offsets.length);
        for (long offset : offsets) {
            u32(out, offset);
        }
        for (byte[] fragment : fragments) {
            item(out, 0xE000, fragment.length);
            out.writeBytes(fragment);
        }
        item(out, 0xE0DD, 0);
        return out.toByteArray();
    }

    private static void item(ByteArrayOutputStream out, int element, long length) {
        out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) element, (byte) (element >> 8)});
        u32(out, length);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        out.writeBytes(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
