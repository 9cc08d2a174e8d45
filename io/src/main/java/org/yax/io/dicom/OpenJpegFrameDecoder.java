package org.yax.io.dicom;

import com.pixelmed.dicom.TransferSyntax;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.io.gdal.GdalRuntime;

/**
 * Decodes JPEG 2000 frames (transfer syntaxes .90/.91) with OpenJPEG through GDAL's JP2OpenJPEG driver, the
 * library pydicom's Pillow route uses too: several times faster than jai-imageio's JJ2000 on small frames, and it
 * reads codestreams whose tile-part headers under-count their tile-parts (GDCM's, see Jpeg2000TileParts), which
 * JJ2000 silently decodes wrong. Each frame is handed to GDAL as an in-memory file under a name unique to the call,
 * opened, read and deleted on the calling thread, so concurrent reads share nothing.
 *
 * <p>OpenJPEG applies the codestream's colour transform (YBR_RCT/YBR_ICT to RGB) itself. Components reach the
 * caller as stored: unsigned up to 8 bits as bytes; up to 16 bits as 16-bit words, signed ones sign-extended;
 * the DICOM pixel decoder then keeps BitsStored bits and applies PixelRepresentation, as for the other codecs
 * (an unsigned codestream in a file that says signed, as J2K_pixelrep_mismatch.dcm, reads as pydicom reads it;
 * a signed codestream in a file that says unsigned keeps its two's complement bits, where pydicom 2.3 adds
 * 2^(precision-1): no sample file has that mismatch).
 * A frame this class does not take (signed 8-bit components, which GDAL 3.6 clamps to 0-255; more than 16 bits;
 * subsampled components; a component count other than SamplesPerPixel; GDAL cannot open it) is left to JJ2000.
 */
final class OpenJpegFrameDecoder implements FrameCodec {
    static final String DRIVER = "JP2OpenJPEG";
    static final String DESCRIPTION = "GDAL " + DRIVER + " (OpenJPEG)";
    private static final AtomicLong NEXT_NAME = new AtomicLong();
    /** Why GDAL's OpenJPEG driver cannot be used (null when it can), decided once per JVM. */
    private static volatile String problem;
    private static volatile boolean checked;

    private final int bitsAllocated;

    private OpenJpegFrameDecoder(int bitsAllocated) {
        this.bitsAllocated = bitsAllocated;
    }

    /**
     * The decoder for {@code tsUid} with {@code bitsAllocated}-bit samples, or null when the transfer syntax is not
     * JPEG 2000, the samples are not 8 or 16 bits, or GDAL or its JP2OpenJPEG driver is missing (the caller then
     * keeps the JJ2000 path).
     */
    static OpenJpegFrameDecoder forTransferSyntax(String tsUid, int bitsAllocated) {
        if (!tsUid.equals(TransferSyntax.JPEG2000) && !tsUid.equals(TransferSyntax.JPEG2000Lossless)) {
            return null;
        }
        if ((bitsAllocated != 8 && bitsAllocated != 16) || unavailable() != null) {
            return null;
        }
        return new OpenJpegFrameDecoder(bitsAllocated);
    }

    /** Null when GDAL and its JP2OpenJPEG driver are there, else why not (one line). */
    static String unavailable() {
        if (!checked) {
            synchronized (OpenJpegFrameDecoder.class) {
                if (!checked) {
                    String why = GdalRuntime.problem();
                    if (why == null && gdal.GetDriverByName(DRIVER) == null) {
                        why = "GDAL " + gdal.VersionInfo("RELEASE_NAME") + " has no " + DRIVER + " driver";
                    }
                    problem = why;
                    checked = true;
                }
            }
        }
        return problem;
    }

    @Override
    public String describe() {
        return DESCRIPTION;
    }

    @Override
    public boolean convertsToRgb() {
        return true;
    }

    @Override
    public Frames open() {
        return new Frames() {
            @Override
            public Object decode(byte[] frame, int rows, int columns, int samples) {
                return OpenJpegFrameDecoder.this.decode(frame, rows, columns, samples);
            }

            @Override
            public void close() {
                // nothing is kept between frames
            }
        };
    }

    /** One frame, or null when this class does not take it (see the class comment). */
    private Object decode(byte[] frame, int rows, int columns, int samples) {
        Jpeg2000Siz siz = Jpeg2000Siz.of(frame);
        if (siz == null || siz.precision().length != samples || siz.width() != columns || siz.height() != rows
                || siz.subsampled() || siz.maxPrecision() > 16 || (siz.anySigned() && siz.maxPrecision() <= 8)) {
            return null;
        }
        boolean bytes = bitsAllocated == 8;
        if (bytes && (siz.maxPrecision() > 8 || siz.anySigned())) {
            return null;
        }
        // what GDAL hands over for these components, and the buffer type that keeps their values as stored
        int expected = siz.maxPrecision() <= 8 ? gdalconst.GDT_Byte : siz.anySigned() ? gdalconst.GDT_Int16 : gdalconst.GDT_UInt16;
        int bufferType = bytes ? gdalconst.GDT_Byte : siz.anySigned() ? gdalconst.GDT_Int16 : gdalconst.GDT_UInt16;
        String name = "/vsimem/yax-dicom-j2k-" + NEXT_NAME.incrementAndGet() + ".j2k";
        GdalRuntime.pushQuiet();
        // no pool of ALL_CPUS threads per frame (callers read files in parallel). GDAL 3.6 still hands OpenJPEG one
        // worker thread per frame unless the environment has OPJ_NUM_THREADS=0 (read with getenv, so not settable
        // here): then it decodes on this thread, ~25% less CPU for a 64 x 64 frame (thread start and hand-over)
        String threads = gdal.GetConfigOption("GDAL_NUM_THREADS");
        if (threads == null) {
            gdal.SetThreadLocalConfigOption("GDAL_NUM_THREADS", "1");
        }
        gdal.FileFromMemBuffer(name, frame);
        try {
            Vector<String> drivers = new Vector<>();
            drivers.add(DRIVER);
            Dataset ds = gdal.OpenEx(name, gdalconst.OF_RASTER | gdalconst.OF_READONLY, drivers);
            if (ds == null) {
                return null;
            }
            try {
                if (ds.getRasterXSize() != columns || ds.getRasterYSize() != rows || ds.getRasterCount() != samples) {
                    return null;
                }
                int[] bands = new int[samples];
                for (int b = 0; b < samples; b++) {
                    if (ds.GetRasterBand(b + 1).getDataType() != expected) {
                        return null;
                    }
                    bands[b] = b + 1;
                }
                int size = bytes ? 1 : 2;
                int count = rows * columns * samples;
                // interleaved by pixel (spacings in bytes), as DICOM's PlanarConfiguration 0
                int pixel = samples * size;
                int line = columns * pixel;
                if (bytes) {
                    byte[] out = new byte[count];
                    return ds.ReadRaster(0, 0, columns, rows, columns, rows, bufferType, out, bands, pixel, line, size)
                            == gdalconst.CE_None ? out : null;
                }
                short[] out = new short[count];
                return ds.ReadRaster(0, 0, columns, rows, columns, rows, bufferType, out, bands, pixel, line, size)
                        == gdalconst.CE_None ? out : null;
            } finally {
                ds.delete();
            }
        } finally {
            gdal.Unlink(name);
            if (threads == null) {
                gdal.SetThreadLocalConfigOption("GDAL_NUM_THREADS", null);
            }
            GdalRuntime.popQuiet();
        }
    }
}
