#!/usr/bin/env bash
# Spark's overhead over the local batch engine (docs/DISTRIBUTED.md, "Benchmark"): items per minute and peak RSS of
#   yax reconstruct --jobs 2       (the local engine, 2 workers)
#   yax spark --master local[2]    (the same recipe on Spark, embedded, 2 executor cores)
#   yax spark --master local[1]    (1 executor core: how Spark scales from 1 to 2 cores)
# on one generated archive (>= 200 items: DICOM series cut from phantom-ct, single DICOM files copied from
# CT_small/MR_small with new UIDs, GeoTIFF crops of the sample rasters), in the same run, alternated (round r runs
# the modes in order, round r+1 in reverse order), each in a fresh JVM and a fresh output folder, with the load
# average printed before each run. Outputs of the first round are compared (scripts/compare-trees.py): Spark must
# write what reconstruct writes. Per-item costs by kind come from reconstruct's report rows.
#
# Usage: bash scripts/bench-spark.sh [--items N] [--rounds R] [--keep DIR] [--modes M,M] [-- YAX_OPTIONS...]
#   --items N    archive size (default 220; at least 200 for the documented numbers)
#   --rounds R   alternated rounds (default 2)
#   --keep DIR   generate (or reuse) the archive in DIR and keep reports and logs there
#   --modes      which of reconstruct-j2,spark-local2,spark-local1 to run (default: all three)
#   YAX_OPTIONS  passed to both commands (default: none, i.e. --task denoise --method auto)
# Needs: ./yax built with `yax spark` (scripts/setup.sh), /usr/bin/python3 with pydicom, numpy and GDAL (Debian).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
items=220
rounds=2
keep=""
modes_arg="reconstruct-j2,spark-local2,spark-local1"
while [ $# -gt 0 ]; do
  case "$1" in
    --items) items="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --modes) modes_arg="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "bench-spark: unknown argument $1" >&2; exit 2 ;;
  esac
done
yax_opts=("$@")
data="$here/sample-data/data"
[ -f "$data/archive/dicom/CT_small.dcm" ] || { echo "bench-spark: no sample data: run scripts/setup.sh" >&2; exit 1; }
"$here/yax" spark --help > /dev/null 2>&1 || { echo "bench-spark: './yax spark' does not run here (not built?)" >&2; exit 1; }

if [ -n "$keep" ]; then
  work="$(mkdir -p "$keep" && cd "$keep" && pwd)"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
archive="$work/archive"

# ---- the archive -------------------------------------------------------------------------------------------------
if [ ! -f "$archive/.complete" ]; then
  rm -rf "$archive" "$work"/out-*
  /usr/bin/python3 - "$data" "$archive" "$items" <<'PY'
import os, sys, glob
import pydicom
from pydicom.uid import generate_uid
from osgeo import gdal
gdal.UseExceptions()
data, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
n_series = n * 32 // 100          # DICOM series of 5 slices cut from phantom-ct
n_files = (n - n_series) // 2     # single DICOM files (CT_small, MR_small)
n_rasters = n - n_series - n_files  # GeoTIFF crops
phantom = sorted(glob.glob(os.path.join(data, "archive/dicom/phantom-ct/*.dcm")))
def renew(ds, study, series):
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
for s in range(n_series):
    d = os.path.join(out, "dicom-series", "s%04d" % s)
    os.makedirs(d)
    start = (s * 3) % (len(phantom) - 5)
    study, series = generate_uid(), generate_uid()
    for k, f in enumerate(phantom[start:start + 5]):
        ds = pydicom.dcmread(f)
        renew(ds, study, series)
        ds.InstanceNumber = k + 1
        ds.save_as(os.path.join(d, "IM%04d.dcm" % (k + 1)))
singles = [os.path.join(data, "archive/dicom", x) for x in ("CT_small.dcm", "MR_small.dcm")]
d = os.path.join(out, "dicom-files")
os.makedirs(d)
for i in range(n_files):
    ds = pydicom.dcmread(singles[i % 2])
    renew(ds, generate_uid(), generate_uid())
    ds.save_as(os.path.join(d, "%s-%04d.dcm" % (("ct", "mr")[i % 2], i)))
rasters = [os.path.join(data, "archive/raster", x) for x in ("L7_ETMs.tif", "rotated-multiband.tif")]
d = os.path.join(out, "rasters")
os.makedirs(d)
for i in range(n_rasters):
    src = gdal.Open(rasters[i % 2])
    size = 96
    x = (i * 37) % (src.RasterXSize - size)
    y = (i * 53) % (src.RasterYSize - size)
    gdal.Translate(os.path.join(d, "crop-%04d.tif" % i), src, srcWin=[x, y, size, size])
    src = None
open(os.path.join(out, ".complete"), "w").write("%d series, %d DICOM files, %d GeoTIFFs\n" % (n_series, n_files, n_rasters))
PY
fi
echo "archive: $archive: $(cat "$archive/.complete") ($(find "$archive" -type f ! -name '.*' | wc -l) files," \
  "$(du -sh "$archive" | cut -f1))"

