package org.yax.batch;

import com.google.gson.ExclusionStrategy;
import com.google.gson.FieldAttributes;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yax.batch.html.HtmlReport;
import org.yax.batch.html.ItemPictures;
import org.yax.io.AtomicFiles;

/**
 * The per-item report of a batch run, as JSON, CSV or a self-contained HTML page with thumbnails (chosen by the file's
 * extension); {@link #write(Path, boolean)} also writes the HTML page beside a JSON or CSV report.
 */
public final class Report {
    private static final String[] COLUMNS = {"input", "output", "format", "status", "reason", "task", "method",
        "scale", "sigma", "iterations", "seconds_read", "seconds_solve", "seconds_write", "seconds_total",
        "psnr_before", "psnr_after", "ssim_before", "ssim_after", "series", "slices", "reconstruction"};

    /** Thumbnails are pictures, for the HTML page; the JSON rows stay the numbers and words. */
    private static final ExclusionStrategy PICTURES_ONLY_IN_HTML = new ExclusionStrategy() {
        @Override public boolean shouldSkipField(FieldAttributes f) {
            return f.getDeclaredClass() == ItemPictures.class;
        }

        @Override public boolean shouldSkipClass(Class<?> c) {
            return false;
        }
    };

    private final List<ItemResult> items;
    private final double seconds;

    public Report(List<ItemResult> items, double seconds) {
        this.items = items;
        this.seconds = seconds;
    }

    public long count(ItemResult.Status status) {
        return items.stream().filter(i -> i.status == status).count();
    }

    /** e.g. "12 done, 1 failed, 2 skipped in 34.1 s" (a dry run starts with "N planned, "). */
    public String summary() {
        long planned = count(ItemResult.Status.planned);
        return String.format(Locale.ROOT, "%s%d done, %d failed, %d skipped in %.1f s",
                planned > 0 ? planned + " planned, " : "",
                count(ItemResult.Status.done), count(ItemResult.Status.failed), count(ItemResult.Status.skipped),
                seconds);
    }

    /** Items not started (or stopped) because the run was interrupted. */
    public long interrupted() {
        return items.stream().filter(i -> i.status == ItemResult.Status.skipped
                && BatchRun.INTERRUPTED.equals(i.reason)).count();
    }

    /** Whether a report file name asks for CSV (else JSON or HTML). */
    public static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /** Whether a report file name asks for the HTML page. */
    public static boolean isHtml(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".html");
    }

    public static boolean isSupported(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".csv") || n.endsWith(".json") || n.endsWith(".html");
    }

    /** Where the HTML page goes beside a JSON or CSV report: the same name with .html (report.json: report.html). */
    public static Path htmlBeside(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".html");
    }

    /** Writes the report in the format its name asks for. */
    public void write(Path file) throws IOException {
        String text = isHtml(file) ? html() : isCsv(file) ? csv() : json();
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Writes the report and, when {@code html} and it is JSON or CSV, the HTML page {@link #htmlBeside} it.
     *
     * @return the files written
     */
    public List<Path> write(Path file, boolean html) throws IOException {
        write(file);
        if (!html || isHtml(file)) {
            return List.of(file);
        }
        Path page = htmlBeside(file);
        write(page);
        return List.of(file, page);
    }

    String html() {
        return HtmlReport.render(items, summary(), seconds);
    }

    /** Seconds spent making thumbnails, summed over the rows (0 when none were made). */
    public double thumbnailSeconds() {
        return items.stream().filter(i -> i.pictures != null).mapToDouble(i -> i.pictures.seconds()).sum();
    }

    String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("done", count(ItemResult.Status.done));
        summary.put("failed", count(ItemResult.Status.failed));
        summary.put("skipped", count(ItemResult.Status.skipped));
        if (count(ItemResult.Status.planned) > 0) {
            summary.put("planned", count(ItemResult.Status.planned));
        }
        summary.put("interrupted", interrupted());
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        if (items.stream().anyMatch(i -> i.pictures != null)) {
            summary.put("seconds_thumbnails", Math.round(thumbnailSeconds() * 1000) / 1000.0);
        }
        doc.put("summary", summary);
        doc.put("items", items);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .setExclusionStrategies(PICTURES_ONLY_IN_HTML).create().toJson(doc) + "\n";
    }

    String csv() {
        // a cluster job's rows say where and in which attempt they ran: two more columns, only then
        boolean cluster = items.stream().anyMatch(r -> r.host != null || r.attempt != null);
        StringBuilder s = new StringBuilder(String.join(",", COLUMNS)).append(cluster ? ",host,attempt" : "")
                .append('\n');
        for (ItemResult r : items) {
            Object[] v = {r.input, r.output, r.format, r.status, r.reason, r.task, r.method, r.scale, r.sigma,
                r.iterations, r.secondsRead, r.secondsSolve, r.secondsWrite, r.secondsTotal, r.psnrBefore,
                r.psnrAfter, r.ssimBefore, r.ssimAfter, r.series, r.slices, r.reconstruction};
            if (cluster) {
                v = java.util.Arrays.copyOf(v, v.length + 2);
                v[v.length - 2] = r.host;
                v[v.length - 1] = r.attempt;
            }
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append(cell(v[i]));
            }
            s.append('\n');
        }
        s.append("# ").append(summary()).append('\n');
        return s.toString();
    }

    private static String cell(Object o) {
        if (o == null) {
            return "";
        }
        String t = o.toString();
        return t.contains(",") || t.contains("\"") || t.contains("\n") ? '"' + t.replace("\"", "\"\"") + '"' : t;
    }
}
