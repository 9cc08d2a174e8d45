#!/usr/bin/env bash
# Peak memory of `yax reconstruct` (denoise, 3-D TV volume path) on a generated CT series of SLICES x SIZE x SIZE
# (default 300 x 512 x 512, 16-bit, ~157 MB; generated here, never committed), next to the same command on a
# 2-slice series of the same size (the baseline: the JVM, and the engine where the run loads it).
# Usage: bash scripts/bench-series-memory.sh [SLICES] [SIZE]; results in docs/DICOM-BENCHMARK.md
# COMPARE_WITH=/path/to/another/checkout/yax ROUNDS=N: the big series also with that launcher (e.g. the commit
# before a change), alternated with this one N times, each row labelled with its launcher, same data.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
slices="${1:-300}"
size="${2:-512}"
template="$here/sample-data/data/archive/dicom/phantom-ct/IM0001.dcm"
[ -f "$template" ] || { echo "bench-series-memory: run scripts/setup.sh first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
generate() { # DIR SLICES: an axial CT series (nested ellipsoids, Gaussian noise sigma 40 HU), headers from the template
  /usr/bin/python3 - "$template" "$1" "$2" "$size" <<'PY'
import sys, os, numpy as np, pydicom
from pydicom.uid import generate_uid
template, out, n, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1)
series = generate_uid()
y, x = np.mgrid[0:size, 0:size]
u, v = (x - size / 2) / (size * 0.42), (y - size / 2) / (size * 0.36)
for k in range(n):
    ds = pydicom.dcmread(template)
    s = (k - n / 2) / (max(n, 2) * 0.55)
    hu = np.full((size, size), -1000.0)
    hu[u * u + v * v + s * s < 1] = 40.0
    a, b, c = (x - size * 0.4) / (size * 0.12), (y - size * 0.55) / (size * 0.2), (k - n * 0.45) / (max(n, 2) * 0.3)
    hu[a * a + b * b + c * c < 1] = 1000.0
    hu += rng.normal(0, 40, hu.shape)
    stored = np.clip(np.round(hu + 1024), -32768, 32767).astype(np.int16)
    ds.Rows, ds.Columns = size, size
    ds.PixelSpacing = [0.5, 0.5]
    ds.ImagePositionPatient = [-size * 0.25, -size * 0.25, k * 1.0]
    ds.SliceLocation = k * 1.0
    ds.SliceThickness = 1.0
    ds.InstanceNumber = k + 1
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PixelData = stored.tobytes()
    ds.save_as(os.path.join(out, 'IM%04d.dcm' % (k + 1)))
PY
}
run() { # LABEL DIR [LAUNCHER]: one fresh JVM, peak RSS and wall time from GNU time
  /usr/bin/time -v -o "$work/time-$1" "${3:-$here/yax}" reconstruct "$2" -o "$work/out-$1" --report "$work/r-$1.json" \
    > "$work/log-$1" 2>&1 || { cat "$work/log-$1" >&2; exit 1; }
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$1")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time-$1")
  bytes=$(du -sb "$2" | cut -f1)
  how=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["items"][0]; print(r["status"], "|", r.get("reconstruction"), "| solve", r.get("secondsSolve"), "s")' "$work/r-$1.json")
  printf '| %s | %s | %.1f | %.0f | %.2f | %s | %s |\n' "$1" "$(ls "$2" | wc -l)" "$(echo "$bytes / 1048576" | bc -l)" \
    "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$rss_kb * 1024 / $bytes" | bc -l)" "$wall" "$how"
}
generate "$work/small" 2
generate "$work/big" "$slices"
echo "| series | slices | data MiB | peak RSS MiB | RSS / data | wall | row |"
echo "|---|---|---|---|---|---|---|"
run baseline "$work/small"
if [ -n "${COMPARE_WITH:-}" ]; then
  echo "other = $COMPARE_WITH, this = $here/yax"
  for round in $(seq "${ROUNDS:-2}"); do
    run "other-$round" "$work/big" "$COMPARE_WITH"
    rm -rf "$work"/out-*
    run "this-$round" "$work/big"
    rm -rf "$work"/out-*
    echo "load after round $round: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
else
  run "${slices}x${size}x${size}" "$work/big"
fi
echo "JAVA_OPTS=${JAVA_OPTS:-} machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
