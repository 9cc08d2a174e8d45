package org.yax.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Reads every file of pydicom's test_files, compares what decodes with pydicom (or, where pydicom has no codec,
 * with dcmtk's decompression read by pydicom; for JPEG 2000 with under-counted tile-parts, with pydicom on the
 * repaired codestream), writes docs/DICOM-CONFORMANCE.md and fails when a file listed in
 * dicom/conformance-exact.txt is no longer exact.
 */
class DicomConformanceTest {
    @TempDir
    Path tmp;

    /** Header facts and reference values from pydicom, one tab-separated line per file. */
    private static final String REFERENCE = """
            import sys, os, subprocess, tempfile, numpy as np, pydicom
            from pydicom.uid import UID
            TOOLS = {'1.2.840.10008.1.2.4.80': 'dcmdjpls', '1.2.840.10008.1.2.4.81': 'dcmdjpls',
                     '1.2.840.10008.1.2.4.50': 'dcmdjpeg', '1.2.840.10008.1.2.4.51': 'dcmdjpeg',
                     '1.2.840.10008.1.2.4.57': 'dcmdjpeg', '1.2.840.10008.1.2.4.70': 'dcmdjpeg',
                     '1.2.840.10008.1.2.5': 'dcmdrle'}
            J2K = {'1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91'}
            def repaired_tile_parts(ds):
                # GDCM wrote codestreams whose tile-part headers under-count their tile-parts (TPsot >= TNsot); Pillow
                # refuses them. pydicom decodes them once each TNsot says how many tile-parts its tile really has
                # (only these bytes change): a reference that does not come from yax's decoder (GDAL's OpenJPEG)
                import struct
                from pydicom.encaps import generate_pixel_data_frame, encapsulate
                frames, changed = [], False
                for frame in generate_pixel_data_frame(ds.PixelData, int(ds.get('NumberOfFrames', 1) or 1)):
                    b = bytearray(frame); at = b.find(b'\\xff\\x4f\\xff\\x51') + 2
                    while at + 4 <= len(b) and b[at:at + 2] != b'\\xff\\x90':
                        at += 2 + struct.unpack('>H', b[at + 2:at + 4])[0]
                    sots = []
                    while at + 12 <= len(b) and b[at:at + 2] == b'\\xff\\x90':
                        tile, psot, part, parts = struct.unpack('>HIBB', b[at + 4:at + 12]); sots.append((at, tile, part, parts))
                        if psot < 14: break
                        at += psot
                    count = {}
                    for _, tile, part, _ in sots: count[tile] = max(count.get(tile, 0), part + 1)
                    for at, tile, part, parts in sots:
                        if parts and parts < count[tile]: b[at + 11] = count[tile]; changed = True
                    frames.append(bytes(b))
                if not changed:
                    raise ValueError('no under-counted tile-parts')
                ds.PixelData = encapsulate(frames, has_bot=len(frames) > 1)
                return ds.pixel_array
            def modality(ds, a):
                a = a.astype(np.float64)
                spp = int(ds.get('SamplesPerPixel', 1)); frames = int(ds.get('NumberOfFrames', 1) or 1)
                a = a * float(ds.get('RescaleSlope', 1) or 1) + float(ds.get('RescaleIntercept', 0) or 0)
                a = a.reshape((frames, ds.Rows, ds.Columns, spp))
                return np.ascontiguousarray(np.transpose(a, (3, 0, 1, 2)), dtype='<f4')
            files = open(sys.argv[1]).read().splitlines(); out = sys.argv[2]
            for i, f in enumerate(files):
                row = [str(i)] + [''] * 8 + ['none']
                try:
                    ds = pydicom.dcmread(f, force=True)
                    ts = str(ds.file_meta.get('TransferSyntaxUID', '')) if hasattr(ds, 'file_meta') else ''
                    row[1] = ts; row[2] = UID(ts).name if ts else ''
                    row[3] = str(ds.get('PhotometricInterpretation', '')); row[4] = str(ds.get('BitsAllocated', ''))
                    row[5] = str(ds.get('BitsStored', '')); row[6] = str(ds.get('NumberOfFrames', 1) or 1)
                    row[7] = str(ds.get('SamplesPerPixel', ''))
                    if 'PixelData' not in ds:
                        row[9] = 'none: no PixelData'
                    else:
                        try:
                            a = ds.pixel_array; ref = 'pydicom'
                        except Exception as e:
                            tool = TOOLS.get(ts)
                            if ts in J2K:
                                a = repaired_tile_parts(ds); ref = 'pydicom after repairing the tile-part counts (TNsot)'
                            elif tool is None:
                                raise
                            else:
                                tmp = os.path.join(out, '%d.dcmtk.dcm' % i)
                                subprocess.run([tool, f, tmp], check=True, capture_output=True)
                                ds = pydicom.dcmread(tmp); a = ds.pixel_array; ref = 'dcmtk ' + tool + ' + pydicom'
                        modality(ds, a).tofile(os.path.join(out, '%d.f32' % i))
                        if (int(ds.get('SamplesPerPixel', 1)) == 3 and str(ds.PhotometricInterpretation).startswith('YBR')
                                and ts not in J2K):  # JPEG 2000 codecs apply the codestream's colour transform
                            from pydicom.pixel_data_handlers.util import convert_color_space
                            modality(ds, convert_color_space(a, 'YBR_FULL', 'RGB')).tofile(os.path.join(out, '%d.rgb.f32' % i))
                        row[9] = ref
                except Exception as e:
                    row[9] = 'none: ' + (type(e).__name__ + ' ' + str(e)).replace('\\t', ' ').replace('\\n', ' ')[:120]
                print('\\t'.join(row))
            """;

