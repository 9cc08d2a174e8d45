package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yax.batch.html.HtmlReport;

/**
 * The HTML report of a real run (a 5-slice CT series with ground truth, an MR slice with its DICOM window, a colour
 * DICOM, a truncated file): self-contained, its thumbnails decode (ImageIO), and Debian's Chromium, headless, renders
 * every thumbnail where it belongs, pixel for pixel as encoded.
 */
class HtmlReportTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void theReportPageIsSelfContainedAndChromiumShowsEveryThumbnail() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path ref = Files.createDirectories(tmp.resolve("ref/phantom-ct"));
        Files.createDirectories(in.resolve("phantom-ct"));
        for (int i = 1; i <= 5; i++) {
            String name = String.format("IM%04d.dcm", i);
            Files.copy(SampleData.archive("dicom/phantom-ct/" + name), in.resolve("phantom-ct/" + name));
            Files.copy(SampleData.root().resolve("ground-truth/dicom/phantom-ct/" + name), ref.resolve(name));
        }
        Files.copy(SampleData.archive("dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        Files.copy(SampleData.root().resolve("pydicom-test-files/SC_rgb_rle.dcm"), in.resolve("SC_rgb_rle.dcm"));
        Files.copy(SampleData.root().resolve("pydicom-test-files/MR_truncated.dcm"), in.resolve("MR_truncated.dcm"));
        Path json = tmp.resolve("reports/report.json");
        Files.createDirectories(json.getParent());

        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                tmp.resolve("out").toString(), "--method", "tv", "--reference", tmp.resolve("ref").toString(),
                "--report", json.toString());

        assertEquals(Yax.EXIT_PARTIAL, o.exit(), o.err()); // the truncated file fails, the rest is done
        Path html = json.resolveSibling("report.html");
        assertTrue(o.err().contains("report: " + json + ", " + html), o.err());
        assertFalse(Files.readString(json).contains("pictures"), "thumbnails belong in the HTML page only");
        String page = Files.readString(html);
        for (String external : new String[] {"<script", "<link", "url(", "http:", "https:", "@import", "@font-face"}) {
            assertFalse(page.contains(external), "the page must not load anything: found " + external);
        }
        assertEquals(countOf(page, "<img "), countOf(page, "src=\"data:image/png;base64,"), "every image inline");
        List<BufferedImage> thumbnails = thumbnails(page);
        // series: middle slice + reformatted plane; MR and the colour file: one view each; 3 thumbnails a view
        assertEquals(3 * 4, thumbnails.size());
        String series = card(page, "phantom-ct");
        assertTrue(series.contains("middle slice (3 of 5)") && series.contains("reformatted"), "series views");
        assertTrue(series.contains("PSNR dB"), "the series has ground truth: PSNR/SSIM shown");
        List<BufferedImage> ct = thumbnails(series);
        assertEquals(6, ct.size());
        assertFalse(isColour(ct.get(0)), "a CT slice shows grey");
        assertNotEquals(0, difference(ct.get(0), ct.get(1)), "the denoised output differs from the input");
        assertTrue(ct.get(3).getWidth() > 2 * ct.get(3).getHeight(), "5 slices 3 mm apart: a flat reformatted plane");
        assertTrue(card(page, "MR_small.dcm").contains("DICOM window 600/1600"), "MR_small's own window maps it");
        assertTrue(isColour(thumbnails(card(page, "SC_rgb_rle.dcm")).get(0)), "a colour DICOM stays colour");
        String failed = card(page, "MR_truncated.dcm");
        assertTrue(failed.contains("class=\"item failed\"") && failed.contains("truncated"), failed);

        BufferedImage shot = screenshot(html, 1000, 2600);
        assertTrue(nonWhiteFraction(shot) > 0.05, "the screenshot is (nearly) blank");
        List<int[]> frames = frames(shot);
        assertEquals(thumbnails.size(), frames.size(), "framed thumbnails in the screenshot");
        for (int i = 0; i < frames.size(); i++) {
            int[] f = frames.get(i); // document order: top to bottom, left to right
            BufferedImage t = thumbnails.get(i);
            assertEquals(t.getWidth() + 2, f[2], "frame " + i + " width");
            assertEquals(t.getHeight() + 2, f[3], "frame " + i + " height");
            for (int y = 0; y < t.getHeight(); y++) {
                for (int x = 0; x < t.getWidth(); x++) {
                    int a = rgb(t, x, y);
                    int b = shot.getRGB(f[0] + 1 + x, f[1] + 1 + y);
                    if (channelGap(a, b) > 2) {
                        fail("thumbnail " + i + " at (" + x + ", " + y + "): encoded " + Integer.toHexString(a)
                                + ", rendered " + Integer.toHexString(b));
                    }
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void noHtmlMakesNoPageAndAnHtmlReportNeedsIt() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SampleData.archive("dicom/MR_small.dcm"), in.resolve("MR_small.dcm"));
        Path csv = tmp.resolve("r.csv");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                tmp.resolve("out").toString(), "--method", "tv", "--report", csv.toString(), "--no-html");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertTrue(Files.isRegularFile(csv));
        assertFalse(Files.exists(tmp.resolve("r.html")), "--no-html writes no page");

        Path page = tmp.resolve("only.html");
        o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o", tmp.resolve("out2").toString(),
                "--method", "tv", "--report", page.toString());
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertEquals(3, countOf(Files.readString(page), "src=\"data:image/png;base64,"), "--report FILE.html alone");

        o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o", tmp.resolve("out3").toString(),
                "--report", page.toString(), "--no-html");
        assertEquals(Yax.EXIT_USAGE, o.exit(), o.err());
    }

    /** `--axes z`: the through-plane series path shows its views as the in-plane one does, thin slices beside thick. */
    @Test
    @Timeout(300)
    void aThroughPlaneSeriesShowsItsThinSlicesBesideTheThickOnes() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/phantom-ct"));
        for (int i = 1; i <= 5; i++) {
            String name = String.format("IM%04d.dcm", i);
            Files.copy(SampleData.archive("dicom/phantom-ct/" + name), in.resolve(name));
        }
        Path json = tmp.resolve("r.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.getParent().toString(), "-o",
                tmp.resolve("out").toString(), "--task", "sr", "--axes", "z", "--scale", "3", "--method", "cubic",
                "--report", json.toString());
        assertEquals(0, o.exit(), o.err());
        String series = card(Files.readString(tmp.resolve("r.html")), "phantom-ct");
        assertTrue(series.contains("middle slice (3 of 5; output 8 of 15)") && series.contains("reformatted"),
                "series views: " + series);
        List<BufferedImage> t = thumbnails(series);
        assertEquals(6, t.size(), "input, output and difference of two views");
        assertEquals(t.get(3).getHeight(), t.get(4).getHeight(), "thin and thick slices in one physical box");
        assertTrue(t.get(3).getWidth() > 2 * t.get(3).getHeight(), "5 slices 3 mm apart: a flat reformatted plane");
        assertNotEquals(0, difference(t.get(3), t.get(4)), "cubic thin slices smooth the thick slices' staircase");
    }

    /** The report card (one {@code <section class="item ...">}) whose heading names {@code input}. */
    private static String card(String page, String input) {
        for (String section : page.split("<section class=\"item ")) {
            int heading = section.indexOf("</h2>");
            if (heading > 0 && section.substring(0, heading).contains(input)) {
                return "<section class=\"item " + section;
            }
        }
        return fail("no card for " + input);
    }

    /** The PNG data URIs of a page or card, decoded by ImageIO, in document order. */
    private static List<BufferedImage> thumbnails(String html) throws IOException {
        List<BufferedImage> found = new ArrayList<>();
        Matcher m = DATA_URI.matcher(html);
        while (m.find()) {
            BufferedImage t = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(t, "a thumbnail that ImageIO cannot decode");
            found.add(t);
        }
        return found;
    }

    /** Debian's chromium, headless, at device scale 1 in sRGB: the page's top {@code width x height} pixels. */
    static BufferedImage screenshot(Path html, int width, int height) throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            fail("Debian's chromium is not installed (scripts/setup.sh installs it): the HTML report test needs it");
        }
        Path shot = html.resolveSibling("screenshot.png");
        SampleData.Run r = SampleData.run(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--force-color-profile=srgb", "--force-device-scale-factor=1", "--hide-scrollbars",
                "--user-data-dir=" + html.resolveSibling("chromium-profile"), "--window-size=" + width + "," + height,
                "--screenshot=" + shot, html.toUri().toString());
        assertTrue(Files.isRegularFile(shot), "chromium wrote no screenshot: " + r.out());
        return ImageIO.read(shot.toFile());
    }

    /**
     * The thumbnails' frames (1 px of {@link HtmlReport#FRAME_RGB}) found in the screenshot: {x, y, width, height}
     * each, in reading order; a frame is a top-left corner with a run of frame colour right and down, closed.
     */
    static List<int[]> frames(BufferedImage shot) {
        List<int[]> found = new ArrayList<>();
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                if (!frame(shot, x, y) || x > 0 && frame(shot, x - 1, y) || y > 0 && frame(shot, x, y - 1)) {
                    continue;
                }
                int w = 0;
                while (x + w < shot.getWidth() && frame(shot, x + w, y)) {
                    w++;
                }
                int h = 0;
                while (y + h < shot.getHeight() && frame(shot, x, y + h)) {
                    h++;
                }
                if (w >= 8 && h >= 8 && frame(shot, x + w - 1, y + h - 1)) {
                    found.add(new int[] {x, y, w, h});
                }
            }
        }
        return found;
    }

    private static boolean frame(BufferedImage img, int x, int y) {
        return (img.getRGB(x, y) & 0xffffff) == HtmlReport.FRAME_RGB;
    }

    private static boolean isColour(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = rgb(img, x, y);
                if (((p >> 16) & 0xff) != ((p >> 8) & 0xff) || ((p >> 8) & 0xff) != (p & 0xff)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long difference(BufferedImage a, BufferedImage b) {
        long d = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                d += channelGap(rgb(a, x, y), rgb(b, x, y));
            }
        }
        return d;
    }

    /** A pixel as 0xRRGGBB; a grey PNG's sample as it is stored (getRGB would convert it from linear grey). */
    private static int rgb(BufferedImage img, int x, int y) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int g = img.getRaster().getSample(x, y, 0);
            return g << 16 | g << 8 | g;
        }
        return img.getRGB(x, y) & 0xffffff;
    }

    private static int channelGap(int a, int b) {
        int gap = 0;
        for (int s = 0; s <= 16; s += 8) {
            gap = Math.max(gap, Math.abs(((a >> s) & 0xff) - ((b >> s) & 0xff)));
        }
        return gap;
    }

    private static double nonWhiteFraction(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        return (double) n / ((long) img.getWidth() * img.getHeight());
    }

    private static int countOf(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
