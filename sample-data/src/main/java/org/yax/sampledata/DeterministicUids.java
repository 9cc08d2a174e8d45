package org.yax.sampledata;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * DICOM UIDs of the form 2.25.&lt;decimal UUID&gt; (PS3.5 B.2) derived from the seed and a label, so that a rerun
 * with the same seed writes byte-identical files while different labels never collide.
 */
public final class DeterministicUids {
    private final long seed;

    public DeterministicUids(long seed) {
        this.seed = seed;
    }

    /** The UID for {@code label}; the same seed and label always give the same UID. */
    public String uid(String label) {
        UUID uuid = UUID.nameUUIDFromBytes(("yax-sample-data:" + seed + ":" + label).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }
}
