#!/usr/bin/env bash
# DICOM read throughput, yax (PixelMed + dcmtk fallback, in one warm JVM) side by side with pydicom + numpy
# (Debian's /usr/bin/python3) on the same files: file -> float32 modality values (stored * slope + intercept).
# MB/s = file bytes per second. Run after scripts/setup.sh. ROUNDS (default 3) rounds alternate yax and pydicom
# on the same files; the table shows each tool's median ms/pass over the rounds and the ratio of the medians.
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
mvn -B -q -o -pl io dependency:build-classpath -Dmdep.outputFile="$cpfile" >&2
cp="io/target/test-classes:io/target/classes:core/target/classes:$(cat "$cpfile")"
rounds=${ROUNDS:-3}
results=$(mktemp)
trap 'rm -f "$cpfile" "$results"' EXIT
for round in $(seq "$rounds"); do
echo "round $round/$rounds" >&2
java -cp "$cp" org.yax.io.dicom.DicomReadBenchmark "${groups[@]}" 2>/dev/null | sed "s/^/yax\t/" >>"$results"
/usr/bin/python3 - "${groups[@]}" <<'PY' | sed "s/^/py\t/" >>"$results"
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
done
# medians over the rounds, per tool and group (the groups keep their order)
/usr/bin/python3 - "$results" <<'PY'
import sys, statistics
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
order, times, size = [], {}, {}
for tool, label, nbytes, per, *_ in rows:
    if label not in size: order.append(label); size[label] = int(nbytes)
    if per != '-': times.setdefault((tool, label), []).append(float(per))
print('| files | bytes | yax ms/pass | yax MB/s | pydicom ms/pass | pydicom MB/s | yax / pydicom |')
print('|---|---|---|---|---|---|---|')
for label in order:
    y = statistics.median(times[('yax', label)]) if ('yax', label) in times else None
    p = statistics.median(times[('py', label)]) if ('py', label) in times else None
    mb = lambda t: '%.2f' % (size[label] / t / 1e6) if t else 'n/a'
    ms = lambda t: '%.2f' % (t * 1000) if t else '-'
    ratio = '%.2fx' % (p / y) if y and p else '-'
    print('| %s | %d | %s | %s | %s | %s | %s |' % (label, size[label], ms(y), mb(y), ms(p), mb(p), ratio))
PY
