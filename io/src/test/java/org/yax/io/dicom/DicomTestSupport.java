package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sample files and independent checkers (pydicom through Debian's python3, dcmtk, dicom3tools). */
final class DicomTestSupport {
    static final String PYTHON = "/usr/bin/python3";

    private DicomTestSupport() { }

    /** A file under yax.sampleData; fails (never skips) when the sample data was not fetched. */
    static Path sample(String relative) {
        String root = System.getProperty("yax.sampleData");
        assertTrue(root != null && !root.isBlank(), "system property yax.sampleData is not set: run via Maven");
        Path p = Path.of(root).resolve(relative);
        assertTrue(Files.isRegularFile(p), "missing sample file " + p + ": run scripts/setup.sh to fetch the sample data");
        return p;
    }

    static Path pydicomFile(String name) {
        return sample("pydicom-test-files/" + name);
    }

    /** Every file of pydicom's test_files folder (subfolders included), sorted. */
    static List<Path> pydicomFiles() throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(pydicomFile("CT_small.dcm").getParent())) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Result of an external command. */
    record Run(int exitCode, String stdout, String stderr) { }

    static Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = Files.createTempFile("yax-dicom-test", ".out");
        Path err = Files.createTempFile("yax-dicom-test", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a pydicom script (argv[1..] = args) and returns its stdout; fails on a non-zero exit. */
    static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Run r = run(cmd);
        assertEquals(0, r.exitCode(), "python failed: " + r.stderr());
        return r.stdout();
    }

    /**
     * pydicom's modality values (pixel_array * RescaleSlope + RescaleIntercept in float64, then float32)
     * in (channel, frame, y, x) order, as little endian float32.
     */
    static float[] pydicomModalityValues(Path file, Path scratch) throws IOException, InterruptedException {
        return pydicomModalityValues(file, scratch, false);
    }

    /** As above; {@code ybrToRgb}: convert pydicom's YBR_FULL output to RGB (as a YBR JPEG decodes to). */
    static float[] pydicomModalityValues(Path file, Path scratch, boolean ybrToRgb) throws IOException, InterruptedException {
        Path raw = scratch.resolve(file.getFileName() + ".f32");
        python("""
                import sys, numpy as np, pydicom
                ds = pydicom.dcmread(sys.argv[1])
                a = ds.pixel_array
                if sys.argv[3] == 'True':
                    from pydicom.pixel_data_handlers.util import convert_color_space
                    a = convert_color_space(a, 'YBR_FULL', 'RGB')
                a = a.astype(np.float64)
                spp = int(ds.get('SamplesPerPixel', 1))
                frames = int(ds.get('NumberOfFrames', 1) or 1)
                a = a * float(ds.get('RescaleSlope', 1)) + float(ds.get('RescaleIntercept', 0))
                a = a.reshape((frames, ds.Rows, ds.Columns, spp))   # (z, y, x, c)
                a = np.transpose(a, (3, 0, 1, 2))                    # (c, z, y, x)
                np.ascontiguousarray(a, dtype='<f4').tofile(sys.argv[2])
                """, file.toString(), raw.toString(), ybrToRgb ? "True" : "False");
        return readFloats(raw);
    }

    /** A file of little endian float32 values (as numpy's tofile writes them with dtype '<f4'). */
    static float[] readFloats(Path f32) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f32)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
