#!/usr/bin/env bash
# Through-plane super-resolution (--task sr --axes z) of a 512 x 512 x 60 series at x3 (180 output slices): peak
# RSS of `yax reconstruct` per method against the output's size, wall time, and the network's adaptation time.
# The series is made from the generated phantom CT (interpolated to 60 slices of 3 mm, 512 x 512 pixels of 0.45 mm).
# Usage: bash scripts/bench-sr-z.sh [METHOD...]   (default: cubic tv network; network runs --adapt 100)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
phantom="$here/sample-data/data/ground-truth/dicom/phantom-ct"
[ -d "$phantom" ] || { echo "bench-sr-z: no phantom series at $phantom: run scripts/setup.sh" >&2; exit 1; }
methods=("$@")
[ ${#methods[@]} -gt 0 ] || methods=(cubic tv network)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$phantom" "$work/in" <<'PY'
import glob, os, sys
import numpy as np, pydicom
src = sorted(glob.glob(sys.argv[1] + '/*.dcm'))
heads = sorted((pydicom.dcmread(f) for f in src), key=lambda d: float(d.ImagePositionPatient[2]))
vol = np.stack([d.pixel_array.astype(np.float32) for d in heads])
os.makedirs(sys.argv[2])
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
PY
printf '%-8s %8s %12s %14s %8s %10s\n' method seconds peak_RSS_MiB output_MiB ratio adapt_s
for m in "${methods[@]}"; do
  extra=()
  [ "$m" != network ] || extra=(--adapt 100)
  /usr/bin/time -f '%e %M' -o "$work/time" "$here/yax" reconstruct "$work/in" -o "$work/out-$m" --task sr \
    --axes z --scale 3 --method "$m" "${extra[@]}" --report "$work/r-$m.json" > "$work/log-$m" 2>&1 \
    || { cat "$work/log-$m" >&2; exit 1; }
  read -r secs rss_kb < "$work/time"
  out_bytes=$(du -sb "$work/out-$m" | cut -f1)
  adapt=$(grep -o 'adaptation [0-9.]* s' "$work/r-$m.json" | head -1 | cut -d' ' -f2 || true)
  /usr/bin/python3 -c 'import sys; m,s,r,o,a=sys.argv[1:]; r=int(r)/1024; o=int(o)/2**20
print("%-8s %8.1f %12.0f %14.1f %8.2f %10s" % (m, float(s), r, o, r / o, a or "-"))' "$m" "$secs" "$rss_kb" "$out_bytes" "${adapt:-}"
done
echo "output: $(ls "$work/out-${methods[0]}" | wc -l) slices; machine: $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
