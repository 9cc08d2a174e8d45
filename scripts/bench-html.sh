#!/usr/bin/env bash
# What the HTML report's thumbnails cost: `yax reconstruct` over the sample archive (defaults, --jobs 1, a fresh JVM
# and output folder per run), with the HTML page (thumbnails made) and with --no-html, ROUNDS times, the order
# alternating (html first in odd rounds, no-html first in even ones) so a drift in the machine's load favours neither.
# Prints each run's wall time, its CPU time (user + system, all threads: less sensitive to other processes on the
# machine than wall time), the items' summed time and the thumbnails' own time (summed over the items, from the JSON
# report), the medians, the thumbnails' share of the wall time and the ratios, with the load average.
# Usage: bash scripts/bench-html.sh [ARCHIVE] [ROUNDS]   (default: sample-data/data/archive, 3)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
archive="${1:-$here/sample-data/data/archive}"
rounds="${2:-3}"
[ -d "$archive" ] || { echo "bench-html: no archive at $archive: run scripts/setup.sh" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-8s %8s %8s %8s %12s\n' round html wall_s cpu_s items_s thumbnails_s
for i in $(seq 1 "$rounds"); do
  order="html no-html"; [ $((i % 2)) -eq 0 ] && order="no-html html"
  for mode in $order; do
    flag=(); [ "$mode" = no-html ] && flag=(--no-html)
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$work/time" "$here/yax" reconstruct "$archive" -o "$work/out-$mode-$i" \
      --report "$work/r-$mode-$i.json" "${flag[@]}" > "$work/log-$mode-$i" 2>&1 || true
    end=$(date +%s.%N)
    cpu=$(/usr/bin/python3 -c 'import sys; u, s = open(sys.argv[1]).read().split()[-2:]; print("%.2f" % (float(u) + float(s)))' \
      "$work/time")
    read -r items thumbs < <(/usr/bin/python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))
print("%.2f" % sum(r.get("secondsTotal") or 0 for r in d["items"]), d["summary"].get("seconds_thumbnails", 0))' \
      "$work/r-$mode-$i.json")
    wall=$(/usr/bin/python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$start" "$end")
    printf '%-6s %-8s %8s %8s %8s %12s\n' "$i" "$mode" "$wall" "$cpu" "$items" "$thumbs"
    echo "$mode $wall $cpu $items $thumbs" >> "$work/rows"
  done
done
/usr/bin/python3 - "$work/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def median(mode, column):
    return statistics.median(float(r[column]) for r in rows if r[0] == mode)
for name, column in (("wall", 1), ("CPU", 2), ("items' time", 3)):
    on, off = median("html", column), median("no-html", column)
    print("median %s: html %.2f s, no-html %.2f s, ratio %.3f" % (name, on, off, on / off))
share = [float(r[4]) / float(r[1]) for r in rows if r[0] == "html"]
print("thumbnails' own time: median %.2f%% of the run's wall time (max %.2f%%)" % (100 * statistics.median(share),
      100 * max(share)))
PY
html="$(ls "$work"/r-html-1.html 2>/dev/null || true)"
[ -n "$html" ] && echo "report.html of round 1: $(stat -c %s "$html") bytes"
echo "machine: $(nproc) cores; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
