#!/usr/bin/env bash
# GDAL streaming benchmark: makes a SIZE x SIZE float32 GeoTIFF (default 12000, 576 MB of pixels) with
# python3-gdal in blocks, then
#   1. copies it through GdalTiledProcessing with the identity function (read, blend, write) and with
#      gdal_translate using the same creation options, and prints both times and their ratio;
#   2. runs a 3x3 mean through GdalTiledProcessing in a JVM with -Xmx256m and prints its peak RSS (VmHWM).
# Work files go to out/bench-gdal/ (removed at the end unless KEEP=1). Usage: scripts/bench-gdal.sh [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-12000}
OUT=out/bench-gdal
mkdir -p "$OUT"
mvn -B -q -o -pl io -am test-compile >&2
mvn -B -q -o -pl io dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/cp.txt" >&2
CP="io/target/classes:io/target/test-classes:$(cat "$OUT/cp.txt")"
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
t0=$(now)
"${JAVA[@]}" -Xmx256m org.yax.io.gdal.BoxFilterStreamingMain "$OUT/input.tif" "$OUT/identity.tif" identity 1024 \
  | tee "$OUT/identity.log"
t1=$(now)
gdal_translate -q -co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256 -co COMPRESS=DEFLATE -co PREDICTOR=3 \
  -co BIGTIFF=IF_SAFER "$OUT/input.tif" "$OUT/translate.tif"
t2=$(now)
"${JAVA[@]}" -Xmx256m org.yax.io.gdal.BoxFilterStreamingMain "$OUT/input.tif" "$OUT/box3.tif" box3 1024 \
  | tee "$OUT/box3.log"
t3=$(now)
/usr/bin/python3 - "$t0" "$t1" "$t2" "$t3" "$SIZE" "$OUT" <<'PY'
import sys, re
t0, t1, t2, t3 = map(float, sys.argv[1:5]); n = int(sys.argv[5]); out = sys.argv[6]
mpx = n * n / 1e6
yax, gt, box = t1 - t0, t2 - t1, t3 - t2
hwm = lambda f: int(re.search(r'vmhwm_kb=(\d+)', open(f).read()).group(1)) / 1024
print(f"size {n}x{n} float32 ({n*n*4/2**20:.0f} MiB of pixels)")
print(f"identity via GdalTiledProcessing: {yax:.1f} s ({mpx/yax:.1f} Mpx/s, JVM start included), peak RSS {hwm(out + '/identity.log'):.0f} MiB")
print(f"gdal_translate same options:      {gt:.1f} s ({mpx/gt:.1f} Mpx/s)")
print(f"ratio yax/gdal_translate:         {yax/gt:.2f}")
print(f"3x3 mean, -Xmx256m:               {box:.1f} s, peak RSS {hwm(out + '/box3.log'):.0f} MiB")
PY
if [ "${KEEP:-0}" != 1 ]; then rm -f "$OUT"/*.tif; fi
