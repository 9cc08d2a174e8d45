package org.yax.batch.html;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** What the encoder writes, ImageIO's PNG reader (an independent decoder) reads back sample for sample. */
class PngEncoderTest {
    @Test
    void greyAndRgbReadBackExactly() throws Exception {
        Random random = new Random(7);
        for (int channels : new int[] {1, 3}) {
            int w = 37;
            int h = 23;
            byte[] samples = new byte[w * h * channels];
            for (int i = 0; i < samples.length; i++) {
                // half noise, half gradient: every filter type wins somewhere
                samples[i] = (byte) (i < samples.length / 2 ? random.nextInt(256) : (i / channels) % w * 7);
            }
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(w, h, channels, samples)));
            assertEquals(w, img.getWidth());
            assertEquals(h, img.getHeight());
            assertEquals(channels, img.getRaster().getNumBands());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < channels; c++) {
                        assertEquals(samples[(y * w + x) * channels + c] & 0xff, img.getRaster().getSample(x, y, c),
                                "sample (" + x + ", " + y + ", " + c + ") of " + channels + " channels");
                    }
                }
            }
        }
    }
}
