package org.yax.io.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * UIDs for derived instances, in the UUID-derived "2.25.&lt;decimal&gt;" form (PS3.5 B.2), which needs no
 * registered root.
 */
final class DerivedUids {
    private DerivedUids() { }

    /**
     * The derived series UID: the same for every slice derived from one source series by one derivation
     * (a name-based UUID of both), so a series processed slice by slice stays one series.
     */
    static String derivedSeriesUid(String sourceSeriesUid, String derivationDescription) {
        String name = "yax-derived-series\u0000" + sourceSeriesUid + "\u0000" + derivationDescription;
        return fromUuid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The UID of one derived instance of a batch run: a name-based UUID of the run id, the source's Series and SOP
     * Instance UIDs, the derivation and the output's relative path. The same output written again in the same run
     * (a retried or speculative task, a resumed run) gets the same UID; another run, or a byte-identical copy of
     * the source at another path (another output), gets another.
     */
    static String instanceUid(String runId, String sourceSeriesUid, String sourceSopInstanceUid,
                              String derivationDescription, String outputKey) {
        String name = "yax-derived-instance\u0000" + runId + "\u0000" + sourceSeriesUid + "\u0000"
                + sourceSopInstanceUid + "\u0000" + derivationDescription + "\u0000" + outputKey;
        return fromUuid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new, unique UID (random UUID) for one output instance. */
    static String newInstanceUid() {
        return fromUuid(UUID.randomUUID());
    }

    static String fromUuid(UUID uuid) {
        BigInteger hi = BigInteger.valueOf(uuid.getMostSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        BigInteger lo = BigInteger.valueOf(uuid.getLeastSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        return "2.25." + hi.shiftLeft(64).or(lo);
    }
}
