#!/usr/bin/env bash
# Through-plane super-resolution (--task sr --axes z) of a 512 x 512 x 60 series at x3 (180 output slices): peak
# RSS of `yax reconstruct` per method against the output's size, wall time, and the network's adaptation time; and
# the same command's peak on a tiny series (8 slices of 64 x 64 cut from it): what the method costs whatever the
# volume (JVM, engine, model, adaptation), against which the ratio can be read.
# The series is made from the generated phantom CT (interpolated to 60 slices of 3 mm, 512 x 512 pixels of 0.45 mm).
# Usage: bash scripts/bench-sr-z.sh [METHOD...]   METHOD: cubic, tv, network (= network:100) or network:STEPS (the
# --adapt steps); default: cubic tv network:100 network:0
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
phantom="$here/sample-data/data/ground-truth/dicom/phantom-ct"
[ -d "$phantom" ] || { echo "bench-sr-z: no phantom series at $phantom: run scripts/setup.sh" >&2; exit 1; }
methods=("$@")
[ ${#methods[@]} -gt 0 ] || methods=(cubic tv network:100 network:0)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$phantom" "$work/in" "$work/tiny" <<'PY'
import glob, os, sys
import numpy as np, pydicom
src = sorted(glob.glob(sys.argv[1] + '/*.dcm'))
heads = sorted((pydicom.dcmread(f) for f in src), key=lambda d: float(d.ImagePositionPatient[2]))
vol = np.stack([d.pixel_array.astype(np.float32) for d in heads])
os.makedirs(sys.argv[2])
os.makedirs(sys.argv[3])
for k in range(60):
    t = k * (len(heads) - 1) / 59.0
    i = min(int(t), len(heads) - 2)
    img = np.kron((1 - (t - i)) * vol[i] + (t - i) * vol[i + 1], np.ones((2, 2), np.float32))
    d = pydicom.dcmread(src[0])
    dtype = d.pixel_array.dtype
    d.Rows, d.Columns, d.PixelSpacing, d.SliceThickness = 512, 512, [0.45, 0.45], 3
    d.ImagePositionPatient, d.SliceLocation, d.InstanceNumber = [-114.975, -114.975, 3.0 * k], 3.0 * k, k + 1
    d.SeriesInstanceUID = '1.2.826.0.1.3680043.2.1125.99.1'
    d.SOPInstanceUID = d.file_meta.MediaStorageSOPInstanceUID = '1.2.826.0.1.3680043.2.1125.99.2.%d' % k
    d.PixelData = np.round(img).astype(dtype).tobytes()
    d.save_as(os.path.join(sys.argv[2], 'IM%04d.dcm' % (k + 1)))
    if k < 8:
        # the tiny series: the same slices' centre, 64 x 64
        d.Rows, d.Columns = 64, 64
        d.PixelData = np.round(img[224:288, 224:288]).astype(dtype).tobytes()
        d.save_as(os.path.join(sys.argv[3], 'IM%04d.dcm' % (k + 1)))
PY
# run NAME INPUT METHOD STEPS: the command's wall seconds and peak RSS (KiB) into $work/time-NAME
run() {
  local extra=()
  [ "$3" != network ] || extra=(--adapt "$4")
  /usr/bin/time -f '%e %M' -o "$work/time-$1" "$here/yax" reconstruct "$2" -o "$work/out-$1" --task sr \
    --axes z --scale 3 --method "$3" "${extra[@]}" --report "$work/r-$1.json" > "$work/log-$1" 2>&1 \
    || { cat "$work/log-$1" >&2; exit 1; }
}
printf '%-12s %8s %12s %14s %8s %10s %14s\n' method seconds peak_RSS_MiB output_MiB ratio adapt_s tiny_peak_MiB
for spec in "${methods[@]}"; do
  m="${spec%%:*}"
  steps=100
  [ "$spec" = "$m" ] || steps="${spec#*:}"
  name="${m}-${steps}"
  run "$name" "$work/in" "$m" "$steps"
  run "$name-tiny" "$work/tiny" "$m" "$steps"
  read -r secs rss_kb < "$work/time-$name"
  read -r _ tiny_kb < "$work/time-$name-tiny"
  out_bytes=$(du -sb "$work/out-$name" | cut -f1)
  adapt=$(grep -o 'adaptation [0-9.]* s' "$work/r-$name.json" | head -1 | cut -d' ' -f2 || true)
  label="$m"
  [ "$m" != network ] || label="$m:$steps"
  /usr/bin/python3 -c 'import sys; m,s,r,o,a,t=sys.argv[1:]; r=int(r)/1024; o=int(o)/2**20
print("%-12s %8.1f %12.0f %14.1f %8.2f %10s %14.0f" % (m, float(s), r, o, r / o, a or "-", int(t) / 1024))' \
    "$label" "$secs" "$rss_kb" "$out_bytes" "${adapt:-}" "$tiny_kb"
done
echo "output: $(ls "$work/out-$name" | wc -l) slices; machine: $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