    /** @param decoder "PixelMed", "ImageIO CODEC", "dcmtk TOOL", or "" when the file was not decoded */
    record Row(String file, String ts, String tsName, String photometric, String bits, String frames, String status,
               String decoder, boolean exact) { }

    /** Transfer syntaxes pydicom's test_files lack, made here from its files with dcmtk: file name -> row label. */
    private static final Map<String, String> GENERATED = new LinkedHashMap<>();

    static {
        GENERATED.put("MR_small_jpeg_p14_sv2.dcm", "(made here) MR_small.dcm via dcmcjpeg +el +sv 2");
        GENERATED.put("image_dfl_jpeg_ls_near_lossless.dcm", "(made here) image_dfl.dcm via dcmcjpls +en +md 2");
    }

    private List<Path> generatedSamples(Path root) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("generated"));
        List<List<String>> commands = List.of(
                List.of("dcmcjpeg", "+el", "+sv", "2", root.resolve("MR_small.dcm").toString(),
                        dir.resolve("MR_small_jpeg_p14_sv2.dcm").toString()),
                List.of("dcmcjpls", "+en", "+md", "2", root.resolve("image_dfl.dcm").toString(),
                        dir.resolve("image_dfl_jpeg_ls_near_lossless.dcm").toString()));
        List<Path> made = new ArrayList<>();
        for (List<String> command : commands) {
            DicomTestSupport.Run r = DicomTestSupport.run(command);
            assertEquals(0, r.exitCode(), command + ": " + r.stderr());
            made.add(Path.of(command.get(command.size() - 1)));
        }
        return made;
    }

    @Test
    void everyPydicomTestFileIsReadOrRefusedWithAReason() throws Exception {
        Path root = DicomTestSupport.pydicomFile("CT_small.dcm").getParent();
        List<Path> files = DicomTestSupport.pydicomFiles();
        assertTrue(files.size() > 50, "expected the whole pydicom test_files folder under " + root);
        files = new ArrayList<>(files);
        files.addAll(generatedSamples(root));
        Path list = tmp.resolve("files.txt");
        Files.write(list, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
        String[] refLines = DicomTestSupport.python(REFERENCE, list.toString(), tmp.toString()).split("\n");
        assertEquals(files.size(), refLines.length);

        List<Row> rows = new ArrayList<>();
        DicomFormat format = new DicomFormat();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String[] ref = refLines[i].split("\t", -1);
            String name = file.startsWith(root) ? root.relativize(file).toString() : GENERATED.get(file.getFileName().toString());
            String status;
            String decoder = "";
            boolean exact = false;
            if (!format.canRead(file)) {
                status = "not DICOM (not offered to the reader)";
            } else {
                try {
                    Image image = format.read(file);
                    String decodedBy = ((DicomSource) image.source()).decodedBy();
                    boolean inJvm = decodedBy.equals("PixelMed") || decodedBy.startsWith("ImageIO ")
                            || decodedBy.equals(OpenJpegFrameDecoder.DESCRIPTION);
                    decoder = inJvm ? decodedBy : "dcmtk " + decodedBy;
                    String via = inJvm ? "" : "transcoded via dcmtk " + decodedBy + ", ";
                    status = via + compare(image, ref[9], tmp.resolve(i + ".f32"), tmp.resolve(i + ".rgb.f32"));
                    exact = status.endsWith("exact") || status.contains("exact (vs the reference");
                    // pydicom reads such a data set the same way (with a warning): say so in the row
                    if (((DicomSource) image.source()).implicitVrDataSet()) {
                        status += "; " + DicomReader.IMPLICIT_VR_NOTE;
                    }
                } catch (ImageFileException e) {
                    status = "refused: " + e.reason();
                }
            }
            rows.add(new Row(name, ref[1], ref[2], ref[3], ref[4].isEmpty() ? "" : ref[4] + "/" + ref[5], ref[6],
                    status, decoder, exact));
        }
        writeTable(rows, root.getParent().getParent().getParent().resolve("docs/DICOM-CONFORMANCE.md"));

        Set<String> wasExact = new TreeSet<>();
        try (InputStream in = DicomConformanceTest.class.getResourceAsStream("/dicom/conformance-exact.txt")) {
            if (in != null) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                        .filter(s -> !s.isEmpty() && !s.startsWith("#")).forEach(wasExact::add);
            }
        }
        assertTrue(wasExact.size() > 40, "baseline dicom/conformance-exact.txt is missing or too short");
        List<String> regressed = new ArrayList<>();
        for (Row r : rows) {
            if (wasExact.contains(r.file()) && !r.exact()) {
                regressed.add(r.file() + ": " + r.status());
            }
        }
        assertEquals(List.of(), regressed, "files that used to decode exactly no longer do");
        // lossy codecs (JPEG 2000 irreversible wavelet) may differ from another decoder by rounding, no more
        List<String> wrong = rows.stream().filter(r -> r.status().contains("MISMATCH") || withinMoreThanOne(r.status()))
                .map(r -> r.file() + ": " + r.status()).toList();
        assertEquals(List.of(), wrong, "decoded files that differ from the reference");
    }

    /** "exact", "within N" (max |difference|), "no reference (...)", or a MISMATCH naming the difference. */
    private static String compare(Image image, String reference, Path values, Path rgbValues) throws IOException {
        if (!Files.exists(values)) {
            return "decoded, no reference (" + reference + ")";
        }
        float[] ours = image.pixels();
        double best = maxDiff(ours, DicomTestSupport.readFloats(values));
        String note = "";
        if (Files.exists(rgbValues)) {
            double rgb = maxDiff(ours, DicomTestSupport.readFloats(rgbValues));
            if (rgb < best) {
                best = rgb;
                note = " (vs the reference converted YBR->RGB)";
            }
        }
        String vs = reference.equals("pydicom") ? "" : "vs " + reference + ": ";
        if (Double.isInfinite(best)) {
            return "MISMATCH " + vs + "shape or missing values differ (" + image + ")";
        }
        if (best == 0) {
            return vs + "exact" + note;
        }
        return vs + String.format(Locale.ROOT, "within %.4g", best) + note;
    }

    private static boolean withinMoreThanOne(String status) {
        int at = status.indexOf("within ");
        if (at < 0) {
            return false;
        }
        String number = status.substring(at + 7).split("[ )]")[0];
        return Double.parseDouble(number) > 1;
    }


    /** Max |a - b| over the values both have; infinity when the sizes or the NaN positions differ. */
    private static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
                return Double.POSITIVE_INFINITY;
            }
            if (!Float.isNaN(a[i])) {
                max = Math.max(max, Math.abs((double) a[i] - b[i]));
            }
        }
        return max;
    }

    /** Every transfer syntax an image can come in (PS3.6 Table A-1, retired JPEG processes left out). */
    private static final List<String> TRANSFER_SYNTAXES = List.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50",
            "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
            "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92",
            "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
            "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112",
            "1.2.840.10008.1.2.8.1");

    private static void writeTable(List<Row> rows, Path target) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# DICOM reader conformance\n\n");
        s.append("Generated by `DicomConformanceTest` (io module) from every file in pydicom's test_files folder\n");
        s.append("(`sample-data/data/pydicom-test-files`) and two files it makes with dcmtk for transfer syntaxes the folder\n");
        s.append("lacks. Each file is read with yax's DICOM reader (PixelMed; JPEG baseline/extended 8-bit and JPEG lossless\n");
        s.append("frames decoded by yax with the ImageIO codec PixelMed would pick: the JDK's JPEG reader, PixelMed's lossless\n");
        s.append("JPEG reader; JPEG 2000 frames with OpenJPEG through GDAL's JP2OpenJPEG driver, else jai-imageio's JJ2000\n");
        s.append("codec, see [THIRD-PARTY.md](THIRD-PARTY.md); RGB-labelled lossy JPEG with its components as coded, as\n");
        s.append("pydicom's Pillow decodes it; dcmtk's decompressors as a fallback for JPEG-LS, 12-bit JPEG and 16/32-bit\n");
        s.append("RLE; a data set in implicit VR under a meta header declaring explicit VR, as pydicom does, read as implicit\n");
        s.append("VR, noted in the row) and its modality values (stored * RescaleSlope +\n");
        s.append("RescaleIntercept, or the Modality LUT, float32) are compared with pydicom's (pydicom 2.3 decodes JPEG 2000\n");
        s.append("with Pillow, i.e. OpenJPEG), or, where pydicom has no codec, with dcmtk's decompression read by pydicom;\n");
        s.append("a JPEG 2000 codestream that Pillow refuses because its tile-part headers under-count their tile-parts\n");
        s.append("is compared with pydicom's decoding of it with the counts repaired.\n");
        s.append("\"within N\" is the largest absolute difference (allowed: 1, for lossy JPEG 2000 decoded by JJ2000). The test fails when a\n");
        s.append("file listed in `io/src/test/resources/dicom/conformance-exact.txt` stops being exact or any decoded file\n");
        s.append("differs by more than 1. Do not edit by hand: rerun the test.\n\n");
        s.append("## By transfer syntax\n\n");
        s.append("| transfer syntax | decoded by | sample files: results |\n|---|---|---|\n");
        for (String uid : TRANSFER_SYNTAXES) {
            List<Row> of = rows.stream().filter(r -> r.ts().equals(uid)).toList();
            Set<String> decoders = new TreeSet<>();
            of.stream().map(Row::decoder).filter(d -> !d.isEmpty()).forEach(decoders::add);
            Map<String, Integer> results = new TreeMap<>();
            for (Row r : of) {
                String kind = r.exact() ? "exact" : withinMoreThanOne(r.status()) ? "DIFFERENT"
                        : r.status().contains("within") ? "within 1 (lossy)"
                        : r.status().startsWith("refused") ? "refused" : "decoded, no reference";
                results.merge(kind, 1, Integer::sum);
            }
            String summary = of.isEmpty() ? "no sample file here: untested (a file that PixelMed and dcmtk cannot "
                    + "decode is refused naming the transfer syntax)" : results.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("");
            s.append("| ").append(cell(DicomReader.describeTransferSyntax(uid))).append(" | ")
                    .append(decoders.isEmpty() ? "-" : String.join(", ", decoders)).append(" | ").append(cell(summary))
                    .append(" |\n");
        }
        s.append("\nThe refused files are data sets without an image, deliberately broken files, and the formats listed\n");
        s.append("under each file below. A file without a meta header has no transfer syntax and is not counted above.\n\n");
        s.append("## By file\n\n");
        long exact = rows.stream().filter(Row::exact).count();
        long refused = rows.stream().filter(r -> r.status().startsWith("refused")).count();
        long transcoded = rows.stream().filter(r -> r.exact() && r.status().startsWith("transcoded")).count();
        long notDicom = rows.stream().filter(r -> r.status().startsWith("not DICOM")).count();
        s.append(String.format(Locale.ROOT, "%d files: %d exact (%d of them transcoded via dcmtk), %d other decodes, "
                + "%d refused with a reason, %d not DICOM.%n%n", rows.size(), exact, transcoded, rows.size() - exact
                - refused - notDicom, refused, notDicom));
        s.append("| file | transfer syntax | photometric | bits alloc/stored | frames | status |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String ts = r.ts().isEmpty() ? "" : r.ts() + " (" + r.tsName() + ")";
            s.append("| ").append(cell(r.file())).append(" | ").append(cell(ts)).append(" | ").append(cell(r.photometric()))
                    .append(" | ").append(cell(r.bits())).append(" | ").append(cell(r.frames())).append(" | ")
                    .append(cell(r.status())).append(" |\n");
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, s.toString(), StandardCharsets.UTF_8);
    }

    private static String cell(String v) {
        return v.replace("|", "\\|").replace("\n", " ");
    }
}
