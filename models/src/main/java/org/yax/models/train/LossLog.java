package org.yax.models.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.yax.io.AtomicFiles;
import org.yax.models.net.Head;

/**
 * The loss curves of a training run: one CSV row per logged step (appended, so a resumed run continues
 * the file) and a PNG plot of the per-head L1 losses, smoothed, on a log scale.
 */
final class LossLog {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728)};

    private final Path csv;
    private final Path png;

    LossLog(Path outDir) {
        this.csv = outDir.resolve("loss.csv");
        this.png = outDir.resolve("loss.png");
    }

    void append(int step, double learningRate, double[] losses, double seconds) throws IOException {
        StringBuilder line = new StringBuilder();
        if (!Files.exists(csv)) {
            line.append("step,learning_rate");
            for (Head h : Head.values()) {
                line.append(",loss_").append(h.cliName());
            }
            line.append(",seconds\n");
        }
        line.append(step).append(',').append(String.format(Locale.ROOT, "%.3g", learningRate));
        for (double l : losses) {
            line.append(',').append(String.format(Locale.ROOT, "%.6f", l));
        }
        line.append(',').append(String.format(Locale.ROOT, "%.1f", seconds)).append('\n');
        Files.writeString(csv, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Redraws the PNG from the whole CSV. */
    void plot() throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int heads = Head.values().length;
        List<double[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            double[] r = new double[heads + 1];
            r[0] = Double.parseDouble(f[0]);
            for (int h = 0; h < heads; h++) {
                r[h + 1] = Double.parseDouble(f[2 + h]);
            }
            rows.add(r);
        }
        if (rows.size() < 2) {
            return;
        }
        int width = 800;
        int height = 480;
        int left = 70;
        int bottom = 50;
        int top = 30;
        int right = 150;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double maxStep = rows.get(rows.size() - 1)[0];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] r : rows) {
            for (int h = 1; h <= heads; h++) {
                if (r[h] > 0) {
                    lo = Math.min(lo, r[h]);
                    hi = Math.max(hi, r[h]);
                }
            }
        }
        double logLo = Math.log10(lo);
        double logHi = Math.log10(hi) + 1e-9;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, width - left - right, height - top - bottom);
        g.drawString("step", (width - right) / 2, height - 12);
        g.drawString("L1 loss (log)", 5, top - 10);
        g.drawString(String.format(Locale.ROOT, "%.3g", hi), 5, top + 10);
        g.drawString(String.format(Locale.ROOT, "%.3g", lo), 5, height - bottom);
        g.drawString(String.format(Locale.ROOT, "%.0f", maxStep), width - right - 40, height - bottom + 15);
        for (int h = 1; h <= heads; h++) {
            g.setColor(COLORS[(h - 1) % COLORS.length]);
            g.setStroke(new BasicStroke(1.5f));
            double smooth = rows.get(0)[h];
            int px = -1;
            int py = -1;
            for (double[] r : rows) {
                smooth = 0.9 * smooth + 0.1 * r[h];
                int x = left + (int) ((width - left - right) * r[0] / Math.max(1, maxStep));
                int y = top + (int) ((height - top - bottom) * (logHi - Math.log10(Math.max(smooth, lo))) / (logHi - logLo));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(Head.values()[h - 1].cliName(), width - right + 10, top + 20 * h);
        }
        g.dispose();
        AtomicFiles.write(png, tmp -> ImageIO.write(img, "png", tmp.toFile()));
    }
}