# ---- the runs ----------------------------------------------------------------------------------------------------
IFS=, read -r -a modes <<< "$modes_arg"
reversed=()
for ((i = ${#modes[@]} - 1; i >= 0; i--)); do reversed+=("${modes[i]}"); done
results="$work/results.tsv"
: > "$results"
run_mode() { # mode round
  local mode="$1" round="$2" out="$work/out-$1-$2" report="$work/report-$1-$2.json" cmd
  rm -rf "$out"
  case "$mode" in
    reconstruct-j2) cmd=("$here/yax" reconstruct "$archive" -o "$out" --jobs 2) ;;
    spark-local2) cmd=("$here/yax" spark "$archive" -o "$out" --master 'local[2]') ;;
    spark-local1) cmd=("$here/yax" spark "$archive" -o "$out" --master 'local[1]') ;;
  esac
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "${cmd[@]}" --report "$report" "${yax_opts[@]}" \
    > "$work/log-$mode-$round" 2>&1 || rc=$?
  read -r secs rss_kb usr_s sys_s < <(tail -n 1 "$work/time")
  local cpu; cpu=$(/usr/bin/python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) + float(sys.argv[2])))' \
    "$usr_s" "$sys_s")
  local done_items
  done_items=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["done"])' "$report")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$round" "$done_items" "$secs" "$rss_kb" "$load" "$rc" "$cpu" \
    >> "$results"
  /usr/bin/python3 -c 'import sys; m,r,n,s,k,l,rc,c=sys.argv[1:]
print("%-15s %5s %6s %8.1f %10.1f %12.0f %8s  %-16s %s" % (m, r, n, float(s), int(n) / float(s) * 60, int(k) / 1024, c, l, rc))' \
    "$mode" "$round" "$done_items" "$secs" "$rss_kb" "$load" "$rc" "$cpu"
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); yax options: ${yax_opts[*]:-(defaults)}"
printf '%-15s %5s %6s %8s %10s %12s %8s  %-16s %s\n' mode round items seconds items/min peak_RSS_MiB cpu_s \
  'load (1/5/15)' rc
for ((r = 1; r <= rounds; r++)); do
  if (( r % 2 == 1 )); then order=("${modes[@]}"); else order=("${reversed[@]}"); fi
  for m in "${order[@]}"; do run_mode "$m" "$r"; done
done
echo "load when finished: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- same outputs? -----------------------------------------------------------------------------------------------
for m in spark-local2 spark-local1; do
  [[ ",$modes_arg," == *",$m,"* && ",$modes_arg," == *",reconstruct-j2,"* ]] || continue
  if /usr/bin/python3 "$here/scripts/compare-trees.py" "$work/out-reconstruct-j2-1" "$work/out-$m-1" \
      > "$work/compare-$m.txt" 2>&1; then
    echo "outputs: $m = reconstruct-j2 (compare-trees.py exit 0)"
  else
    echo "outputs: $m DIFFERS from reconstruct-j2: $(tail -1 "$work/compare-$m.txt")"
  fi
done

# ---- summary: medians per mode, Spark's overhead, per-item costs by kind -----------------------------------------
/usr/bin/python3 - "$results" "$work" <<'PY'
import json, glob, os, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for m, r, n, s, k, load, rc, cpu in rows:
    by.setdefault(m, []).append((int(n) / float(s) * 60, int(k) / 1024, float(s), float(cpu) / int(n)))
med = {m: (statistics.median(x[0] for x in v), max(x[1] for x in v), statistics.median(x[2] for x in v),
           statistics.median(x[3] for x in v)) for m, v in by.items()}
print("\nmedian items/min, max peak RSS MiB, median seconds, median CPU seconds per item:")
for m, (ipm, rss, s, cpi) in med.items():
    print("  %-15s %8.1f %8.0f %8.1f %8.3f" % (m, ipm, rss, s, cpi))
if "reconstruct-j2" in med and "spark-local2" in med:
    over = 1 - med["spark-local2"][0] / med["reconstruct-j2"][0]
    print("Spark's overhead (local[2] vs --jobs 2, items/min): %+.1f%% (target <= 10%%): %s"
          % (100 * over, "met" if over <= 0.10 else "NOT met"))
if "spark-local1" in med and "spark-local2" in med:
    print("1 -> 2 executor cores: %.2fx items/min" % (med["spark-local2"][0] / med["spark-local1"][0]))
# per-item cost by kind (reconstruct's report, every round): seconds_total per item
cost = {}
for f in glob.glob(os.path.join(sys.argv[2], "report-reconstruct-j2-*.json")):
    for it in json.load(open(f))["items"]:
        if it.get("status") != "done":
            continue
        kind = "series" if it.get("series") else ("dicom-file" if it.get("input", "").endswith(".dcm") else "raster")
        t = it.get("secondsTotal", it.get("seconds_total"))
        if t is not None:
            cost.setdefault(kind, []).append(float(t))
print("per-item cost in reconstruct (one worker's seconds, median / mean / max):")
for kind, v in sorted(cost.items()):
    print("  %-10s n=%-4d %6.2f %6.2f %6.2f" % (kind, len(v), statistics.median(v), statistics.mean(v), max(v)))
PY
