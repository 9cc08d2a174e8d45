package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yax macro}: a real headless ImageJ 1 (ij1-patcher, child JVM) running macros with the yax commands. */
class MacroCommandTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) { }

    private Result macro(String text, String... extra) throws Exception {
        return macro(240, text, extra); // never hang the build
    }

    private Result macro(long timeoutSeconds, String text, String... extra) throws Exception {
        Path file = tmp.resolve("test.ijm");
        Files.writeString(file, text);
        String[] args = new String[3 + extra.length];
        args[0] = "macro";
        args[1] = "--timeout=" + timeoutSeconds;
        args[2] = file.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Yax.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String quote(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void opensDenoisesAndSavesADicomFileFromAMacro() throws Exception {
        Path ct = SampleData.archive("dicom/CT_small.dcm");
        Path out = tmp.resolve("CT_small-denoised.dcm");
        Result r = macro("""
                arg = getArgument();
                print("argument " + arg);
                run("Open DICOM...", "path=[%s]");
                run("Denoise", "sigma=auto method=tv");
                print("result " + getTitle() + " " + getWidth() + "x" + getHeight() + " " + bitDepth());
                run("Save as DICOM...", "path=[" + arg + "]");
                """.formatted(quote(ct)), out.toString());
        assertEquals(Yax.EXIT_OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("argument " + out), r.out());
        assertTrue(r.out().contains("result CT_small-denoised 128x128 32"), r.out());
        assertFalse(r.out().contains("yax-macro-finished"), "the end marker is not shown: " + r.out());
        assertTrue(Files.isRegularFile(out), r.out() + r.err());
        SampleData.Run dump = SampleData.run("dcmdump", "-q", "+P", "0008,2111", out.toString());
        assertEquals(0, dump.exitCode(), dump.out());
        assertTrue(dump.out().contains("tv"), "DerivationDescription records the method: " + dump.out());
    }

    @Test
    void aBadPathFailsWithTheReason() throws Exception {
        Path missing = tmp.resolve("no-such.dcm");
        Result r = macro("""
                run("Open DICOM...", "path=[%s]");
                print("still running");
                """.formatted(quote(missing)));
        assertEquals(Yax.EXIT_FATAL, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("still running"), r.out());
        assertTrue((r.out() + r.err()).contains(missing + ": no such file"), r.out() + r.err());
        assertTrue(r.err().contains("yax: macro " + tmp.resolve("test.ijm") + ": "), r.err());
    }

    @Test
    void aSyntaxErrorFails() throws Exception {
        Result r = macro("""
                print("before");
                x = ;
                print("after");
                """);
        assertEquals(Yax.EXIT_FATAL, r.exit(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("Macro Error"), r.out() + r.err());
        assertFalse(r.out().contains("after"), r.out());
    }

    @Test
    void anUnknownCommandFailsEvenThoughImageJGoesOn() throws Exception {
        Result r = macro("run(\"No Such Command\");\nprint(\"went on\");\n");
        assertEquals(Yax.EXIT_FATAL, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("Unrecognized command: \"No Such Command\""), r.err());
    }

    @Test
    void aMacroThatOutlivesTheTimeoutIsStoppedAndFails() throws Exception {
        long t0 = System.nanoTime();
        Result r = macro(3, "print(\"waiting\");\nwait(120000);\n");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(Yax.EXIT_FATAL, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("stopped after the --timeout of 3 s"), r.err());
        assertTrue(seconds < 60, "took " + seconds + " s");
    }

    @Test
    void aMissingMacroFileIsAUsageError() throws Exception {
        Result r = macro("", "x");
        assertEquals(Yax.EXIT_OK, macro("print(\"ok\");\n").exit());
        assertEquals(Yax.EXIT_USAGE, Yax.run("macro", tmp.resolve("nope.ijm").toString()));
        assertEquals(Yax.EXIT_OK, r.exit(), "an empty macro runs to its end: " + r.err());
    }
}
