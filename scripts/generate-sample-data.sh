#!/usr/bin/env bash
# Generates the synthetic sample data (Shepp-Logan CT series, rotated multiband GeoTIFF) with known ground truth
# into sample-data/data (or the directory given as $1). Idempotent: returns at once when generated/manifest.json
# matches the generator. Needs the sample-data module built (scripts/setup.sh runs `mvn install -DskipTests`
# first; this script builds it itself if not).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$repo/sample-data"
data_dir="${1:-$module/data}"
classpath_file="$module/target/classpath.txt"   # written by the module's build (maven-dependency-plugin)
classes="$module/target/classes"

if [[ ! -s "$classpath_file" || ! -f "$classes/org/yax/sampledata/GenerateSampleData.class" \
      || "$module/pom.xml" -nt "$classpath_file" ]]; then
  echo "generate-sample-data: building the sample-data module" >&2
  (cd "$repo" && mvn -B -q -pl sample-data compile)
fi

exec java -Djava.library.path=/usr/lib/jni -cp "$classes:$(cat "$classpath_file")" \
  org.yax.sampledata.GenerateSampleData "$data_dir"
