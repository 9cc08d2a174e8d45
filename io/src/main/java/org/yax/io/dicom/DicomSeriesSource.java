package org.yax.io.dicom;

import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.SliceStack;
import org.yax.io.AtomicFiles;
import org.yax.io.ImageFileException;

/**
 * The slices of one assembled {@link DicomSeries}, each decoded exactly once: {@link #open} decodes every slice,
 * lists those that do not decode ({@link #broken()}) and keeps the decoded float pixels and each slice's header in
 * a scratch file, so memory stays bounded by a slice, not the volume. {@link #slice}, {@link #image} and
 * {@link #header} read that file and never decode again, so a solver may read a slice as often as it likes.
 *
 * <p>The scratch file ({@link AtomicFiles#TEMP_PREFIX}{@code series-*.f32} in the folder given to {@link #open}) is
 * deleted by {@link #close()} and, failing that, when the JVM exits.
 *
 * <p>When slices fail to decode, the readable ones may no longer be uniformly spaced: {@link #parts()} gives the
 * uniform stacks to reconstruct (views on the same scratch file; just this source when nothing broke). Geometry is
 * the headers' (see {@link DicomSeries}). Reads are synchronised on the scratch file: safe from several threads,
 * but serial.
 *
 * <pre>{@code
 * try (DicomSeriesSource decoded = DicomSeriesSource.open(stack, scratchDir, progress)) {
 *     decoded.broken().forEach(b -> report.fail(b.file(), b.reason()));   // the rest of the series goes on
 *     for (DicomSeriesSource part : decoded.parts()) {
 *         try (DicomSeriesWriter writer = new DicomSeriesWriter(derivation)) {
 *             reconstruction.runVolume(part, settings, zWeight,
 *                     (z, px) -> writer.write(part, z, px, outputOf(part.file(z))), progress);
 *             writer.commit();
 *         }
 *     }
 * }
 * }</pre>
 */
public final class DicomSeriesSource implements SliceStack, AutoCloseable {
    /** Decodes one file; {@link DicomReader#read(Path)} in production, a counting wrapper in tests. */
    @FunctionalInterface
    interface Decoder {
        Image decode(Path file) throws ImageFileException;
    }

    /**
     * What the decoding pass saw of one slice's values (all samples), gathered on the way so nobody reads the slice
     * again just for these. How to use them (noise, ranges) is the caller's business.
     *
     * @param min      smallest non-NaN value (NaN when none)
     * @param max      largest non-NaN value (NaN when none)
     * @param sum      sum of the non-NaN values
     * @param observed how many values are not NaN
     */
    public record SliceStatistics(double min, double max, double sum, long observed) {
        static SliceStatistics of(float[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long n = 0;
            for (float v : values) {
                if (!Float.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                }
            }
            return n == 0 ? new SliceStatistics(Double.NaN, Double.NaN, 0, 0) : new SliceStatistics(min, max, sum, n);
        }

        /** Mean of the non-NaN values; NaN when there is none. */
        public double mean() {
            return observed == 0 ? Double.NaN : sum / observed;
        }
    }

    /** Where a decoded slice lives in the scratch file, and the DicomSource fields that are not attributes. */
    private record Slot(int index, long headerAt, int headerLength, String transferSyntaxUid, String storedPhotometric,
                        String decodedBy, boolean implicitVrDataSet, SliceStatistics statistics) { }

    private final DicomSeries series;
    private final Slot[] slots;
    private final Scratch scratch;
    private final boolean owner;
    private final List<SkippedFile> broken;
    private final List<DicomSeriesSource> parts;

    private DicomSeriesSource(DicomSeries series, Slot[] slots, Scratch scratch, boolean owner, List<SkippedFile> broken,
                              List<DicomSeries> partSeries, Map<Path, Slot> slotOfFile) {
        this.series = series;
        this.slots = slots;
        this.scratch = scratch;
        this.owner = owner;
        this.broken = List.copyOf(broken);
        if (partSeries == null) {
            this.parts = List.of(this);
        } else {
            List<DicomSeriesSource> views = new ArrayList<>();
            for (DicomSeries part : partSeries) {
                views.add(new DicomSeriesSource(part, part.files().stream().map(slotOfFile::get).toArray(Slot[]::new),
                        scratch, false, List.of(), null, null));
            }
            this.parts = List.copyOf(views);
        }
    }

