package org.yax.batch.html;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.yax.batch.ItemResult;

/**
 * A batch report as one self-contained HTML page (works offline: inline CSS, inline SVG, PNG data URIs; no script,
 * font or image from elsewhere): a summary with the counts and a histogram of the per-item times, then one card per
 * report row with its status or failure reason, method, sigma, timings, PSNR/SSIM where a reference exists, and its
 * thumbnails (input, output, difference) when the run made them.
 */
public final class HtmlReport {
    /**
     * The 1-pixel frame of every thumbnail: a colour grey and difference thumbnails never hold (its red and green
     * differ), so a test finds the thumbnails in a screenshot.
     */
    public static final int FRAME_RGB = 0x3d6bff;
    private static final int HISTOGRAM_BINS = 12;

    private HtmlReport() { }

    /**
     * @param summary the report's one-line summary (counts and wall time)
     * @param seconds the run's wall time
     */
    public static String render(List<ItemResult> rows, String summary, double seconds) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>yax report: ")
                .append(esc(summary)).append("</title>\n<style>").append(css()).append("</style></head>\n<body>\n");
        h.append("<h1>yax report</h1>\n<section class=\"summary\"><p class=\"line\">").append(esc(summary))
                .append("</p>\n");
        counts(h, rows);
        double thumbs = rows.stream().filter(r -> r.pictures != null).mapToDouble(r -> r.pictures.seconds()).sum();
        long withPictures = rows.stream().filter(r -> r.pictures != null).count();
        if (withPictures > 0) {
            h.append(String.format(Locale.ROOT, "<p>Thumbnails: %d rows, %.3f s of item time (%.1f%% of the run's "
                    + "%.1f s wall time).</p>\n", withPictures, thumbs, seconds > 0 ? 100 * thumbs / seconds : 0,
                    seconds));
        }
        histogram(h, rows);
        h.append("</section>\n");
        for (ItemResult r : rows) {
            card(h, r);
        }
        return h.append("</body></html>\n").toString();
    }

    private static void counts(StringBuilder h, List<ItemResult> rows) {
        h.append("<table class=\"counts\"><tr>");
        for (ItemResult.Status s : ItemResult.Status.values()) {
            long n = rows.stream().filter(r -> r.status == s).count();
            h.append("<td class=\"").append(s).append("\"><b>").append(n).append("</b> ").append(s).append("</td>");
        }
        h.append("</tr></table>\n");
    }

    /** Per-item total seconds, in equal bins from 0 to the largest, as an inline SVG bar chart. */
    private static void histogram(StringBuilder h, List<ItemResult> rows) {
        double[] times = rows.stream().filter(r -> r.secondsTotal != null && r.status != ItemResult.Status.skipped)
                .mapToDouble(r -> r.secondsTotal).toArray();
        if (times.length == 0) {
            return;
        }
        double max = 0;
        for (double t : times) {
            max = Math.max(max, t);
        }
        double bin = max > 0 ? max / HISTOGRAM_BINS : 1;
        int[] counts = new int[HISTOGRAM_BINS];
        for (double t : times) {
            counts[Math.min(HISTOGRAM_BINS - 1, (int) (t / bin))]++;
        }
        int most = 1;
        for (int c : counts) {
            most = Math.max(most, c);
        }
        int w = 36;
        int plot = 120;
        int width = 40 + HISTOGRAM_BINS * w;
        h.append("<figure class=\"histogram\"><svg width=\"").append(width)
                .append("\" height=\"").append(plot + 40).append("\" role=\"img\">");
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            int bar = Math.round((float) plot * counts[i] / most);
            int x = 30 + i * w;
            h.append("<rect x=\"").append(x + 2).append("\" y=\"").append(10 + plot - bar).append("\" width=\"")
                    .append(w - 4).append("\" height=\"").append(bar).append("\" fill=\"#6b8e23\"><title>")
                    .append(String.format(Locale.ROOT, "%.2f-%.2f s: %d", i * bin, (i + 1) * bin, counts[i]))
                    .append("</title></rect>");
            if (counts[i] > 0) {
                h.append("<text x=\"").append(x + w / 2).append("\" y=\"").append(6 + plot - bar)
                        .append("\" text-anchor=\"middle\">").append(counts[i]).append("</text>");
            }
        }
        h.append("<line x1=\"30\" y1=\"").append(10 + plot).append("\" x2=\"").append(width - 10).append("\" y2=\"")
                .append(10 + plot).append("\" stroke=\"#333\"/>");
        for (int i = 0; i <= HISTOGRAM_BINS; i += 3) {
            h.append("<text x=\"").append(30 + i * w).append("\" y=\"").append(plot + 26)
                    .append("\" text-anchor=\"middle\">").append(String.format(Locale.ROOT, "%.3g", i * bin))
                    .append("</text>");
        }
        h.append("</svg><figcaption>Per-item time (s), ").append(times.length).append(" items; bins of ")
                .append(String.format(Locale.ROOT, "%.3g", bin)).append(" s</figcaption></figure>\n");
    }

    private static void card(StringBuilder h, ItemResult r) {
        h.append("<section class=\"item ").append(r.status).append("\"><h2><span class=\"badge\">").append(r.status)
                .append("</span> ").append(esc(r.input)).append("</h2>\n");
        if (r.output != null) {
            h.append("<p class=\"out\">&rarr; ").append(esc(r.output)).append("</p>\n");
        }
        if (r.reason != null) {
            h.append("<p class=\"reason\">").append(esc(r.reason)).append("</p>\n");
        }
        h.append("<table class=\"facts\">");
        fact(h, "format", r.format);
        fact(h, "task", r.task == null ? null : r.task + (r.scale != null && r.scale > 1 ? " x" + r.scale : ""));
        fact(h, "method", r.method);
        fact(h, "sigma", r.sigma);
        fact(h, "iterations", r.iterations);
        fact(h, "series", r.series == null ? null : r.series + (r.slices != null ? " (" + r.slices + " slices)" : ""));
        fact(h, "reconstruction", r.reconstruction);
        if (r.secondsTotal != null) {
            fact(h, "seconds", String.format(Locale.ROOT, "read %s, solve %s, write %s, total %s",
                    fixed(r.secondsRead, 3), fixed(r.secondsSolve, 3), fixed(r.secondsWrite, 3),
                    fixed(r.secondsTotal, 3)));
        }
        if (r.pictures != null) {
            fact(h, "thumbnails", String.format(Locale.ROOT, "%.3f s", r.pictures.seconds()));
        }
        if (r.psnrAfter != null) {
            fact(h, "PSNR dB", fixed(r.psnrBefore, 2) + " &rarr; " + fixed(r.psnrAfter, 2));
            fact(h, "SSIM", fixed(r.ssimBefore, 4) + " &rarr; " + fixed(r.ssimAfter, 4));
        }
        if (r.host != null) {
            fact(h, "executor", r.host + (r.attempt != null ? ", attempt " + r.attempt : ""));
        }
        h.append("</table>\n");
        if (r.pictures != null) {
            if (r.pictures.note() != null) {
                h.append("<p class=\"note\">").append(esc(r.pictures.note())).append("</p>\n");
            }
            for (Panel p : r.pictures.panels()) {
                h.append("<div class=\"panel\"><p class=\"caption\">").append(esc(p.caption())).append("</p>");
                figure(h, p, p.inputPng(), "input (" + p.mapping() + ")");
                figure(h, p, p.outputPng(), "output (same mapping)");
                figure(h, p, p.differencePng(), p.difference());
                h.append("</div>\n");
            }
        }
        h.append("</section>\n");
    }

    private static void figure(StringBuilder h, Panel p, byte[] png, String caption) {
        h.append("<figure><img width=\"").append(p.width()).append("\" height=\"").append(p.height())
                .append("\" alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(esc(caption))
                .append("</figcaption></figure>");
    }

    private static void fact(StringBuilder h, String name, Object value) {
        if (value != null) {
            String v = value.toString();
            h.append("<tr><th>").append(name).append("</th><td>").append(v.contains("&rarr;") ? v : esc(v))
                    .append("</td></tr>");
        }
    }

    private static String fixed(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String css() {
        return String.format(Locale.ROOT, """
                body{font:14px/1.4 sans-serif;margin:16px;color:#222;background:#fff}
                h1{font-size:20px;margin:0 0 8px}
                h2{font-size:14px;margin:0 0 4px;word-break:break-all}
                .summary{border-bottom:2px solid #ccc;margin-bottom:12px;padding-bottom:8px}
                .counts td{padding:2px 12px 2px 0}
                .histogram text{font-size:11px;fill:#333}
                figure{display:inline-block;margin:4px 10px 4px 0;vertical-align:top;max-width:200px}
                figure.histogram{display:block;max-width:none}
                figure img{display:block;border:1px solid #%06x}
                figcaption{font-size:11px;color:#555}
                .item{border:1px solid #ddd;border-radius:4px;padding:8px;margin:0 0 10px}
                .item.failed{border-color:#c33;background:#fff6f6}
                .item.skipped{background:#f7f7f7}
                .badge{display:inline-block;padding:0 6px;border-radius:3px;background:#ddd;font-weight:normal}
                .done .badge{background:#cfe8c0}.failed .badge{background:#f4b6b6}.planned .badge{background:#d6e4f5}
                .out{margin:0;color:#555;word-break:break-all}.reason{margin:2px 0;color:#833}.note{color:#555}
                .facts th{text-align:left;font-weight:normal;color:#666;padding-right:8px}
                .facts{font-size:12px;border-collapse:collapse;margin:4px 0}
                .panel .caption{margin:4px 0 0;font-size:12px;font-weight:bold}
                """, FRAME_RGB);
    }
}
