package org.yax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM series in `yax reconstruct`: one item per series (across folders), reconstructed as a volume with
 * 3-D TV where the stack is uniform, per stack where it is not, one derived series that mirrors the input tree.
 */
class SeriesReconstructionTest {
    @TempDir
    Path tmp;

    private static Path phantom(String tree, int slice) {
        return SampleData.root().resolve(tree + "/dicom/phantom-ct/" + String.format("IM%04d.dcm", slice));
    }

    private static Map<String, JsonObject> rows(Path report, Path in) throws Exception {
        Map<String, JsonObject> byName = new HashMap<>();
        for (var e : JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("items")) {
            JsonObject item = e.getAsJsonObject();
            byName.put(in.relativize(Path.of(item.get("input").getAsString())).toString(), item);
        }
        return byName;
    }

    @Test
    @Timeout(300)
    void aSeriesAcrossFoldersIsOneItemAndOneDerivedSeries() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        // the noisy series split over two folders; the clean series with slice 3 missing (a 6 mm gap)
        for (int z = 1; z <= 20; z++) {
            Path dir = Files.createDirectories(in.resolve(z <= 10 ? "study/a" : "study/b"));
            Files.copy(phantom("archive", z), dir.resolve(String.format("IM%04d.dcm", z)));
        }
        Path gap = Files.createDirectories(in.resolve("gap"));
        for (int z : new int[] {1, 2, 4, 5, 6}) {
            Files.copy(phantom("ground-truth", z), gap.resolve(String.format("IM%04d.dcm", z)));
        }
        Files.copy(SampleData.archive("dicom/CT_small.dcm"), in.resolve("CT_small.dcm"));
        Map<Path, String> before = HostileArchiveTest.checksums(in);
        Path out = tmp.resolve("out");

        // --dry-run lists the series items and how they would be reconstructed
        ReconstructCommandTest.Outcome plan = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--dry-run");
        assertEquals(Yax.EXIT_OK, plan.exit(), plan.err());
        assertTrue(plan.err().contains("plan    " + in.resolve("study") + " -> " + out.resolve("study")
                + " (DICOM series): 20 slices, series "), plan.err());
        assertTrue(plan.err().contains("volume, 20 slices (3-D TV, z weight 0.3 = 0.9 mm pixels / 3 mm slices)"),
                plan.err());
        assertTrue(plan.err().contains("3 planned, 0 done"), plan.err());

        Path report = tmp.resolve("r.json");
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--report", report.toString(), "--jobs", "2");
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        assertEquals(before, HostileArchiveTest.checksums(in), "inputs must be byte-identical");
        Map<String, JsonObject> rows = rows(report, in);
        assertEquals(3, rows.size(), rows.keySet().toString());
        JsonObject study = rows.get("study");
        assertEquals("done", study.get("status").getAsString(), study.toString());
        assertEquals(20, study.get("slices").getAsInt());
        assertTrue(study.get("reconstruction").getAsString().startsWith("volume, 20 slices (3-D TV"), study.toString());
        JsonObject gapped = rows.get("gap");
        assertEquals(5, gapped.get("slices").getAsInt(), gapped.toString());
        assertTrue(gapped.get("reconstruction").getAsString().startsWith("2 stacks: volume, 2 slices (3-D TV, z weight "
                + "0.3 = 0.9 mm pixels / 3 mm slices) + volume, 3 slices"), gapped.toString());
        assertTrue(gapped.get("reconstruction").getAsString().contains("gap of 6.000 mm between IM0002.dcm and IM0004.dcm"),
                gapped.toString());

