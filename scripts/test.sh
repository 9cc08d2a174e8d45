#!/usr/bin/env bash
# Sets up whatever is missing (scripts/setup.sh), then builds and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
mvn -B -ntp verify "$@"
echo "test.sh: test suite finished in $(( $(date +%s) - start )) s"
