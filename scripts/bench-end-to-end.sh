#!/usr/bin/env bash
# End to end, before and after (#17 point 5): whole `yax reconstruct` runs of two builds side by side, alternated
# round by round, each in a fresh JVM and a fresh output folder, with wall seconds, CPU seconds (user + system),
# peak RSS and the load average before each run; then the medians per workload and build and after/before.
#   BEFORE=/path/to/older/yax bash scripts/bench-end-to-end.sh [--rounds R] [--size N] [--workloads W,W] [--keep DIR]
# Workloads (default: all):
#   demo-denoise  the demo's first job: every file of the sample archive, --task denoise, defaults (auto)
#   demo-sr2      the demo's second job: the rasters and CT_small.dcm, --task sr --scale 2, defaults (auto)
#   big-denoise-auto, big-denoise-tv, big-sr2-auto, big-sr2-tv
#                 an N x N single-band GeoTIFF (default 4096: band 1 of the sample Landsat scene, resampled with
#                 GDAL's cubic kernel, Gaussian noise of 5% of its range added, seed 0; its CRS and geotransform
#                 kept), denoised or super-resolved x2 with --method auto or tv
# BEFORE is the launcher of the build to compare with (a worktree of an older commit, built with
# `mvn -o -q -B -pl cli -am package -DskipTests`); the after side is this checkout's ./yax.
set -euo pipefail
cd "$(dirname "$0")/.."
before="${BEFORE:?set BEFORE to the launcher of the build to compare with}"
rounds=3
size=4096
workloads="demo-denoise,demo-sr2,big-denoise-auto,big-denoise-tv,big-sr2-auto,big-sr2-tv"
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "bench-end-to-end: unknown argument $1" >&2; exit 2 ;;
  esac
done
data=sample-data/data
[ -f "$data/archive/raster/L7_ETMs.tif" ] || { echo "bench-end-to-end: no sample data: run scripts/setup.sh" >&2; exit 1; }
if [ -n "$keep" ]; then
  work="$(mkdir -p "$keep" && cd "$keep" && pwd)"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
big="$work/big-$size.tif"
if [[ ",$workloads," == *",big-"* ]] && [ ! -f "$big" ]; then
  /usr/bin/python3 - "$data/archive/raster/L7_ETMs.tif" "$big" "$size" <<'PY'
import os, sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tmp = out + ".tmp.tif"
gdal.Translate(tmp, src, bandList=[1], width=n, height=n, resampleAlg="cubic", outputType=gdal.GDT_Float32)
ds = gdal.Open(tmp, gdal.GA_Update)
band = ds.GetRasterBand(1)
a = band.ReadAsArray().astype(np.float64)
noisy = a + np.random.default_rng(0).normal(0, 0.05 * (a.max() - a.min()), a.shape)
band.WriteArray(np.clip(np.rint(noisy), 0, 255).astype(np.float32))
ds = None
gdal.Translate(out + ".part.tif", tmp, outputType=gdal.GDT_Byte, creationOptions=["TILED=YES", "COMPRESS=DEFLATE"])
os.replace(out + ".part.tif", out)
os.remove(tmp)
PY
fi

args_of() {
  case "$1" in
    demo-denoise) echo "$data/archive --task denoise" ;;
    demo-sr2) echo "$data/archive/raster $data/archive/dicom/CT_small.dcm --task sr --scale 2" ;;
    big-denoise-auto) echo "$big --task denoise" ;;
    big-denoise-tv) echo "$big --task denoise --method tv" ;;
    big-sr2-auto) echo "$big --task sr --scale 2" ;;
    big-sr2-tv) echo "$big --task sr --scale 2 --method tv" ;;
    *) echo "bench-end-to-end: unknown workload $1" >&2; exit 2 ;;
  esac
}

rows="$work/rows.tsv"
: > "$rows"
echo "before: $before ($(git -C "$(dirname "$before")" rev-parse --short HEAD)), after: ./yax ($(git rev-parse --short HEAD)); $rounds round(s); $(nproc) cores"
for r in $(seq 1 "$rounds"); do
  for w in ${workloads//,/ }; do
    if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
      exe=./yax
      [ "$side" = before ] && exe="$before"
      out="$work/out-$w-$side"
      rm -rf "$out"
      load=$(cut -d' ' -f1 /proc/loadavg)
      # no HTML report where the build writes one (#18), so both sides do the same work
      nohtml=""
      "$exe" reconstruct --help 2>&1 | grep -q -- '--no-html' && nohtml="--no-html"
      # shellcheck disable=SC2046
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$exe" reconstruct $(args_of "$w") -o "$out" $nohtml \
        > "$work/log-$w-$side" 2>&1 || { echo "bench-end-to-end: $w ($side) failed:" >&2; tail -5 "$work/log-$w-$side" >&2; exit 1; }
      read -r wall user sys rss < "$work/time"
      cpu=$(echo "$user + $sys" | bc)
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$w" "$side" "$r" "$wall" "$cpu" "$((rss / 1024))" "$load" >> "$rows"
      printf "round %s %-17s %-6s %8.1f s wall %8.1f s CPU %6d MiB peak (load %s)\n" "$r" "$w" "$side" "$wall" "$cpu" \
        "$((rss / 1024))" "$load"
    done
  done
done
echo
echo "| workload | before: wall s | after: wall s | after/before (wall) | before: CPU s | after: CPU s | after/before (CPU) | peak MiB before / after |"
echo "|---|---|---|---|---|---|---|---|"
/usr/bin/python3 - "$rows" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
order = []
for r in rows:
    if r[0] not in order:
        order.append(r[0])
for w in order:
    def med(side, col):
        return statistics.median(float(r[col]) for r in rows if r[0] == w and r[1] == side)
    wb, wa, cb, ca = med("before", 3), med("after", 3), med("before", 4), med("after", 4)
    print("| %s | %.1f | %.1f | %.2fx | %.1f | %.1f | %.2fx | %d / %d |" % (
        w, wb, wa, wa / wb, cb, ca, ca / cb, med("before", 5), med("after", 5)))
PY
echo "medians of $rounds alternated run(s); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