    /**
     * Decodes every slice of {@code stack} once into a scratch file in {@code tempDir} (null: java.io.tmpdir).
     * A slice that does not decode, or decodes to another shape than the stack's, is listed in {@link #broken()}
     * with the reason and left out; the others are read. A multi-frame file is not a slice (read it with
     * {@link DicomFormat#read}): it is listed as broken. Honours cancel (the scratch file is then deleted).
     *
     * @throws IOException when the scratch file cannot be created or written (not for a broken slice)
     */
    public static DicomSeriesSource open(DicomSeries stack, Path tempDir, Progress progress) throws IOException {
        return open(stack, tempDir, progress, DicomReader::read);
    }

    static DicomSeriesSource open(DicomSeries stack, Path tempDir, Progress progress, Decoder decoder)
            throws IOException {
        int depth = stack.slices();
        int plane = Math.multiplyExact(stack.rows(), stack.columns());
        int sliceFloats = Math.multiplyExact(Math.max(1, stack.samplesPerPixel()), plane);
        Scratch scratch = new Scratch(tempDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : tempDir,
                sliceFloats, depth);
        try {
            List<SkippedFile> broken = new ArrayList<>();
            Map<Path, Slot> slotOfFile = new HashMap<>();
            List<Path> readable = new ArrayList<>();
            for (int z = 0; z < depth; z++) {
                progress.checkCancelled();
                progress.report((double) z / depth, "decoding slice " + (z + 1) + " of " + depth);
                Path file = stack.files().get(z);
                Image image;
                try {
                    image = decoder.decode(file);
                } catch (ImageFileException e) {
                    broken.add(new SkippedFile(file, e.reason()));
                    continue;
                } catch (RuntimeException e) {
                    broken.add(new SkippedFile(file, "cannot decode: " + e));
                    continue;
                }
                String mismatch = mismatch(image, stack);
                if (mismatch != null) {
                    broken.add(new SkippedFile(file, mismatch));
                    continue;
                }
                DicomSource source = (DicomSource) image.source();
                byte[] header;
                try {
                    header = DerivedInstance.encode(source.attributes());
                } catch (DicomException e) {
                    broken.add(new SkippedFile(file, "header cannot be kept for writing: " + e.getMessage()));
                    continue;
                }
                scratch.writeSlice(z, image.pixels());
                long at = scratch.appendHeader(header);
                Slot slot = new Slot(z, at, header.length, source.transferSyntaxUid(), source.photometricInterpretation(),
                        source.decodedBy(), source.implicitVrDataSet(), SliceStatistics.of(image.pixels()));
                slotOfFile.put(file, slot);
                readable.add(file);
            }
            progress.report(1, "decoded " + readable.size() + " of " + depth + " slices");
            if (broken.isEmpty()) {
                return new DicomSeriesSource(stack, stack.files().stream().map(slotOfFile::get).toArray(Slot[]::new),
                        scratch, true, broken, null, null);
            }
            // the readable slices may have a gap now: assemble them again (headers only) into uniform stacks
            SeriesAssembly again = SeriesAssembler.assemble(readable);
            for (SkippedFile s : again.skipped()) {
                broken.add(new SkippedFile(s.file(), "left out when the readable slices were assembled again: "
                        + s.reason()));
            }
            List<Path> kept = new ArrayList<>();
            again.series().forEach(s -> kept.addAll(s.files()));
            DicomSeries whole = again.series().size() == 1 ? again.series().get(0) : restricted(stack, kept, broken);
            return new DicomSeriesSource(whole, whole.files().stream().map(slotOfFile::get).toArray(Slot[]::new), scratch,
                    true, broken, again.series().size() == 1 ? null : again.series(), slotOfFile);
        } catch (IOException | RuntimeException e) {
            try {
                scratch.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Null when the decoded slice fits the stack, else why not. */
    private static String mismatch(Image image, DicomSeries stack) {
        if (image.depth() != 1) {
            return "multi-frame file (" + image.depth() + " frames) inside a series of single slices";
        }
        if (image.channels() != stack.samplesPerPixel() || image.height() != stack.rows()
                || image.width() != stack.columns()) {
            return "decodes to " + image.channels() + " sample(s) of " + image.height() + "x" + image.width()
                    + ", the stack is " + stack.samplesPerPixel() + " of " + stack.rows() + "x" + stack.columns();
        }
        return null;
    }

    /** The stack restricted to {@code kept} (spatial order kept), spacing unknown: it is not one uniform stack. */
    private static DicomSeries restricted(DicomSeries stack, List<Path> kept, List<SkippedFile> broken) {
        java.util.Set<Path> keep = new java.util.HashSet<>(kept);
        List<Path> files = new ArrayList<>();
        List<Double> positions = new ArrayList<>();
        List<double[]> ipps = new ArrayList<>();
        for (int z = 0; z < stack.slices(); z++) {
            if (keep.contains(stack.files().get(z))) {
                files.add(stack.files().get(z));
                positions.add(stack.positions()[z]);
                ipps.add(stack.imagePositions()[z]);
            }
        }
        List<String> warnings = new ArrayList<>(stack.warnings());
        warnings.add(broken.size() + " slice(s) did not decode; the others are not uniformly spaced: see parts()");
        return new DicomSeries(stack.seriesInstanceUid(), stack.studyInstanceUid(), stack.part(), stack.parts(), files,
                positions.stream().mapToDouble(Double::doubleValue).toArray(), stack.normal(), Double.NaN, stack.rows(),
                stack.columns(), stack.samplesPerPixel(), stack.pixelSpacing(), stack.orientation(),
                ipps.toArray(double[][]::new), warnings);
    }

    /** The slices that did not decode (file and reason, as {@link ImageFileException#reason()} words it). */
    public List<SkippedFile> broken() {
        return broken;
    }

    /**
     * The uniform stacks of the decoded slices: just this source when no slice broke (or the readable ones are still
     * uniform), else one view per uniform run; empty when no slice decoded. Views share this source's scratch file:
     * close this one, not them.
     */
    public List<DicomSeriesSource> parts() {
        return parts;
    }

    /** The decoded slices' series: file order, positions, spacing, warnings. */
    public DicomSeries series() {
        return series;
    }

    @Override
    public int depth() {
        return slots.length;
    }

    @Override
    public int height() {
        return series.rows();
    }

    @Override
    public int width() {
        return series.columns();
    }

    /** Slice z's modality values from the scratch file. Grey stacks only: a colour slice is {@link #image}. */
    @Override
    public float[] slice(int z) throws IOException {
        if (series.samplesPerPixel() != 1) {
            throw new IllegalStateException("a stack of " + series.samplesPerPixel()
                    + " samples per pixel is not a single-channel SliceStack: read image(z)");
        }
        return scratch.readSlice(slots[z].index());
    }

    /** Slice z as one Image (all samples, one frame) whose source is {@link #header(int)}: for per-slice work. */
    public Image image(int z) throws IOException {
        return new Image(scratch.readSlice(slots[z].index()), series.samplesPerPixel(), 1, series.rows(),
                series.columns(), header(z));
    }

    /**
     * Slice z's source metadata as decoding left it (what {@link DicomFormat#read} would attach, minus the meta
     * header group), read back from the scratch file: what {@link DicomSeriesWriter} derives the output from.
     */
    public DicomSource header(int z) throws IOException {
        Slot slot = slots[z];
        try {
            var list = DerivedInstance.decode(scratch.readHeader(slot.headerAt(), slot.headerLength()));
            return new DicomSource(file(z), list, DicomPixelLayout.of(list), slot.transferSyntaxUid(),
                    slot.storedPhotometric(), slot.decodedBy(), slot.implicitVrDataSet());
        } catch (DicomException | IllegalArgumentException e) {
            throw new ImageFileException(file(z), "kept header does not read back: " + e.getMessage(), e);
        }
    }

    /** Slice z's value statistics, from the decoding pass (no read). */
    public SliceStatistics statistics(int z) {
        return slots[z].statistics();
    }

    /** The file slice z was decoded from. */
    public Path file(int z) {
        return series.files().get(z);
    }

    /** SamplesPerPixel (1 grey, 3 colour). */
    public int samplesPerPixel() {
        return series.samplesPerPixel();
    }

    /** PixelSpacing as [row spacing, column spacing] in mm (a copy), or null when the headers have none. */
    public double[] pixelSpacing() {
        return series.pixelSpacing() == null ? null : series.pixelSpacing().clone();
    }

    /** Distance between neighbouring slices in mm; NaN for one slice, no positions, or non-uniform spacing. */
    public double sliceSpacing() {
        return series.sliceSpacing();
    }

    /** ImageOrientationPatient: row cosines then column cosines (a copy), or null. */
    public double[] orientation() {
        return series.orientation() == null ? null : series.orientation().clone();
    }

    /** ImagePositionPatient of slice z (x, y, z in mm, a copy), or null when that slice has none. */
    public double[] imagePosition(int z) {
        double[] p = series.imagePositions()[z];
        return p == null ? null : p.clone();
    }

    /** Deletes the scratch file (a view's close does nothing: its owner's does). */
    @Override
    public void close() throws IOException {
        if (owner) {
            scratch.close();
        }
    }

    @Override
    public String toString() {
        return "DicomSeriesSource(" + series + (broken.isEmpty() ? "" : ", " + broken.size() + " broken") + ")";
    }

    /**
     * The scratch file: slice i's floats (little endian) at i * sliceBytes, the encoded headers after all slices.
     * Deleted on close, and registered for deletion at JVM exit in case close never comes.
     */
    private static final class Scratch {
        private final Path path;
        private final FileChannel channel;
        private final int sliceFloats;
        private final ByteBuffer buffer;
        private long headerEnd;
        private boolean closed;

        Scratch(Path dir, int sliceFloats, int depth) throws IOException {
            Files.createDirectories(dir);
            this.path = Files.createTempFile(dir, AtomicFiles.TEMP_PREFIX + "series-", ".f32");
            path.toFile().deleteOnExit();
            try {
                this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                Files.deleteIfExists(path);
                throw e;
            }
            this.sliceFloats = sliceFloats;
            this.buffer = ByteBuffer.allocate(Math.multiplyExact(sliceFloats, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            this.headerEnd = (long) depth * buffer.capacity();
        }

        synchronized void writeSlice(int index, float[] pixels) throws IOException {
            buffer.clear();
            buffer.asFloatBuffer().put(pixels, 0, sliceFloats);
            buffer.limit(buffer.capacity());
            writeFully(buffer, (long) index * buffer.capacity());
        }

        synchronized float[] readSlice(int index) throws IOException {
            buffer.clear();
            readFully(buffer, (long) index * buffer.capacity());
            buffer.flip();
            float[] values = new float[sliceFloats];
            buffer.asFloatBuffer().get(values);
            return values;
        }

        synchronized long appendHeader(byte[] header) throws IOException {
            long at = headerEnd;
            writeFully(ByteBuffer.wrap(header), at);
            headerEnd += header.length;
            return at;
        }

        synchronized byte[] readHeader(long at, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length);
            readFully(b, at);
            return b.array();
        }

        private void writeFully(ByteBuffer b, long at) throws IOException {
            open();
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        }

        private void readFully(ByteBuffer b, long at) throws IOException {
            open();
            while (b.hasRemaining()) {
                int n = channel.read(b, at);
                if (n < 0) {
                    throw new IOException(path + ": scratch file ends early");
                }
                at += n;
            }
        }

        private void open() throws IOException {
            if (closed) {
                throw new IOException("the series source was closed (scratch file " + path + " deleted)");
            }
        }

        synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }
}
