package org.yax.io.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedShortAttribute;
import com.pixelmed.dicom.DicomInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/** Reads one DICOM file (single- or multi-frame) into float modality values with PixelMed. */
final class DicomReader {
    /** Files up to this size are read into memory once (larger ones are parsed from disk, keeping peak memory low). */
    private static final long IN_MEMORY_BYTES = 64L << 20;

    /** Colour spaces PixelMed relabels RGB after a codec that converts colour (its getDecompressedPhotometricInterpretation). */
    private static final java.util.Set<String> CONVERTED_TO_RGB = java.util.Set.of("YBR_FULL_422", "YBR_FULL",
            "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_RCT", "YBR_ICT");

    /** Prefixed to a refusal's reason when the data set was read as implicit VR (see ImplicitVrDataSet). */
    static final String IMPLICIT_VR_NOTE = "data set read as implicit VR little endian although the meta header"
            + " declares explicit VR";

    private DicomReader() { }

    static Image read(Path file) throws ImageFileException {
        return read(file, true);
    }

    /**
     * @param dcmtkFallback whether a transfer syntax PixelMed cannot decode may be decompressed by dcmtk (when
     *                      installed) into a temporary file that is read instead
     */
    static Image read(Path file, boolean dcmtkFallback) throws ImageFileException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageFileException(file, "cannot read: " + e, e);
        }
        if (size == 0) {
            throw new ImageFileException(file, "empty file");
        }
        // files of usual size are read from disk once; sniffing, the meta header and the data set parse that copy
        byte[] bytes = null;
        if (size <= IN_MEMORY_BYTES) {
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ImageFileException(file, "cannot read: " + e, e);
            }
        }
        if (bytes != null ? !DicomHeaderSniffer.looksLikeDicom(bytes, bytes.length) : !DicomHeaderSniffer.looksLikeDicom(file)) {
            throw new ImageFileException(file, "not a DICOM file (no DICM marker at offset 128 and no DICOM tag at the start)");
        }
        String tsUid = bytes != null ? metaTransferSyntax(bytes) : metaTransferSyntax(file);
        // a data set in implicit VR under an explicit VR meta header (a writer bug) is read as implicit VR
        int implicitAt = bytes != null ? ImplicitVrDataSet.start(bytes, bytes.length, tsUid)
                : ImplicitVrDataSet.start(file, tsUid);
        try {
            return read(file, bytes, tsUid, implicitAt, dcmtkFallback);
        } catch (ImageFileException e) {
            throw implicitAt < 0 ? e : new ImageFileException(file, IMPLICIT_VR_NOTE + ": " + e.reason(), e);
        }
    }

    private static Image read(Path file, byte[] bytes, String tsUid, int implicitAt, boolean dcmtkFallback)
            throws ImageFileException {
        // compressed frames that ImageIO decodes: the header is parsed once from memory (null: PixelMed's path)
        AttributeList header = null;
        long afterPixelDataTag = -1;
        if (bytes != null && ImageIoFrameDecoder.mayDecode(tsUid)) {
            try {
                header = new AttributeList();
                afterPixelDataTag = readDataSet(header, file, bytes, implicitAt, TagFromName.PixelData);
            } catch (DicomException | IOException | RuntimeException e) {
                header = null; // PixelMed's full read below reports what is wrong
            }
        }
        boolean rgbLossyJpeg = isRgbLossyJpeg(file, header, tsUid, implicitAt);
        boolean jpeg2000 = tsUid.equals(TransferSyntax.JPEG2000) || tsUid.equals(TransferSyntax.JPEG2000Lossless);
        int bitsAllocated = header == null ? 0 : Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsAllocated, 0);
        if (jpeg2000 && header != null) {
            // OpenJPEG (GDAL) first; a frame it does not take goes to JJ2000 below, with JJ2000's checks
            Image image = decodeFrames(file, bytes, tsUid, implicitAt, header, afterPixelDataTag,
                    OpenJpegFrameDecoder.forTransferSyntax(tsUid, bitsAllocated));
            if (image != null) {
                return image;
            }
        }
        if (jpeg2000) {
            refuseUnderCountedTileParts(file, tsUid);
        }
        if (header != null) {
            Image image = decodeFrames(file, bytes, tsUid, implicitAt, header, afterPixelDataTag,
                    ImageIoFrameDecoder.forTransferSyntax(tsUid, bitsAllocated, rgbLossyJpeg));
            if (image != null) {
                return image;
            }
        }
        if (rgbLossyJpeg) {
            // PixelMed's JPEG codec would take the components for YCbCr and convert them (see ImageIoFrameDecoder)
            Path tool = dcmtkFallback ? DcmtkTranscoder.find("dcmdjpeg") : null;
            if (tool != null) {
                return readTranscoded(file, tsUid, tool, null);
            }
            throw new ImageFileException(file, "RGB-labelled " + describeTransferSyntax(tsUid) + " that yax's JPEG "
                    + "decoding did not take (PixelMed's codec would convert its colours as if they were YCbCr)"
                    + (dcmtkFallback ? "; dcmtk's dcmdjpeg would decode it but is not installed" : ""));
        }
        try {
            // PixelMed decompresses encapsulated pixel data best from the file itself
            return decode(file, file, tsUid, implicitAt, "PixelMed", TransferSyntax.isEncapsulated(tsUid) ? null : bytes);
        } catch (ImageFileException e) {
            if (tsUid.isEmpty() || !TransferSyntax.isEncapsulated(tsUid)) {
                throw e;
            }
            String toolName = DcmtkTranscoder.toolFor(tsUid);
            Path tool = DcmtkTranscoder.find(toolName);
            if (!dcmtkFallback || tool == null) {
                throw toolName == null || !dcmtkFallback ? e : new ImageFileException(file, e.reason()
                        + " (dcmtk's " + toolName + " would decode it but is not installed)", e);
            }
            return readTranscoded(file, tsUid, tool, e);
        }
    }

    /** Reads dcmtk's explicit little endian copy; the source still names the original file and transfer syntax. */
    private static Image readTranscoded(Path file, String tsUid, Path tool, ImageFileException pixelMedFailure)
            throws ImageFileException {
        Path temp = null;
        try {
            temp = DcmtkTranscoder.transcode(tool, file);
            return decode(file, temp, tsUid, -1, tool.getFileName().toString(), null);
        } catch (IOException e) { // ImageFileException included
            String why = e instanceof ImageFileException f ? f.reason() : e.getMessage();
            throw new ImageFileException(file, pixelMedFailure == null ? "transfer syntax " + describeTransferSyntax(tsUid)
                    + " decoded by dcmtk: " + why : pixelMedFailure.reason() + "; dcmtk fallback failed too: " + why, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * Decodes {@code readFrom} (the file itself or a transcoded copy of it) with PixelMed.
     *
     * @param tsUid      the source file's transfer syntax, kept in the DicomSource
     * @param implicitAt where {@code readFrom}'s data set starts when it is implicit VR under an explicit VR meta
     *                   header, else -1
     * @param bytes      {@code readFrom}'s content when already in memory, else null
     */
    private static Image decode(Path file, Path readFrom, String tsUid, int implicitAt, String decodedBy, byte[] bytes)
            throws ImageFileException {
        boolean transcoded = !readFrom.equals(file);
        String readTs = transcoded ? metaTransferSyntax(readFrom) : tsUid;
        AttributeList list = new AttributeList();
        NativePixelData inPlace = null;
        try {
            if (bytes != null && (readTs.equals(TransferSyntax.ImplicitVRLittleEndian)
                    || readTs.equals(TransferSyntax.ExplicitVRLittleEndian))) {
                // the header from PixelMed, the pixels straight from the bytes
                long stop = readDataSet(list, readFrom, bytes, implicitAt, TagFromName.PixelData);
                inPlace = NativePixelData.at(bytes, stop, implicitAt < 0 && readTs.equals(TransferSyntax.ExplicitVRLittleEndian));
                if (inPlace == null) {
                    list = new AttributeList();
                }
            }
            if (inPlace == null) {
                readDataSet(list, readFrom, bytes, implicitAt, null);
            }
        } catch (DicomException | IOException | RuntimeException e) {
            if (!readTs.isEmpty() && TransferSyntax.isEncapsulated(readTs)) {
                throw new ImageFileException(file, "cannot decode pixel data in transfer syntax "
                        + describeTransferSyntax(readTs) + ": " + e.getMessage(), e);
            }
            throw new ImageFileException(file, "not readable as DICOM: " + e.getMessage(), e);
        }
        if (readTs.isEmpty()) {
            readTs = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID).trim();
        }
        if (!transcoded) {
            tsUid = readTs;
        }
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (inPlace != null && inPlace.present(bytes.length) < inPlace.length()) {
            throw new ImageFileException(file, "pixel data truncated: the file holds " + inPlace.present(bytes.length)
                    + " of its " + inPlace.length() + " bytes");
        }
        if (pixelData == null && inPlace == null) {
            if (list.get(TagFromName.FloatPixelData) != null || list.get(TagFromName.DoubleFloatPixelData) != null) {
                throw new ImageFileException(file, "float pixel data is not supported yet");
            }
            String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID).trim();
            if (!sopClass.isEmpty() && !com.pixelmed.dicom.SOPClass.isImageStorage(sopClass)) {
                throw new ImageFileException(file, "no pixel data: not an image (SOP class " + sopClass + ", "
                        + com.pixelmed.dicom.SOPClassDescriptions.getDescriptionFromUID(sopClass) + ")");
            }
            if (list.get(TagFromName.Rows) == null) {
                throw new ImageFileException(file, "no pixel data and no Rows: a data set without an image");
            }
            // PixelMed logs a truncated PixelData element and returns the list without it
            throw new ImageFileException(file, "no pixel data (truncated?)");
        }
        String storedPhotometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation)
                .trim();
        boolean encapsulated = !readTs.isEmpty() && TransferSyntax.isEncapsulated(readTs);
        try {
            if (encapsulated) {
                // make Photometric/Planar attributes describe the decompressed pixels (e.g. YBR JPEG -> RGB)
                list.correctDecompressedImagePixelModule();
            }
            DicomPixelLayout layout = DicomPixelLayout.of(list);
            float[] values;
            if (!encapsulated && layout.samplesPerPixel() == 3 && layout.photometric().equals(Ybr422.PHOTOMETRIC)) {
                byte[] stored = inPlace != null ? bytes : littleEndianBytes(pixelData);
                byte[] full = Ybr422.expand(stored, inPlace != null ? inPlace.offset() : 0,
                        inPlace != null ? inPlace.length() : stored.length, layout.rows(), layout.columns(),
                        layout.frames(), layout.bitsAllocated(), layout.planarConfiguration());
                // the header describes the expanded pixels, so a derived instance is written as valid YBR_FULL
                Attribute photometric = new CodeStringAttribute(TagFromName.PhotometricInterpretation);
                photometric.addValue(Ybr422.EXPANDED_PHOTOMETRIC);
                list.put(photometric);
                layout = DicomPixelLayout.of(list);
                values = DicomPixelDecoder.decodeLittleEndian(full, 0, full.length, layout);
            } else if (!encapsulated && layout.samplesPerPixel() == 3 && layout.photometric().contains("422")) {
                throw new ImageFileException(file, "uncompressed " + layout.photometric()
                        + " (a retired chroma-subsampled colour space for native pixel data) is not supported");
            } else {
                values = inPlace != null
                        ? DicomPixelDecoder.decodeLittleEndian(bytes, inPlace.offset(), inPlace.length(), layout)
                        : DicomPixelDecoder.decode(pixelData, layout, !readTs.isEmpty() && TransferSyntax.isBigEndian(readTs));
            }
            list.remove(TagFromName.PixelData); // its values now live in the Image; halves memory
            DicomSource source = new DicomSource(file, list, layout, tsUid, storedPhotometric, decodedBy, implicitAt >= 0);
            return new Image(values, layout.samplesPerPixel(), layout.frames(), layout.rows(), layout.columns(), source);
        } catch (DicomException | IllegalArgumentException e) {
            throw new ImageFileException(file, e.getMessage(), e);
        }
    }

    /**
     * Decodes encapsulated frames from the file's bytes with {@code decoder} (OpenJPEG through GDAL, or the ImageIO
     * codec PixelMed would use, chosen once: see ImageIoFrameDecoder), and corrects the Image Pixel module as
     * PixelMed does after decompressing.
     *
     * @param header            the data set up to PixelData (not changed when null is returned)
     * @param afterPixelDataTag where the PixelData tag ends in {@code bytes}
     * @param decoder           the codec, or null (then null is returned)
     * @return the image, or null when this path does not take the file (unsupported layout, a codec error): the
     *         caller then tries the next codec or reads it with PixelMed, which decodes it or says why not
     */
    private static Image decodeFrames(Path file, byte[] bytes, String tsUid, int implicitAt, AttributeList header,
                                      long afterPixelDataTag, FrameCodec decoder) throws ImageFileException {
        int rows = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Columns, 0);
        int samples = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.SamplesPerPixel, 1);
        int frameCount = Math.max(1, Attribute.getSingleIntegerValueOrDefault(header, TagFromName.NumberOfFrames, 1));
        if (decoder == null || rows <= 0 || columns <= 0 || samples <= 0
                || (long) rows * columns * samples * frameCount > Integer.MAX_VALUE - 8) {
            return null;
        }
        EncapsulatedFrames encapsulated = EncapsulatedFrames.split(bytes, afterPixelDataTag, implicitAt < 0, frameCount);
        if (encapsulated == null) {
            return null;
        }
        java.util.List<byte[]> frames = encapsulated.frames();
        int perFrame = rows * columns * samples;
        byte[] byteSamples = null;
        short[] shortSamples = null;
        try (FrameCodec.Frames reader = decoder.open()) {
            for (int f = 0; f < frameCount; f++) {
                Object decoded = reader.decode(frames.get(f), rows, columns, samples);
                if (decoded instanceof byte[] b && shortSamples == null) {
                    byteSamples = byteSamples != null ? byteSamples : frameCount == 1 ? b : new byte[perFrame * frameCount];
                    if (frameCount > 1) {
                        System.arraycopy(b, 0, byteSamples, perFrame * f, perFrame);
                    }
                } else if (decoded instanceof short[] s && byteSamples == null) {
                    shortSamples = shortSamples != null ? shortSamples : frameCount == 1 ? s : new short[perFrame * frameCount];
                    if (frameCount > 1) {
                        System.arraycopy(s, 0, shortSamples, perFrame * f, perFrame);
                    }
                } else {
                    return null;
                }
            }
            if (encapsulated.end() < bytes.length) { // elements after PixelData (e.g. trailing padding)
                AttributeList trailing = new AttributeList();
                trailing.read(new DicomInputStream(new ByteArrayInputStream(bytes, encapsulated.end(),
                        bytes.length - encapsulated.end()), implicitAt < 0 ? tsUid : TransferSyntax.ImplicitVRLittleEndian,
                        false));
                header.putAll(trailing);
            }
        } catch (DicomException | IOException | RuntimeException e) {
            return null;
        }
        String storedPhotometric = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.PhotometricInterpretation)
                .trim();
        try {
            // PixelMed's corrections after decompressing: nested items (e.g. icons) by its own rule, then the
            // top level as it does for the codec (it saw no decompression in this header-only list)
            header.correctDecompressedImagePixelModule();
            if (samples > 1) {
                String photometric = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.PhotometricInterpretation);
                if (decoder.convertsToRgb() && CONVERTED_TO_RGB.contains(photometric)) {
                    Attribute rgb = new CodeStringAttribute(TagFromName.PhotometricInterpretation);
                    rgb.addValue("RGB");
                    header.put(rgb);
                }
                Attribute byPixel = new UnsignedShortAttribute(TagFromName.PlanarConfiguration);
                byPixel.addValue(0);
                header.put(byPixel);
            }
            DicomPixelLayout layout = DicomPixelLayout.of(header);
            Attribute pixelData;
            if (byteSamples != null) {
                pixelData = new OtherByteAttribute(TagFromName.PixelData);
                pixelData.setValues(byteSamples);
            } else {
                pixelData = new OtherWordAttribute(TagFromName.PixelData);
                pixelData.setValues(shortSamples);
            }
            float[] values = DicomPixelDecoder.decode(pixelData, layout, false);
            DicomSource source = new DicomSource(file, header, layout, tsUid, storedPhotometric, decoder.describe(),
                    implicitAt >= 0);
            return new Image(values, layout.samplesPerPixel(), layout.frames(), layout.rows(), layout.columns(), source);
        } catch (DicomException | IllegalArgumentException e) {
            throw new ImageFileException(file, e.getMessage(), e);
        }
    }

    private static void refuseUnderCountedTileParts(Path file, String tsUid) throws ImageFileException {
        String why;
        try {
            why = Jpeg2000TileParts.underCounted(file);
        } catch (IOException e) {
            throw new ImageFileException(file, "cannot read: " + e, e);
        }
        if (why != null) {
            throw new ImageFileException(file, "non-conformant " + describeTransferSyntax(tsUid) + " codestream: " + why
                    + "; the JJ2000 codec would drop the extra tile-parts and decode wrong values");
        }
    }

    /**
     * Reads the data set of {@code file} (from {@code bytes}, its content, when not null) into {@code list}, up to
     * {@code stop} (its tag read) or to the end when null. A data set in implicit VR under an explicit VR meta header
     * ({@code implicitAt}, where it starts, not -1) is read as implicit VR little endian and the meta header apart.
     *
     * @return where reading stopped in the file, -1 when it read to the end
     */
    private static long readDataSet(AttributeList list, Path file, byte[] bytes, int implicitAt, AttributeTag stop)
            throws DicomException, IOException {
        if (implicitAt < 0) {
            if (bytes == null && stop == null) {
                list.read(file.toFile());
                return -1;
            }
            if (bytes == null) {
                return list.read(file.toFile(), stop);
            }
            DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes));
            if (stop == null) {
                list.read(in);
                return -1;
            }
            return list.read(in, stop);
        }
        AttributeList meta = new AttributeList();
        try (InputStream whole = bytes != null ? new ByteArrayInputStream(bytes)
                : new BufferedInputStream(Files.newInputStream(file))) {
            meta.readOnlyMetaInformationHeader(new DicomInputStream(whole));
        }
        long stopped = -1;
        try (InputStream dataSet = bytes != null ? new ByteArrayInputStream(bytes, implicitAt, bytes.length - implicitAt)
                : new BufferedInputStream(Files.newInputStream(file))) {
            if (bytes == null) {
                dataSet.skipNBytes(implicitAt);
            }
            DicomInputStream in = new DicomInputStream(dataSet, TransferSyntax.ImplicitVRLittleEndian, false);
            if (stop == null) {
                list.read(in);
            } else {
                stopped = implicitAt + list.read(in, stop);
            }
        }
        list.putAll(meta);
        return stopped;
    }

    /** PixelData's samples as little endian bytes (PixelMed holds OW values as words in host order). */
    private static byte[] littleEndianBytes(Attribute pixelData) throws DicomException {
        return pixelData instanceof OtherWordAttribute words ? words.getByteValues(false) : pixelData.getByteValues();
    }

    /** JPEG baseline/extended whose PhotometricInterpretation is RGB (read from the header only). */
    private static boolean isRgbLossyJpeg(Path file, AttributeList parsed, String tsUid, int implicitAt) {
        if (!tsUid.equals(TransferSyntax.JPEGBaseline) && !tsUid.equals(TransferSyntax.JPEGExtended)) {
            return false;
        }
        try {
            AttributeList header = parsed;
            if (header == null) {
                header = new AttributeList();
                readDataSet(header, file, null, implicitAt, TagFromName.PixelData);
            }
            return Attribute.getSingleStringValueOrEmptyString(header, TagFromName.PhotometricInterpretation).trim()
                    .equals("RGB");
        } catch (DicomException | IOException | RuntimeException e) {
            return false; // the full read reports what is wrong
        }
    }

    /** As {@link #metaTransferSyntax(Path)}, from the file's bytes. */
    private static String metaTransferSyntax(byte[] bytes) {
        try {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(new DicomInputStream(new ByteArrayInputStream(bytes)));
            return Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID).trim();
        } catch (DicomException | IOException | RuntimeException e) {
            return "";
        }
    }

    /** The meta header's transfer syntax UID, or "" when the file has none or it cannot be read. */
    private static String metaTransferSyntax(Path file) {
        try {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(file.toFile());
            return Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID).trim();
        } catch (DicomException | IOException | RuntimeException e) {
            return "";
        }
    }

    /** "UID (name)", the name as PixelMed knows it, or from PS3.6 for the ones it does not name. */
    static String describeTransferSyntax(String uid) {
        TransferSyntax ts = new TransferSyntax(uid);
        String name = ts.isRecognized() ? ts.getDescription() : switch (uid) {
            case "1.2.840.10008.1.2.1.99" -> "Deflated Explicit VR Little Endian";
            case "1.2.840.10008.1.2.4.92" -> "JPEG 2000 Part 2 Multi-component Lossless Only";
            case "1.2.840.10008.1.2.4.93" -> "JPEG 2000 Part 2 Multi-component";
            case "1.2.840.10008.1.2.8.1" -> "Deflated Image Frame Compression";
            case "1.2.840.10008.1.2.4.201" -> "High-Throughput JPEG 2000 Lossless Only";
            case "1.2.840.10008.1.2.4.202" -> "High-Throughput JPEG 2000 with RPCL Options Lossless Only";
            case "1.2.840.10008.1.2.4.203" -> "High-Throughput JPEG 2000";
            case "1.2.840.10008.1.2.4.110" -> "JPEG XL Lossless";
            case "1.2.840.10008.1.2.4.111" -> "JPEG XL JPEG Recompression";
            case "1.2.840.10008.1.2.4.112" -> "JPEG XL";
            default -> "unknown transfer syntax";
        };
        return uid + " (" + name + ")";
    }
}
