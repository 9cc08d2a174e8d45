package org.yax.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HostPool#together}: every part runs, all at the same time (each waits until every other has started), call
 * after call (where its pool threads are handed the next call's parts while they wait for it), and the first failure,
 * of any part, comes back to the caller, after which the pool still works.
 */
class HostPoolTest {
    private final int before = HostPool.threads();

    @AfterEach
    void restore() {
        HostPool.setThreads(before);
    }

    @Test
    void partsRunAtTheSameTimeCallAfterCall() {
        for (int threads : new int[] {2, 3}) {
            HostPool.setThreads(threads);
            int parts = HostPool.atOnce(threads);
            assertEquals(threads, parts);
            for (int call = 0; call < 2000; call++) {
                AtomicIntegerArray started = new AtomicIntegerArray(parts);
                AtomicIntegerArray ran = new AtomicIntegerArray(parts);
                int c = call;
                HostPool.together(parts, part -> {
                    started.set(part, 1);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    for (int other = 0; other < parts; other++) {
                        while (started.get(other) == 0) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("call " + c + ": part " + other + " never started");
                            }
                            Thread.onSpinWait();
                        }
                    }
                    ran.incrementAndGet(part);
                });
                for (int part = 0; part < parts; part++) {
                    assertEquals(1, ran.get(part), "call " + call + ", part " + part);
                }
                if (call % 500 == 0) {
                    // now and then a pause longer than a pool thread waits for the next call
                    sleep(2);
                }
            }
        }
    }

    /**
     * More callers than pool threads, at once (Spark runs several tasks in one JVM): three callers of
     * {@code together}, whose parts wait for each other, and one of {@code forLines}, on a 2-thread pool; every call
     * completes (a pool thread waiting for its caller's next part goes back to the pool when other work waits there).
     */
    @Test
    void moreCallersThanThreadsAllGetTheirParts() throws Exception {
        HostPool.setThreads(2);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int c = 0; c < 3; c++) {
                done.add(callers.submit(() -> {
                    for (int call = 0; call < 300; call++) {
                        AtomicIntegerArray started = new AtomicIntegerArray(2);
                        HostPool.together(2, part -> {
                            started.set(part, 1);
                            long deadline = System.nanoTime() + 10_000_000_000L;
                            while (started.get(1 - part) == 0) {
                                if (System.nanoTime() > deadline) {
                                    throw new AssertionError("the other part never started");
                                }
                                Thread.onSpinWait();
                            }
                        });
                    }
                    return 300;
                }));
            }
            done.add(callers.submit(() -> {
                java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
                for (int call = 0; call < 300; call++) {
                    HostPool.forLines(64, (from, to) -> lines.addAndGet(to - from));
                }
                return lines.get() / 64;
            }));
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(300, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theFirstFailureOfAnyPartComesBackAndThePoolGoesOn() {
        HostPool.setThreads(2);
        IllegalStateException inPart1 = new IllegalStateException("part 1");
        assertSame(inPart1, assertThrows(IllegalStateException.class, () -> HostPool.together(2, part -> {
            if (part == 1) {
                throw inPart1;
            }
        })));
        IllegalArgumentException inPart0 = new IllegalArgumentException("part 0");
        assertSame(inPart0, assertThrows(IllegalArgumentException.class, () -> HostPool.together(2, part -> {
            if (part == 0) {
                throw inPart0;
            }
        })));
        AssertionError error = new AssertionError("an error in part 1");
        assertSame(error, assertThrows(AssertionError.class, () -> HostPool.together(2, part -> {
            if (part == 1) {
                throw error;
            }
        })));
        AtomicIntegerArray ran = new AtomicIntegerArray(2);
        HostPool.together(2, part -> ran.incrementAndGet(part));
        assertTrue(ran.get(0) == 1 && ran.get(1) == 1, "both parts ran after the failures");
    }

    @Test
    void aPartThatStoppedForAnothersFailureDoesNotHideThatFailure() {
        HostPool.setThreads(2);
        IllegalArgumentException cause = new IllegalArgumentException("row 50");
        for (int stopping : new int[] {0, 1}) {
            // the stopping part reaches the pool first, the failing one 50 ms later
            assertSame(cause, assertThrows(IllegalArgumentException.class, () -> HostPool.together(2, part -> {
                if (part == stopping) {
                    throw new HostPool.OtherPartFailed("another part failed");
                }
                sleep(50);
                throw cause;
            })), "stopping part " + stopping);
        }
        // with no other failure, the stopping part's own comes back
        assertThrows(HostPool.OtherPartFailed.class, () -> HostPool.together(2, part -> {
            if (part == 1) {
                throw new HostPool.OtherPartFailed("another part failed");
            }
        }));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
