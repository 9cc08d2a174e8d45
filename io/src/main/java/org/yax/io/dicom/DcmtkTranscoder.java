package org.yax.io.dicom;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fallback for compressed transfer syntaxes PixelMed cannot decode (JPEG-LS, 12-bit JPEG, RLE of 16-bit
 * colour or 32-bit samples): dcmtk's decompressor, run in its own process, writes an explicit VR little
 * endian copy into a temporary file that is read instead. The input is never touched.
 */
final class DcmtkTranscoder {
    private static final long TIMEOUT_SECONDS = 120;

    private DcmtkTranscoder() { }

    /** The dcmtk tool that decompresses this transfer syntax, or null when dcmtk has none. */
    static String toolFor(String transferSyntaxUid) {
        return switch (transferSyntaxUid) {
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "dcmdjpls";
            case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
                 "1.2.840.10008.1.2.4.70" -> "dcmdjpeg";
            case "1.2.840.10008.1.2.5" -> "dcmdrle";
            default -> null;
        };
    }

    /** The tool's path on PATH, or null when it is not installed. */
    static Path find(String tool) {
        String path = System.getenv("PATH");
        if (tool == null || path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Decompresses {@code input} with {@code tool} into a new temporary file (the caller deletes it).
     *
     * @throws IOException naming the tool and its first line of complaint when it fails
     */
    static Path transcode(Path tool, Path input) throws IOException {
        Path out = Files.createTempFile("yax-dcmtk-", ".dcm");
        Path log = Files.createTempFile("yax-dcmtk-", ".log");
        boolean ok = false;
        try {
            Process p = new ProcessBuilder(List.of(tool.toString(), input.toString(), out.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool.getFileName() + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readString(log, StandardCharsets.UTF_8).strip().lines().toList();
                // dcmtk prints warnings (W:) before the error (E:/F:) that made it fail
                String msg = lines.stream().filter(l -> l.startsWith("E:") || l.startsWith("F:")).findFirst()
                        .orElse(lines.isEmpty() ? "" : lines.get(0));
                throw new IOException(tool.getFileName() + " failed (exit " + p.exitValue() + "): " + msg);
            }
            ok = true;
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(tool.getFileName() + " interrupted", e);
        } finally {
            Files.deleteIfExists(log);
            if (!ok) {
                Files.deleteIfExists(out);
            }
        }
    }
}
