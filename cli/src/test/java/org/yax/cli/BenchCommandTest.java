package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Argument checks of yax bench only: each is rejected before the engine starts (the benchmark is no test). */
class BenchCommandTest {
    private static ReconstructCommandTest.Outcome bench(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return ReconstructCommandTest.yax(all);
    }

    @Test
    void zeroThreadsIsAUsageErrorAndSetsNothing() {
        // the test JVM may already pin threads (the parent pom does): the command must leave them as they were
        String threads = System.getProperty(BenchCommand.NUM_THREADS);
        String interop = System.getProperty(BenchCommand.NUM_INTEROP_THREADS);
        ReconstructCommandTest.Outcome o = bench("--threads", "0");
        assertEquals(Yax.EXIT_USAGE, o.exit(), o.err());
        assertTrue(o.err().contains("--threads must be between 1 and 1024, got 0"), o.err());
        assertEquals(threads, System.getProperty(BenchCommand.NUM_THREADS), "thread property set despite the usage error");
        assertEquals(interop, System.getProperty(BenchCommand.NUM_INTEROP_THREADS));
    }

    @Test
    void nonNumericThreadsIsAUsageError() {
        ReconstructCommandTest.Outcome o = bench("--threads", "two");
        assertEquals(Yax.EXIT_USAGE, o.exit(), o.err());
        assertTrue(o.err().contains("--threads"), o.err());
    }

    @Test
    void otherBadValuesAreUsageErrors() {
        assertUsage("--repeats must be at least 1, got 0", "--repeats", "0");
        assertUsage("--warmup must be at least 0, got -1", "--warmup", "-1");
        assertUsage("--warmup-seconds must be between 0 and 600, got -1.0", "--warmup-seconds", "-1");
        assertUsage("--sizes must be between 16 and 16384, got 8", "--sizes", "512,8");
        assertUsage("--mri-size must be between 16 and 16384, got 4", "--mri-size", "4");
        assertUsage("--report must end in .json or .csv, got bench.txt", "--report", "bench.txt");
        assertUsage("--path must be djl, host or both, got gpu", "--path", "gpu");
        assertUsage("--iterations must be a multiple of 5 between 5 and 100000, got 7", "--iterations", "7");
        assertUsage("--iterations must be a multiple of 5 between 5 and 100000, got 0", "--iterations", "0");
    }

    private static void assertUsage(String message, String... args) {
        ReconstructCommandTest.Outcome o = bench(args);
        assertEquals(Yax.EXIT_USAGE, o.exit(), String.join(" ", args) + ": " + o.err());
        assertTrue(o.err().contains(message), o.err());
    }

    @Test
    void aCpuTimeUnderTheClocksResolutionIsNoRate() {
        // the process CPU clock advances in ticks: a run of a few milliseconds reads 0 (stored as 1 ns)
        org.yax.cli.bench.Timings wall = org.yax.cli.bench.Timings.of(java.util.List.of(0.002, 0.002, 0.002), 300);
        org.yax.cli.bench.Timings tick = org.yax.cli.bench.Timings.of(java.util.List.of(1e-9, 0.01, 1e-9), 300);
        BenchCommand.Row tiny = new BenchCommand.Row("pdhg", 64, 300, 1, wall, null, 36, tick, null);
        assertTrue(Double.isNaN(tiny.cpuTvRate()), "rate " + tiny.cpuTvRate());
        org.yax.cli.bench.Timings cpu = org.yax.cli.bench.Timings.of(java.util.List.of(0.5, 0.6, 0.4), 300);
        BenchCommand.Row measured = new BenchCommand.Row("pdhg", 512, 300, 1, wall, null, 36, cpu, null);
        assertEquals(600, measured.cpuTvRate(), 1e-9);
    }
}
