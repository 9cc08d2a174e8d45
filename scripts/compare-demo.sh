#!/usr/bin/env bash
# Compares two runs of scripts/demo.sh (their out/ folders: denoise and sr-x2) with compare-trees.py, reports
# included: same pixels and attributes except UIDs, dates/times and provenance text. Exit 0 same, 1 different.
# Usage: bash scripts/compare-demo.sh BEFORE_OUT AFTER_OUT
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
  echo "usage: bash scripts/compare-demo.sh BEFORE_OUT AFTER_OUT (two folders holding denoise/ and sr-x2/)" >&2
  exit 2
fi
status=0
for tree in denoise sr-x2; do
  echo "== $tree"
  /usr/bin/python3 "$here/compare-trees.py" "$1/$tree" "$2/$tree" --reports || { rc=$?; [ "$rc" -gt "$status" ] && status=$rc; }
done
exit "$status"
