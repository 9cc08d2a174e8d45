#!/usr/bin/env bash
# DICOM read throughput, yax (PixelMed + dcmtk fallback, in one warm JVM) side by side with pydicom + numpy
# (Debian's /usr/bin/python3) on the same files: file -> float32 modality values (stored * slope + intercept).
# MB/s = file bytes per second. Run after scripts/setup.sh. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
d=sample-data/data
t=$d/pydicom-test-files
[ -d "$t" ] || { echo "sample data missing: run scripts/setup.sh" >&2; exit 1; }
groups=(
  "phantom-ct 20 slices, explicit LE 16-bit=$(ls $d/archive/dicom/phantom-ct/*.dcm | paste -sd,)"
  "CT_small, explicit LE 16-bit=$t/CT_small.dcm"
  "liver_expb_1frame, explicit BE=$t/liver_expb_1frame.dcm"
  "SC_rgb_jpeg_dcmd, implicit LE RGB=$t/SC_rgb_jpeg_dcmd.dcm"
  "MR_small_RLE, RLE 16-bit=$t/MR_small_RLE.dcm"
  "SC_rgb_jpeg_dcmtk, JPEG baseline YBR=$t/SC_rgb_jpeg_dcmtk.dcm"
  "MR_small_jpeg_ls_lossless, JPEG-LS (yax: via dcmdjpls)=$t/MR_small_jpeg_ls_lossless.dcm"
)
mvn -B -q -o -pl io -am test-compile >&2
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o -pl io dependency:build-classpath -Dmdep.outputFile="$cpfile" >&2
cp="io/target/test-classes:io/target/classes:core/target/classes:$(cat "$cpfile")"
java_out=$(java -cp "$cp" org.yax.io.dicom.DicomReadBenchmark "${groups[@]}" 2>/dev/null)
py_out=$(/usr/bin/python3 - "${groups[@]}" <<'PY'
import sys, os, time, numpy as np, pydicom
for g in sys.argv[1:]:
    label, files = g.split('=', 1); files = files.split(',')
    size = sum(os.path.getsize(f) for f in files)
    def one(f):
        ds = pydicom.dcmread(f)
        a = ds.pixel_array.astype(np.float32)
        return a * np.float32(ds.get('RescaleSlope', 1) or 1) + np.float32(ds.get('RescaleIntercept', 0) or 0)
    try:
        for _ in range(3):
            for f in files: one(f)
        passes, start = 0, time.perf_counter()
        while passes < 5 or time.perf_counter() - start < 2.0:
            for f in files: one(f)
            passes += 1
        per = (time.perf_counter() - start) / passes
        print('%s\t%d\t%.6f\t%.2f' % (label, size, per, size / per / 1e6))
    except Exception as e:
        print('%s\t%d\t-\tn/a (%s)' % (label, size, type(e).__name__))
PY
)
echo "| files | bytes | yax ms/pass | yax MB/s | pydicom ms/pass | pydicom MB/s | yax / pydicom |"
echo "|---|---|---|---|---|---|---|"
paste <(echo "$java_out") <(echo "$py_out") | awk -F'\t' '{
  ym = $3 * 1000; pm = ($8 == "-") ? "-" : sprintf("%.2f", $8 * 1000);
  ratio = ($8 == "-") ? "-" : sprintf("%.2fx", $4 / $9);
  printf "| %s | %s | %.2f | %s | %s | %s | %s |\n", $1, $2, ym, $4, pm, $9, ratio }'
