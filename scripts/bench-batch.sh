#!/usr/bin/env bash
# Batch throughput: items per minute and peak RSS of `yax reconstruct` over the sample archive with
# --jobs 1 and --jobs 2 (each in a fresh JVM, fresh output folder). Usage: bash scripts/bench-batch.sh [ARCHIVE]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
archive="${1:-$here/sample-data/data/archive}"
[ -d "$archive" ] || { echo "bench-batch: no archive at $archive: run scripts/setup.sh" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%-6s %6s %8s %10s %12s\n' jobs items seconds items/min peak_RSS_MiB
for jobs in 1 2; do
  /usr/bin/time -f '%e %M' -o "$work/time" "$here/yax" reconstruct "$archive" -o "$work/out$jobs" \
    --jobs "$jobs" --report "$work/r$jobs.json" > "$work/log$jobs" 2>&1 || true
  read -r secs rss_kb < "$work/time"
  done_items=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["done"])' \
    "$work/r$jobs.json")
  /usr/bin/python3 -c 'import sys; j,n,s,r=sys.argv[1:]; n=int(n); s=float(s)
print("%-6s %6d %8.1f %10.1f %12.0f" % (j, n, s, n / s * 60, int(r) / 1024))' "$jobs" "$done_items" "$secs" "$rss_kb"
done
echo "machine: $(nproc) cores, $(uname -m); load when started: $(cut -d' ' -f1-3 /proc/loadavg)"
