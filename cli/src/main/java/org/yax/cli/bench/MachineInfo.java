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
