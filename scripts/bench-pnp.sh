#!/usr/bin/env bash
# Plug-and-play wall time and PSNR before/after, side by side in one run (#17 point 3): `yax eval --methods pnp`
# on a 512x512 held-out image for sr x2, sr x4, inpainting and MRI, the two builds alternated per round, medians
# of the per-image solve times (wall) and of the whole command's CPU time (user + system, JVM start and model load
# included: on a shared machine it moves less with the load than the wall time), with the load average before each
# run.
#   BEFORE=/path/to/older/yax bash scripts/bench-pnp.sh [ROUNDS] [IMAGE]
# BEFORE is the launcher of the build to compare with (e.g. a worktree of an older commit, built with
# `mvn -o -q -B -pl cli -am package -DskipTests`); the after side is this checkout's ./yax.
set -euo pipefail
cd "$(dirname "$0")/.."
before="${BEFORE:?set BEFORE to the launcher of the build to compare with}"
rounds="${1:-1}"
image="${2:-sample-data/data/heldout/camera.png}"
tasks=("sr --scale 2" "sr --scale 4" "inpaint" "mri")
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
echo "plug-and-play on $image, $rounds round(s), before: $before ($(git -C "$(dirname "$before")" rev-parse --short HEAD)), after: ./yax ($(git rev-parse --short HEAD))"
for r in $(seq 1 "$rounds"); do
  for t in "${tasks[@]}"; do
    key=$(echo "$t" | tr -d ' -')
    # alternate which build goes first from round to round
    if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
      exe=./yax
      [ "$side" = before ] && exe="$before"
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      line=$(/usr/bin/time -f "%U %S" -o "$log/cpu" $exe eval "$image" --task $t --methods pnp 2>&1 \
        | awk '$2 == "pnp" {print $3, $5}')
      cpu=$(awk '{print $1 + $2}' "$log/cpu")
      echo "$key $side $line $cpu $load" >> "$log/rows"
      echo "round $r, $t, $side: PSNR ${line% *} dB, ${line#* } s, CPU $cpu s (load $load)"
    done
  done
done
echo
printf "%-10s %10s %10s %8s %10s %10s %8s %12s %12s\n" task "before s" "after s" "after/b" "CPU bef" "CPU aft" \
  "after/b" "PSNR before" "PSNR after"
for t in "${tasks[@]}"; do
  key=$(echo "$t" | tr -d ' -')
  /usr/bin/python3 - "$log/rows" "$key" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.split()[0] == sys.argv[2]]
def side(s):
    r = [x for x in rows if x[1] == s]
    return statistics.median(float(x[3]) for x in r), statistics.median(float(x[4]) for x in r), r[0][2]
(tb, cb, pb), (ta, ca, pa) = side("before"), side("after")
print("%-10s %10.1f %10.1f %7.2fx %10.1f %10.1f %7.2fx %12s %12s" % (sys.argv[2], tb, ta, ta / tb, cb, ca, ca / cb, pb, pa))
PY
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
