package org.yax.cli.bench;

import java.util.Arrays;
import java.util.List;

/** Wall-clock seconds of repeated runs of one workload, as iterations per second (median, min, max). */
public record Timings(double[] seconds, int iterations) {
    public Timings {
        if (seconds.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("need at least one timed run of at least one iteration");
        }
        seconds = seconds.clone();
    }

    public static Timings of(List<Double> seconds, int iterations) {
        return new Timings(seconds.stream().mapToDouble(Double::doubleValue).toArray(), iterations);
    }

    public double medianSeconds() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Iterations per second of the median run. */
    public double medianRate() {
        return iterations / medianSeconds();
    }

    /** Iterations per second of the slowest run. */
    public double minRate() {
        return iterations / Arrays.stream(seconds).max().orElseThrow();
    }

    /** Iterations per second of the fastest run. */
    public double maxRate() {
        return iterations / Arrays.stream(seconds).min().orElseThrow();
    }
}