        // the output mirrors every slice's path; one new series per source series, each slice naming its source
        SampleData.Run py = SampleData.python(String.join("\n",
                "import sys, os, glob, pydicom",
                "src, out = sys.argv[1], sys.argv[2]",
                "for name in ('study', 'gap'):",
                "    fs = sorted(glob.glob(os.path.join(src, name, '**', '*.dcm'), recursive=True))",
                "    pairs = [(pydicom.dcmread(f), pydicom.dcmread(f.replace(src, out, 1))) for f in fs]",
                "    print(name, len(fs), len({d.SeriesInstanceUID for s, d in pairs}),",
                "          all(d.SeriesInstanceUID != s.SeriesInstanceUID and d.StudyInstanceUID == s.StudyInstanceUID",
                "              and d.SourceImageSequence[0].ReferencedSOPInstanceUID == s.SOPInstanceUID",
                "              and d.ImagePositionPatient == s.ImagePositionPatient for s, d in pairs))"),
                in.toString(), out.toString());
        assertEquals(0, py.exitCode(), py.out());
        assertTrue(py.out().contains("study 20 1 True"), py.out());
        assertTrue(py.out().contains("gap 5 1 True"), py.out());

        // --resume: same slices, same parameters -> skipped; one slice changed -> that series is redone
        ReconstructCommandTest.Outcome again = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--resume");
        assertTrue(again.err().contains("0 done, 0 failed, 3 skipped"), again.err());
        Files.copy(phantom("ground-truth", 5), in.resolve("study/a/IM0005.dcm"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ReconstructCommandTest.Outcome changed = ReconstructCommandTest.yax("reconstruct", in.toString(), "-o",
                out.toString(), "--resume");
        assertFalse(changed.err().contains("skipped " + in.resolve("study") + ":"), changed.err());
    }

    /**
     * The quality claim in README and docs/BATCH.md: on the generated 20-slice Shepp-Logan CT series (sigma
     * 40 HU, 0.9 mm pixels, 3 mm slices) weighted 3-D TV beat per-slice TV by 0.62 dB PSNR (47.37 vs 46.75 dB,
     * SSIM 0.9977 vs 0.9950) when measured; the test allows half of that gain. And why auto keeps the volume
     * path for a series although the model's card prefers its denoise head in 2-D (docs/MODELS.md): the network
     * slice by slice measured 42.46 dB.
     */
    @Test
    @Timeout(300)
    void threeDimensionalTvBeatsPerSliceTvAndTheNetworkOnThePhantomSeries() throws Exception {
        Path archive = SampleData.root().resolve("archive/dicom/phantom-ct");
        Path truth = SampleData.root().resolve("ground-truth/dicom/phantom-ct");
        double[] volume = psnrSsim(archive, truth, "volume", "tv"); // --method auto: the volume path, 3-D TV
        double[] perSlice = psnrSsim(archive, truth, "per-slice", "tv", "--per-slice", "--method", "tv");
        assertTrue(volume[0] > perSlice[0] + 0.3, "3-D TV " + volume[0] + " dB vs per slice " + perSlice[0] + " dB");
        assertTrue(volume[1] > perSlice[1], "SSIM 3-D " + volume[1] + " vs per slice " + perSlice[1]);
        assertTrue(perSlice[0] > 45, "per-slice TV itself works: " + perSlice[0]);
        double[] network = psnrSsim(archive, truth, "auto-per-slice", "network", "--per-slice"); // auto in 2-D
        assertTrue(volume[0] > network[0] + 2, "3-D TV " + volume[0] + " dB vs the network per slice " + network[0]);
    }

    /** Runs with {@code extra} options and checks the method the report names. */
    private double[] psnrSsim(Path archive, Path truth, String name, String method, String... extra) throws Exception {
        Path report = tmp.resolve(name + ".json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("reconstruct", archive.toString(),
                "-o", tmp.resolve(name).toString(), "--reference", truth.toString(), "--report", report.toString()));
        args.addAll(java.util.List.of(extra));
        ReconstructCommandTest.Outcome o = ReconstructCommandTest.yax(args.toArray(String[]::new));
        assertEquals(Yax.EXIT_OK, o.exit(), o.err());
        JsonObject row = JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("items")
                .get(0).getAsJsonObject();
        assertEquals(20, row.get("slices").getAsInt(), row.toString());
        assertEquals(method, row.get("method").getAsString(), row.toString());
        return new double[] {row.get("psnrAfter").getAsDouble(), row.get("ssimAfter").getAsDouble()};
    }
}
