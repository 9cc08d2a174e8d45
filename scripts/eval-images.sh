#!/usr/bin/env bash
# The images of one evaluation set, one path per line (docs/MODELS.md, "Image sets"):
#   scripts/eval-images.sh heldout|validation DATA OUT
# the files of DATA/SET (but the out-of-domain phantom) and three single-band Landsat 7 crops written into OUT/landsat:
# held-out bands 1-3 of the north half, validation bands 4-6 of the south half, so the sets share no pixel (349 x 352
# scene: rows 0-175 and 176-351).
set -euo pipefail
set_name="$1"; data="$2"; out="$3"
mkdir -p "$out/landsat"
if [ "$set_name" = heldout ]; then bands=(1 2 3); rows=0; else bands=(4 5 6); rows=176; fi
find "$data/$set_name" -type f ! -name phantom.png | sort
for b in "${bands[@]}"; do
  crop="$out/landsat/L7_ETMs-b$b-$([ "$rows" = 0 ] && echo north || echo south).tif"
  gdal_translate -q -b "$b" -srcwin 0 "$rows" 349 176 "$data/archive/raster/L7_ETMs.tif" "$crop"
  echo "$crop"
done
