package org.yax.core.op;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The fixed, small thread pool of the host kernels ({@link HostOperator}, the host solvers in core.solve): work
 * is split over lines (one row of one plane) in contiguous blocks. Every kernel computes each line's values from
 * the line's inputs alone and takes sums per line, added afterwards in line order, so results do not depend on
 * the number of threads or on how lines are split.
 *
 * <p>Size: {@code -Dyax.host.threads=N}, else the available processors; {@link #setThreads} (benchmarks, tests) changes
 * it for later calls.
 */
public final class HostPool {
    /** Processes lines [from, to). */
    @FunctionalInterface
    public interface Lines {
        void run(int from, int to);
    }

    private static int threads = initialThreads();
    /**
     * One pool per thread count asked for, kept for the life of the JVM: a benchmark that alternates counts run by
     * run would otherwise time each run's fresh threads (their start and first tasks), which a solve never sees.
     */
    private static final Map<Integer, Pool> POOLS = new HashMap<>();
    /**
     * How long a pool thread that ran a part of {@link #together} spins for the next call's part before it goes back
     * to the pool (where it parks). Why: a solver calls {@code together} once per group of iterations (FISTA: once
     * per outer iteration) with a little serial work between, and waking a parked thread took 40-60 us on the 2-core
     * bench VM (an idle virtual core has to be woken by the host), while the caller's part had started and soon
     * waited for it at the first barrier.
     */
    private static final long LINGER_NANOS = 200_000;

    private HostPool() { }

    private static int initialThreads() {
        String p = System.getProperty("yax.host.threads");
        if (p != null) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Threads the host kernels use from now on (>= 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("host threads must be >= 1, got " + n);
        }
        threads = n;
    }

    public static synchronized int threads() {
        return threads;
    }

    /** A pool's threads, and those of them that have just run a part of {@link #together} and wait for the next. */
    private record Pool(ForkJoinPool workers, ConcurrentLinkedDeque<Lingerer> lingering) {
        /** Whether the calling thread is one of this pool's workers. */
        boolean callerIsWorker() {
            return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == workers;
        }
    }

    private static synchronized Pool pool() {
        return POOLS.computeIfAbsent(threads, n -> new Pool(new ForkJoinPool(n, f -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(f);
            t.setDaemon(true);
            t.setName("yax-host-" + n + "-" + t.getPoolIndex());
            return t;
        }, null, false), new ConcurrentLinkedDeque<>()));
    }

    /** Runs {@code body} over lines [0, lines) in blocks on the pool (on the caller when one thread). */
    public static void forLines(int lines, Lines body) {
        int t = threads();
        if (t == 1 || lines < 2) {
            body.run(0, lines);
            return;
        }
        int blocks = Math.min(lines, 4 * t);
        Pool p = pool();
        if (p.callerIsWorker()) {
            new Split(body, lines, blocks, 0, blocks).compute();
        } else {
            p.workers().invoke(new Split(body, lines, blocks, 0, blocks));
        }
    }

    /**
     * Runs {@code part} for parts 0 .. parts - 1 at the same time, part 0 on the caller and the others on the pool;
     * returns when all are done and rethrows the first failure. Parts may wait for lower-numbered parts, never for
     * higher ones, and must wait through {@link ForkJoinPool#managedBlock}, so that a pool busy with other callers
     * adds a thread instead of deadlocking. On one thread, or from inside the pool, the parts run one after another in
     * order, where such waits return at once.
     */
    public static void together(int parts, IntConsumer part) {
        Pool p = parts <= 1 || threads() == 1 ? null : pool();
        if (p == null || p.callerIsWorker()) {
            for (int j = 0; j < parts; j++) {
                part.accept(j);
            }
            return;
        }
        ConcurrentLinkedDeque<Lingerer> waiting = p.lingering();
        Parts done = new Parts(parts - 1);
        for (int j = 1; j < parts; j++) {
            int index = j;
            Runnable job = () -> done.run(part, index);
            Lingerer l;
            while ((l = waiting.pollFirst()) != null && !l.take(job)) {
                // it had stopped waiting: try the next
            }
            if (l == null) {
                p.workers().execute(() -> {
                    job.run();
                    linger(p.workers(), waiting);
                });
            }
        }
        done.run(part, 0);
        done.await();
    }

    /**
     * Thrown by a part of a {@link #together} call that stops because another part of the same call failed: the
     * caller sees the other part's failure instead, whichever reached the pool first.
     */
    public static final class OtherPartFailed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public OtherPartFailed(String message) {
            super(message);
        }
    }

    /** The parts of one {@link #together} call: how many of the others are still running, and the first failure. */
    private static final class Parts {
        private final AtomicInteger running;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Parts(int others) {
            running = new AtomicInteger(others);
        }

        void run(IntConsumer part, int index) {
            try {
                part.accept(index);
            } catch (RuntimeException | Error e) {
                // a part that stopped because another failed may get here first: the other's failure is the cause
                failure.accumulateAndGet(e, (first, next) -> first == null
                        || first instanceof OtherPartFailed && !(next instanceof OtherPartFailed) ? next : first);
            } finally {
                if (index != 0 && running.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** Waits (on the caller) for the other parts, then rethrows the first failure that is not an {@link OtherPartFailed}. */
        void await() {
            for (int spin = 0; running.get() > 0; spin++) {
                if (spin < 1 << 14) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error r) {
                throw r;
            }
        }
    }

    /** A pool thread between two parts of {@link #together}: a caller that takes it hands it the next part. */
    private static final class Lingerer {
        private static final int WAITING = 0;
        private static final int TAKEN = 1;
        private static final int GONE = 2;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private volatile Runnable job;

        /** Hands {@code next} to this thread, if it still waits. */
        boolean take(Runnable next) {
            if (!state.compareAndSet(WAITING, TAKEN)) {
                return false;
            }
            job = next;
            return true;
        }
    }

    /**
     * On a pool thread after a part: spins up to {@link #LINGER_NANOS} for the next part, runs it, and so on; it goes
     * back to the pool at once when work waits there (another caller's part, {@link #forLines}), so that callers who
     * keep handing it parts cannot starve that work.
     */
    private static void linger(ForkJoinPool p, ConcurrentLinkedDeque<Lingerer> waiting) {
        while (!p.hasQueuedSubmissions()) {
            Lingerer l = new Lingerer();
            waiting.addFirst(l);
            long deadline = System.nanoTime() + LINGER_NANOS;
            Runnable next;
            while ((next = l.job) == null) {
                if ((System.nanoTime() - deadline > 0 || p.hasQueuedSubmissions())
                        && l.state.compareAndSet(Lingerer.WAITING, Lingerer.GONE)) {
                    waiting.remove(l);
                    return;
                }
                Thread.onSpinWait();
            }
            next.run();
        }
    }

    /**
     * How many of {@code parts} parts {@link #together} runs at the same time: up to the pool's threads, and 1 on one
     * thread or from inside the pool (where it runs them one after another). Parts that wait for each other (a
     * barrier) need this many and no more.
     */
    public static int atOnce(int parts) {
        if (parts <= 1 || threads() == 1 || pool().callerIsWorker()) {
            return 1;
        }
        return Math.min(parts, threads());
    }

    /** Runs {@code body} over elements [0, n) in contiguous ranges (elementwise work). */
    public static void forRange(int n, Lines body) {
        int blocks = Math.min(n, 256);
        forLines(blocks, (from, to) -> body.run((int) ((long) from * n / blocks), (int) ((long) to * n / blocks)));
    }

    /** Halves a range of blocks until one is left; block b covers lines [b * lines / blocks, (b + 1) * ...). */
    private static final class Split extends RecursiveAction {
        private final Lines body;
        private final int lines;
        private final int blocks;
        private final int from;
        private final int to;

        Split(Lines body, int lines, int blocks, int from, int to) {
            this.body = body;
            this.lines = lines;
            this.blocks = blocks;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.run((int) ((long) from * lines / blocks), (int) ((long) to * lines / blocks));
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(body, lines, blocks, from, mid), new Split(body, lines, blocks, mid, to));
        }
    }
}
