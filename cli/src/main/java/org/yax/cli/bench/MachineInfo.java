package org.yax.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the numbers were measured on, read from the JVM and /proc (Linux). */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The first "model name" of /proc/cpuinfo, or "unknown". */
    public static String cpuModel() {
        return procField(Path.of("/proc/cpuinfo"), "model name");
    }

    /** MemTotal of /proc/meminfo in GiB, or "unknown". */
    public static String memory() {
        String kb = procField(Path.of("/proc/meminfo"), "MemTotal");
        try {
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1048576.0);
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The machine's copy bandwidth in bytes per second (read + written), best of 5 copies of a 64 MiB float array
     * (far beyond the caches), split in contiguous blocks over {@code threads} threads.
     */
    public static double copyBandwidth(int threads) {
        int n = 16 << 20;
        float[] a = new float[n];
        float[] b = new float[n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 2f);
        double best = Double.MAX_VALUE;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int k = 0; k < 6; k++) {
                long t0 = System.nanoTime();
                java.util.List<java.util.concurrent.Future<?>> parts = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int from = (int) ((long) t * n / threads);
                    int to = (int) ((long) (t + 1) * n / threads);
                    parts.add(pool.submit(() -> System.arraycopy(a, from, b, from, to - from)));
                }
                for (java.util.concurrent.Future<?> f : parts) {
                    f.get();
                }
                long t1 = System.nanoTime();
                if (k > 0) {
                    best = Math.min(best, (t1 - t0) / 1e9);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return 2.0 * n * Float.BYTES / best;
    }

    /** CPU time of this JVM (all threads) in nanoseconds, or -1 if the platform does not say. */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    public static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("os.arch") + ")";
    }

    private static String procField(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux, or /proc hidden: the report says unknown
        }
        return "unknown";
    }
}
