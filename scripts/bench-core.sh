#!/usr/bin/env bash
# Core solver benchmark: sets up whatever is missing (scripts/setup.sh), then runs `yax bench` with 1 and with 2
# threads, each in a JVM of its own (PyTorch reads its thread counts once, at engine start), and prints both
# tables. Reports land in out/bench/threads-N.json. Extra arguments go to both runs (e.g. --sizes 512).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
mkdir -p out/bench
for n in 1 2; do
  echo
  echo "=== ./yax bench --threads $n $* ==="
  ./yax bench --threads "$n" --report "out/bench/threads-$n.json" "$@"
done
