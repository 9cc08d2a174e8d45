#!/usr/bin/env bash
# DICOM read throughput, yax (PixelMed, ImageIO codecs for JPEG frames, OpenJPEG via GDAL for JPEG 2000, dcmtk fallback, in one warm JVM) side by side with pydicom + numpy
# (Debian's /usr/bin/python3) on the same files: file -> float32 modality values (stored * slope + intercept).
# MB/s = file bytes per second. Run after scripts/setup.sh. ROUNDS (default 3) rounds alternate yax and pydicom
# on the same files; the table shows each tool's median MB/s over the rounds, from wall time and from the
# reading thread's CPU time (steadier on a shared machine), and the ratios of the medians.
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
  "MR_small_jp2klossless, JPEG 2000 lossless 16-bit=$t/MR_small_jp2klossless.dcm"
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
# OPJ_NUM_THREADS=0: OpenJPEG decodes JPEG 2000 on the reading thread (GDAL 3.6 otherwise starts one OpenJPEG worker
# thread per frame, whose CPU time the thread-CPU column would not see); Pillow, under pydicom, uses no worker either
OPJ_NUM_THREADS=0 java -cp "$cp" org.yax.io.dicom.DicomReadBenchmark "${groups[@]}" 2>/dev/null | sed "s/^/yax\t/" >>"$results"
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
        passes, start, cpu = 0, time.perf_counter(), time.thread_time()
        while passes < 5 or time.perf_counter() - start < 2.0:
            for f in files: one(f)
            passes += 1
        per = (time.perf_counter() - start) / passes
        print('%s\t%d\t%.6f\t%.2f\t%.6f' % (label, size, per, size / per / 1e6, (time.thread_time() - cpu) / passes))
    except Exception as e:
        print('%s\t%d\t-\tn/a (%s)\t-' % (label, size, type(e).__name__))
PY
done
# medians over the rounds, per tool and group (the groups keep their order); wall and this-thread CPU time
/usr/bin/python3 - "$results" <<'PY'
import sys, statistics
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
order, wall, cpu, size = [], {}, {}, {}
for tool, label, nbytes, per, _, cpu_per, *_ in rows:
    if label not in size: order.append(label); size[label] = int(nbytes)
    if per != '-':
        wall.setdefault((tool, label), []).append(float(per)); cpu.setdefault((tool, label), []).append(float(cpu_per))
med = lambda d, k: statistics.median(d[k]) if k in d else None
mb = lambda label, t: '%.1f' % (size[label] / t / 1e6) if t else 'n/a'
ratio = lambda y, p: '%.2fx' % (p / y) if y and p else '-'
print('| files | bytes | yax MB/s (wall) | pydicom MB/s (wall) | yax / pydicom (wall) | yax MB/s (CPU) | pydicom MB/s (CPU) | yax / pydicom (CPU) |')
print('|---|---|---|---|---|---|---|---|')
for label in order:
    yw, pw, yc, pc = med(wall, ('yax', label)), med(wall, ('py', label)), med(cpu, ('yax', label)), med(cpu, ('py', label))
    print('| %s | %d | %s | %s | %s | %s | %s | %s |' % (label, size[label], mb(label, yw), mb(label, pw), ratio(yw, pw),
                                                     mb(label, yc), mb(label, pc), ratio(yc, pc)))
PY
