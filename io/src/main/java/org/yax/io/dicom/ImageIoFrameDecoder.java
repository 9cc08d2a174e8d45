package org.yax.io.dicom;

import com.pixelmed.dicom.CompressedFrameDecoder;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TransferSyntax;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the compressed frames of one transfer syntax with the ImageIO codec PixelMed would pick for it, found
 * once per JVM. PixelMed's own path rescans every jar's ImageIO service files for every file it reads
 * (ImageIO.scanForPlugins) and looks its codec up again, which cost more than decoding a small JPEG; the decoding
 * itself (ImageReader.read, then the raster's samples, interleaved) is the same, so the values are identical.
 */
final class ImageIoFrameDecoder implements FrameCodec {
    /** Codec providers by ImageIO format name; a provider is stateless, its readers are not (one per file). */
    private static final Map<String, ImageReaderSpi> PROVIDERS = new ConcurrentHashMap<>();

    private final ImageReaderSpi provider;
    private final boolean toRgb;

    private ImageIoFrameDecoder(ImageReaderSpi provider, boolean toRgb) {
        this.provider = provider;
        this.toRgb = toRgb;
    }

    /** Whether {@link #forTransferSyntax} may return a decoder for {@code tsUid} (it also checks the sample size). */
    static boolean mayDecode(String tsUid) {
        return tsUid.equals(TransferSyntax.JPEGBaseline) || tsUid.equals(TransferSyntax.JPEGExtended)
                || tsUid.equals(TransferSyntax.JPEGLossless) || tsUid.equals(TransferSyntax.JPEGLosslessSV1)
                || tsUid.equals(TransferSyntax.JPEG2000) || tsUid.equals(TransferSyntax.JPEG2000Lossless);
    }

    /**
     * The decoder for {@code tsUid} with {@code bitsAllocated}-bit samples, or null when this class does not take
     * it (the caller keeps PixelMed's path): 8-bit JPEG baseline/extended (the JDK's JPEG reader has no 12-bit
     * mode), JPEG lossless (PixelMed's reader) and JPEG 2000 (jai-imageio's).
     */
    static ImageIoFrameDecoder forTransferSyntax(String tsUid, int bitsAllocated) {
        String format;
        boolean toRgb;
        if (tsUid.equals(TransferSyntax.JPEGBaseline) || tsUid.equals(TransferSyntax.JPEGExtended)) {
            if (bitsAllocated != 8) {
                return null;
            }
            format = "JPEG";
            toRgb = true;
        } else if (tsUid.equals(TransferSyntax.JPEGLossless) || tsUid.equals(TransferSyntax.JPEGLosslessSV1)) {
            format = "jpeg-lossless";
            toRgb = false; // PixelMed keeps the stored colour space: the lossless codec does not convert
        } else if (tsUid.equals(TransferSyntax.JPEG2000) || tsUid.equals(TransferSyntax.JPEG2000Lossless)) {
            format = "JPEG2000";
            toRgb = true;
        } else {
            return null;
        }
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            return null;
        }
        ImageReaderSpi provider = PROVIDERS.computeIfAbsent(format, f -> select(f, tsUid));
        return provider == null ? null : new ImageIoFrameDecoder(provider, toRgb);
    }

    /** PixelMed's choice among the installed readers for the format (null when there is none). */
    private static ImageReaderSpi select(String format, String tsUid) {
        try {
            // once per format, as PixelMed does per file: finds codecs on the context class loader (e.g. a plugin's)
            CompressedFrameDecoder.scanForCodecs();
            ImageReader reader = CompressedFrameDecoder.selectReaderFromCodecsAvailable(format, tsUid, 1);
            ImageReaderSpi spi = reader.getOriginatingProvider();
            reader.dispose();
            return spi;
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }

    /** "ImageIO " and the codec's description, for DicomSource.decodedBy. */
    @Override
    public String describe() {
        return "ImageIO " + provider.getDescription(Locale.US);
    }

    @Override
    public boolean convertsToRgb() {
        return toRgb;
    }

    /** A new reader for one file's frames (readers keep state between reads), disposed when closed. */
    @Override
    public Frames open() throws IOException {
        ImageReader reader = provider.createReaderInstance();
        return new Frames() {
            @Override
            public Object decode(byte[] frame, int rows, int columns, int samples) throws IOException {
                return ImageIoFrameDecoder.decode(reader, frame, rows, columns, samples);
            }

            @Override
            public void close() {
                reader.dispose();
            }
        };
    }

    /**
     * One frame's samples, interleaved by pixel: a byte[] or a short[] of rows * columns * samples values, or
     * null when the codec returned something else (another size, sample count or sample type).
     */
    private static Object decode(ImageReader reader, byte[] frame, int rows, int columns, int samples) throws IOException {
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
            reader.setInput(in, true, true); // as PixelMed does; the next frame's setInput replaces it
            image = reader.read(0);
        }
        if (image == null || image.getWidth() != columns || image.getHeight() != rows) {
            return null;
        }
        Raster raster = image.getRaster();
        if (raster.getNumDataElements() != samples) {
            return null;
        }
        return switch (raster.getTransferType()) {
            case DataBuffer.TYPE_BYTE -> interleavedBytes(raster, rows, columns, samples);
            case DataBuffer.TYPE_SHORT, DataBuffer.TYPE_USHORT -> raster.getDataElements(0, 0, columns, rows, null);
            default -> null;
        };
    }

    /**
     * The raster's samples as getDataElements(0, 0, columns, rows, null) gives them (band order, interleaved by
     * pixel), read straight from its byte buffer: the JPEG reader's BGR and grey rasters are the usual case, and
     * the generic per-pixel copy cost a third of decoding a small colour JPEG.
     */
    private static byte[] interleavedBytes(Raster raster, int rows, int columns, int samples) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel model) || model.getPixelStride() != samples
                || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return (byte[]) raster.getDataElements(0, 0, columns, rows, null);
        }
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        int scanline = model.getScanlineStride();
        int[] bands = model.getBandOffsets();
        for (int bank : model.getBankIndices()) {
            if (bank != 0) {
                return (byte[]) raster.getDataElements(0, 0, columns, rows, null);
            }
        }
        int rowLength = columns * samples;
        byte[] out = new byte[rows * rowLength];
        if (samples == 1) {
            for (int y = 0; y < rows; y++) {
                System.arraycopy(data, base + bands[0] + y * scanline, out, y * rowLength, columns);
            }
            return out;
        }
        for (int y = 0; y < rows; y++) {
            int from = base + y * scanline;
            int to = y * rowLength;
            for (int b = 0; b < samples; b++) {
                int at = from + bands[b];
                for (int x = b; x < rowLength; x += samples, at += samples) {
                    out[to + x] = data[at];
                }
            }
        }
        return out;
    }
}
