#!/usr/bin/env bash
# GDAL streaming benchmark: makes a SIZE x SIZE float32 GeoTIFF (default 12000, 549 MiB of pixels) with
# python3-gdal in blocks, then
#   1. ROUNDS times (default 3), alternating: copies it through GdalTiledProcessing with the identity function
#      (read, blend, write; JVM start included) and with gdal_translate using the same creation options;
#      prints every time, the medians and the ratio of the medians;
#   2. runs a 3x3 mean through GdalTiledProcessing in a JVM with -Xmx256m and prints its time and peak RSS (VmHWM).
# Work files go to out/bench-gdal/ (removed at the end unless KEEP=1). Usage: scripts/bench-gdal.sh [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-12000}
OUT=out/bench-gdal
mkdir -p "$OUT"
mvn -B -q -o -pl io -am test-compile >&2
mvn -B -q -o -pl io dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/cp.txt" >&2
# this tree's core classes, never a yax jar from ~/.m2 (another build may have installed a different one)
CP="io/target/classes:io/target/test-classes:core/target/classes:$(tr ':' '\n' < "$OUT/cp.txt" | grep -v '/org/yax/' | paste -sd:)"
JAVA=(java -Djava.library.path=/usr/lib/jni -cp "$CP")

echo "making ${SIZE}x${SIZE} float32 input ..." >&2
/usr/bin/python3 - "$OUT/input.tif" "$SIZE" <<'PY'
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
path, n = sys.argv[1], int(sys.argv[2])
ds = gdal.GetDriverByName('GTiff').Create(path, n, n, 1, gdal.GDT_Float32, ['TILED=YES', 'BIGTIFF=IF_SAFER'])
ds.SetGeoTransform([500000.0, 10.0, 0.0, 4600000.0, 0.0, -10.0])
b = ds.GetRasterBand(1); b.SetNoDataValue(-9999)
rng = np.random.default_rng(1)
xs = np.arange(n, dtype=np.float32)[None, :]
for y0 in range(0, n, 1024):
    rows = min(1024, n - y0)
    ys = np.arange(y0, y0 + rows, dtype=np.float32)[:, None]
    b.WriteArray((0.3 * xs + 0.2 * ys + rng.normal(0, 5, (rows, n))).astype(np.float32), 0, y0)
ds = None
PY

now() { date +%s.%N; }
ROUNDS=${ROUNDS:-3}
: > "$OUT/times.txt"
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  "${JAVA[@]}" -Xmx256m org.yax.io.gdal.BoxFilterStreamingMain "$OUT/input.tif" "$OUT/identity.tif" identity 1024 \
    > "$OUT/identity-$round.log"
  t1=$(now)
  gdal_translate -q -co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256 -co COMPRESS=DEFLATE -co PREDICTOR=3 \
    -co BIGTIFF=IF_SAFER "$OUT/input.tif" "$OUT/translate.tif"
  t2=$(now)
  echo "$round $t0 $t1 $t2" >> "$OUT/times.txt"
  echo "round $round: yax $(echo "$t1 - $t0" | bc) s, gdal_translate $(echo "$t2 - $t1" | bc) s" >&2
done
t3=$(now)
"${JAVA[@]}" -Xmx256m org.yax.io.gdal.BoxFilterStreamingMain "$OUT/input.tif" "$OUT/box3.tif" box3 1024 \
  > "$OUT/box3.log"
t4=$(now)
/usr/bin/python3 - "$t3" "$t4" "$SIZE" "$OUT" <<'PY'
import sys, re, statistics, glob
t3, t4 = map(float, sys.argv[1:3]); n = int(sys.argv[3]); out = sys.argv[4]
rounds = [list(map(float, l.split()[1:])) for l in open(out + '/times.txt')]
yax = [b - a for a, b, c in rounds]; gt = [c - b for a, b, c in rounds]
mpx = n * n / 1e6
hwm = lambda f: int(re.search(r'vmhwm_kb=(\d+)', open(f).read()).group(1)) / 1024
hwms = [hwm(f) for f in sorted(glob.glob(out + '/identity-*.log'))]
my, mg = statistics.median(yax), statistics.median(gt)
print(f"size {n}x{n} float32 ({n*n*4/2**20:.0f} MiB of pixels), {len(rounds)} alternating rounds")
print("identity via GdalTiledProcessing (s): " + ", ".join(f"{t:.1f}" for t in yax) + f"; median {my:.1f} ({mpx/my:.1f} Mpx/s, JVM start included)")
print("gdal_translate same options (s):      " + ", ".join(f"{t:.1f}" for t in gt) + f"; median {mg:.1f} ({mpx/mg:.1f} Mpx/s)")
print(f"ratio of medians yax/gdal_translate:  {my/mg:.2f}")
print(f"identity peak RSS (MiB):              {', '.join(f'{h:.0f}' for h in hwms)}")
print(f"3x3 mean, -Xmx256m:                   {t4 - t3:.1f} s, peak RSS {hwm(out + '/box3.log'):.0f} MiB")
PY
if [ "${KEEP:-0}" != 1 ]; then rm -f "$OUT"/*.tif; fi
