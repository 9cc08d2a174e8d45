package org.yax.io.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yax.core.Image;

/**
 * Read throughput of yax's DICOM reader (file to float modality values) for scripts/bench-dicom.sh; not a test.
 * Arguments: groups as "label=file[,file...]". Prints "label<TAB>bytes<TAB>seconds per pass<TAB>MB/s" lines.
 */
public final class DicomReadBenchmark {
    private DicomReadBenchmark() { }

    public static void main(String[] args) throws Exception {
        DicomFormat format = new DicomFormat();
        for (String group : args) {
            String label = group.substring(0, group.indexOf('='));
            List<Path> files = new ArrayList<>();
            long bytes = 0;
            for (String f : group.substring(group.indexOf('=') + 1).split(",")) {
                files.add(Path.of(f));
                bytes += Files.size(Path.of(f));
            }
            double sink = 0;
            // JIT warm-up: a series of hundreds of slices runs warm after its first few dozen
            long warmUntil = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                for (Path f : files) {
                    sink += format.read(f).pixels()[0];
                }
            }
            int passes = 0;
            long start = System.nanoTime();
            while (passes < 5 || System.nanoTime() - start < 2_000_000_000L) {
                for (Path f : files) {
                    Image image = format.read(f);
                    sink += image.pixels()[image.pixels().length / 2];
                }
                passes++;
            }
            double perPass = (System.nanoTime() - start) / 1e9 / passes;
            System.out.printf(Locale.ROOT, "%s\t%d\t%.6f\t%.2f\t%s%n", label, bytes, perPass, bytes / perPass / 1e6,
                    sink == 12345.678 ? "!" : "");
        }
    }
}
