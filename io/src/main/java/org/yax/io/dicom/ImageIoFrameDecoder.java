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
 *
 * <p>RGB-labelled lossy JPEG is the exception: the JDK's reader (as PixelMed uses it) takes a 3-component stream
 * without JFIF/Adobe markers for YCbCr and converts it, up to 255 off. Its components are taken as coded instead
 * (readRaster: no colour conversion), unless an Adobe APP14 marker's transform flag says YCbCr: pydicom's rule
 * with Pillow (pillow_handler decodes such a stream in mode YCbCr, i.e. unconverted, when Pillow found no
 * adobe_transform), which is also what dcmtk's dcmdjpeg gives.
 */
final class ImageIoFrameDecoder implements FrameCodec {
    /** Codec providers by ImageIO format name; a provider is stateless, its readers are not (one per file). */
    private static final Map<String, ImageReaderSpi> PROVIDERS = new ConcurrentHashMap<>();

    private final ImageReaderSpi provider;
    private final boolean toRgb;
    private final boolean rgbAsCoded;

    private ImageIoFrameDecoder(ImageReaderSpi provider, boolean toRgb, boolean rgbAsCoded) {
        this.provider = provider;
        this.toRgb = toRgb;
        this.rgbAsCoded = rgbAsCoded;
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
     *
     * @param rgbLossyJpeg whether the frames are JPEG baseline/extended labelled RGB (see the class comment)
     */
    static ImageIoFrameDecoder forTransferSyntax(String tsUid, int bitsAllocated, boolean rgbLossyJpeg) {
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
        return provider == null ? null : new ImageIoFrameDecoder(provider, toRgb, rgbLossyJpeg && format.equals("JPEG"));
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
                return ImageIoFrameDecoder.decode(reader, frame, rows, columns, samples,
                        rgbAsCoded && samples == 3 && adobeTransform(frame) != 1);
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
    private static Object decode(ImageReader reader, byte[] frame, int rows, int columns, int samples, boolean asCoded)
            throws IOException {
        Raster raster;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
            reader.setInput(in, true, true); // as PixelMed does; the next frame's setInput replaces it
            if (asCoded) {
                raster = reader.readRaster(0, null);
            } else {
                BufferedImage image = reader.read(0);
                raster = image == null ? null : image.getRaster();
            }
        }
        if (raster == null || raster.getWidth() != columns || raster.getHeight() != rows
                || raster.getNumDataElements() != samples) {
            return null;
        }
        return switch (raster.getTransferType()) {
            case DataBuffer.TYPE_BYTE -> interleavedBytes(raster, rows, columns, samples);
            case DataBuffer.TYPE_SHORT, DataBuffer.TYPE_USHORT -> raster.getDataElements(0, 0, columns, rows, null);
            default -> null;
        };
    }

    /**
     * The transform flag of the JPEG stream's Adobe APP14 marker (0 as coded, 1 YCbCr, 2 YCCK), or -1 when the
     * stream has none before its first scan or the segment is too short to hold one (Pillow's test: the flag is
     * the segment's 12th data byte).
     */
    static int adobeTransform(byte[] jpeg) {
        int at = 2; // after SOI
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                at++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image: no more header segments
                return -1;
            }
            int length = (jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF);
            int data = at + 4;
            if (marker == 0xEE && length - 2 >= 12 && data + 12 <= jpeg.length && jpeg[data] == 'A'
                    && jpeg[data + 1] == 'd' && jpeg[data + 2] == 'o' && jpeg[data + 3] == 'b' && jpeg[data + 4] == 'e') {
                return jpeg[data + 11] & 0xFF;
            }
            at += 2 + length;
        }
        return -1;
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
