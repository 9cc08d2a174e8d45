package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.yax.batch.Item;
import org.yax.batch.ItemResult;

class ProgressLineTest {
    private static ItemResult result(String name, ItemResult.Status status, String reason) {
        ItemResult r = ItemResult.of(new Item(Path.of(name), Path.of(name), false));
        r.status = status;
        r.reason = reason;
        r.secondsTotal = 0.5;
        return r;
    }

    @Test
    void plainLinesCarryCountsAndEtaUntilTheLastItem() {
        StringWriter text = new StringWriter();
        ProgressLine p = new ProgressLine(3, new PrintWriter(text), false);
        p.finished(result("a.dcm", ItemResult.Status.done, null));
        p.finished(result("b.txt", ItemResult.Status.skipped, "not an image"));
        p.finished(result("c.dcm", ItemResult.Status.failed, "empty file"));
        p.closed();
        String[] lines = text.toString().split("\n");
        assertTrue(lines[0].matches("\\[1/3] done    a\\.dcm \\(0\\.5 s\\), ETA \\d+:\\d\\d"), lines[0]);
        assertTrue(lines[1].startsWith("[2/3] skipped b.txt: not an image, ETA "), lines[1]);
        assertTrue(lines[2].equals("[3/3] FAILED  c.dcm: empty file"), lines[2]);
        assertFalse(text.toString().contains("\r"), "no terminal control characters in logs");
    }

    @Test
    void aTerminalGetsOneBarRedrawnInPlaceAndALinePerProblem() {
        StringWriter text = new StringWriter();
        ProgressLine p = new ProgressLine(2, new PrintWriter(text), true);
        p.finished(result("a.dcm", ItemResult.Status.done, null));
        p.finished(result("c.dcm", ItemResult.Status.failed, "empty file"));
        p.closed();
        String s = text.toString();
        assertTrue(s.contains("\r\033[K[############............] 1/2 (1 done, 0 skipped, 0 failed) ETA "), s);
        assertTrue(s.contains("FAILED  c.dcm: empty file\n"), s);
        assertTrue(s.contains("[########################] 2/2 (1 done, 0 skipped, 1 failed)"), s);
        assertFalse(s.contains("done    a.dcm"), "done items only move the bar: " + s);
    }
}
