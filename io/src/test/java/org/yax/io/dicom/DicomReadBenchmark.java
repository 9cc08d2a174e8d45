package org.yax.io.dicom;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yax.core.Image;

/**
 * Read throughput of yax's DICOM reader (file to float modality values) for scripts/bench-dicom.sh; not a test.
 * Arguments: groups as "label=file[,file...]". Prints "label<TAB>bytes<TAB>wall seconds per pass<TAB>MB/s<TAB>
 * CPU seconds per pass" lines. CPU time is this thread's: on a shared, loaded machine it moves far less than wall
 * time (the JIT compiler's and GC's threads are not in it).
 */
public final class DicomReadBenchmark {
    private DicomReadBenchmark() { }

    public static void main(String[] args) throws Exception {
        DicomFormat format = new DicomFormat();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String group : args) {
            String label = group.substring(0, group.indexOf('='));
            List<Path> files = new ArrayList<>();
            long bytes = 0;
            for (String f : group.substring(group.indexOf('=') + 1).split(",")) {
                files.add(Path.of(f));
                bytes += Files.size(Path.of(f));
            }
            double sink = 0;
            // JIT warm-up, counted in CPU time so that a loaded machine still gets a warm JVM
            long warmUntil = threads.getCurrentThreadCpuTime() + 2_000_000_000L;
            while (threads.getCurrentThreadCpuTime() < warmUntil) {
                for (Path f : files) {
                    sink += format.read(f).pixels()[0];
                }
            }
            int passes = 0;
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            while (passes < 5 || System.nanoTime() - start < 2_000_000_000L) {
                for (Path f : files) {
                    Image image = format.read(f);
                    sink += image.pixels()[image.pixels().length / 2];
                }
                passes++;
            }
            double perPass = (System.nanoTime() - start) / 1e9 / passes;
            double cpuPerPass = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9 / passes;
            System.out.printf(Locale.ROOT, "%s\t%d\t%.6f\t%.2f\t%.6f\t%s%n", label, bytes, perPass, bytes / perPass / 1e6,
                    cpuPerPass, sink == 12345.678 ? "!" : "");
        }
    }
}
