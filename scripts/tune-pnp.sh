#!/usr/bin/env bash
# Plug-and-play schedules tried on one image set (docs/MODELS.md, "Plug-and-play details"), without a rebuild:
#   scripts/tune-pnp.sh validation|heldout ITERATIONS SIGMA_START TASK_ARGS...
# e.g. scripts/tune-pnp.sh validation 8 12 --task sr --scale 2   (8 iterations from 12/255)
# ITERATIONS or SIGMA_START "default" keeps the task's own. Runs `yax eval --methods pnp` on the set's 12 images
# with the schedule set through JAVA_OPTS (the system properties yax.pnp.iterations and yax.pnp.sigmaStart, in 1/255)
# and prints PSNR per image and the mean; the report lands in out/tune-pnp/. Tune on validation only: the held-out
# set is for one check of the chosen schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
set_name="${1:?set: validation or heldout}"; iterations="${2:?iterations}"; start="${3:?sigma start in 1/255}"
shift 3
case "$set_name" in heldout|validation) ;; *) echo "tune-pnp: the set is heldout or validation" >&2; exit 2 ;; esac
data="${YAX_EVAL_DATA:-sample-data/data}"
[ -n "${YAX_EVAL_DATA:-}" ] || bash scripts/setup.sh >&2
out="out/tune-pnp"
mapfile -t images < <(bash scripts/eval-images.sh "$set_name" "$data" "$out/$set_name")
opts=""
[ "$iterations" = default ] || opts="$opts -Dyax.pnp.iterations=$iterations"
[ "$start" = default ] || opts="$opts -Dyax.pnp.sigmaStart=$start"
report="$out/$set_name-$(echo "$*" | tr -cd 'a-z0-9')-$iterations-$start.csv"
JAVA_OPTS="${JAVA_OPTS:-}$opts" ./yax eval "${images[@]}" --methods pnp --report "$report" "$@" > "$report.log" 2>&1 \
  || { cat "$report.log" >&2; exit 1; }
/usr/bin/python3 - "$report" "$iterations" "$start" "$*" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["method"] == "pnp"]
psnr = [float(r["psnr_after"]) for r in rows]
its, start = sys.argv[2], sys.argv[3]
schedule = "%s iterations" % ("the task's own" if its == "default" else its) + (
    "" if start == "default" else " from %s/255" % start)
print("%s, %s: mean %.3f dB over %d images" % (sys.argv[4], schedule, sum(psnr) / len(psnr), len(psnr)))
for r, p in zip(rows, psnr):
    print("  %-40s %.3f" % (r["input"].split("/")[-1], p))
PY
