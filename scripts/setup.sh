#!/usr/bin/env bash
# One-shot, idempotent setup of a Debian bookworm machine for yax: system packages, GDAL Java bindings,
# PixelMed in the local Maven repository, real sample data (checksummed), the Maven build and the generated
# sample data. Every step is skipped when its result is already in place, so a second run is quick.
# Runs non-interactively (CI=true, no stdin). Needs root for the apt and /usr/lib/jni parts when they have work.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

state_dir="$repo_root/.yax-build"          # stamps and caches (gitignored)
data_dir="$repo_root/sample-data/data"     # sample data (gitignored)
real_files="$repo_root/sample-data/real-files.txt"
checksums="$repo_root/sample-data/checksums.sha256"
apt_packages=(
  openjdk-17-jdk-headless maven
  libgdal-dev gdal-bin swig g++ dpkg-dev xz-utils
  libpixelmed-java libpixelmed-imageio-java
  dcmtk dicom3tools
  python3-pydicom python3-gdal python3-numpy python3-skimage python3-torch
  xvfb xauth imagemagick xdotool
  chromium
)
apt_opts=(-q -o DPkg::Lock::Timeout=600)
# apt's _apt sandbox user cannot write into root-owned download folders.
apt_fetch_opts=("${apt_opts[@]}" -o APT::Sandbox::User=root)
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$state_dir"

current_step="start"
trap 'rc=$?; [ $rc -eq 0 ] || echo "setup: FAILED in step \"$current_step\" (exit $rc); see the messages above" >&2' EXIT

say() { echo "setup: $*"; }
die() { echo "setup: $current_step: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
seconds_since() { local d=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((d / 1000)) $(( (d % 1000) / 100 )); }
need_root() { [ "$(id -u)" -eq 0 ] || die "needs root to $1; run scripts/setup.sh as root (or with sudo)"; }

# Runs one step; the step sets step_result ("cached" or what it did).
run_step() {
  local name="$1" fn="$2" t0
  current_step="$name"
  step_result="done"
  t0="$(now_ms)"
  "$fn"
  say "$name ... ok ($step_result, $(seconds_since "$t0"))"
}

apt_updated=false
apt_update_once() {
  $apt_updated && return 0
  need_root "run apt-get update"
  say "$current_step: apt-get update"
  apt-get "${apt_opts[@]}" update >"$state_dir/apt-update.log" 2>&1 \
    || { cat "$state_dir/apt-update.log" >&2; die "apt-get update failed"; }
  apt_updated=true
}

# deb-src entries mirroring the Debian deb entries (needed only to fetch gdal's source package).
deb_src_file=/etc/apt/sources.list.d/yax-deb-src.sources
ensure_deb_src() {
  [ -f "$deb_src_file" ] && return 0
  if grep -Eqs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources \
     || grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
    return 0
  fi
  need_root "add deb-src entries"
  local tmp
  tmp="$(mktemp)"
  # deb822 stanzas (paragraphs) of Debian archives, with Types switched to deb-src.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = "" }
         { n = split($0, line, "\n"); types = ""; uris = ""; enabled = 1
           for (i = 1; i <= n; i++) {
             if (line[i] ~ /^[ \t]*Types:/) types = line[i]
             if (line[i] ~ /^[ \t]*URIs:/) uris = line[i]
             if (line[i] ~ /^[ \t]*Enabled:[ \t]*no/) enabled = 0
           }
           if (enabled && uris ~ /debian/ && (types " ") ~ /[ \t]deb[ \t]/) {
             for (i = 1; i <= n; i++) print (line[i] ~ /^[ \t]*Types:/ ? "Types: deb-src" : line[i])
             print ""
           } }' "$f" >>"$tmp"
  done
  # One-line format (older images): deb [options] URI suite components.
  if [ -f /etc/apt/sources.list ] && grep -Eq '^[[:space:]]*deb[[:space:]].*debian' /etc/apt/sources.list; then
    local list="${deb_src_file%.sources}.list"
    sed -nE 's/^[[:space:]]*deb([[:space:]].*debian.*)$/deb-src\1/p' /etc/apt/sources.list >"$list"
  fi
  if [ -s "$tmp" ]; then
    install -m 0644 "$tmp" "$deb_src_file"
  else
    touch "$deb_src_file"   # marks that we looked; the .list variant (if any) holds the entries
  fi
  rm -f "$tmp"
  apt_updated=false   # the new entries need an index update
  say "$current_step: added deb-src entries ($deb_src_file)"
}

# 1. System packages ---------------------------------------------------------------------------------------
step_apt() {
  local missing=() pkg installed
  installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${apt_packages[@]}" 2>/dev/null || true)"
  for pkg in "${apt_packages[@]}"; do
    [[ "$installed" == *" $pkg=installed "* ]] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step_result="cached"
    return 0
  fi
  local gdal_source_needed=false
  bash scripts/build-gdal-java.sh --check || gdal_source_needed=true
  need_root "install packages: ${missing[*]}"
  # Add deb-src before the single update so the GDAL step does not need a second one.
  if $gdal_source_needed; then ensure_deb_src; fi
  apt_update_once
  say "$current_step: installing ${missing[*]}"
  apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >"$state_dir/apt-install.log" 2>&1 \
    || { tail -n 40 "$state_dir/apt-install.log" >&2; die "apt-get install failed (log: $state_dir/apt-install.log)"; }
  step_result="installed ${#missing[@]} packages"
}

# 2. GDAL Java bindings ------------------------------------------------------------------------------------
step_gdal() {
  if bash scripts/build-gdal-java.sh --check; then
    step_result="cached"
    return 0
  fi
  need_root "install /usr/lib/jni/libgdalalljni.so"
  local src_package src_version
  src_package="$(dpkg-query -W -f='${source:Package}' libgdal-dev)"
  src_version="$(dpkg-query -W -f='${source:Version}' libgdal-dev)"
  ensure_deb_src
  if ! apt-cache showsrc "$src_package" 2>/dev/null | grep -x "Version: $src_version" >/dev/null; then
    apt_update_once
  fi
  bash scripts/build-gdal-java.sh
  step_result="built $(cat /usr/lib/jni/libgdalalljni.so.yax-stamp)"
}

# 3. PixelMed jars in the local Maven repository, manifest stripped ----------------------------------------
m2_repo="${HOME}/.m2/repository"
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n1; }
installed_jar_version() { # /usr/share/java/<prefix>-<version>.jar -> version
  local jar
  jar="$(ls /usr/share/java/"$1"-[0-9]*.jar 2>/dev/null | sort | tail -n1)"
  [ -n "$jar" ] || die "/usr/share/java/$1-<version>.jar not found (is the Debian package installed?)"
  jar="${jar##*/$1-}"
  echo "${jar%.jar}"
}
install_stripped_jar() { # debian jar, artifactId, version
  local source_jar="$1" artifact="$2" version="$3" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && mkdir classes && cd classes && jar --extract --file "$source_jar")
  # The Debian manifest has an absolute Class-Path into /usr/share/java (it drags a second slf4j binding in).
  rm -f "$tmp"/classes/META-INF/MANIFEST.MF "$tmp"/classes/META-INF/*.SF "$tmp"/classes/META-INF/*.RSA \
        "$tmp"/classes/META-INF/*.DSA "$tmp"/classes/META-INF/*.EC
  jar --create --file "$tmp/$artifact-$version.jar" -C "$tmp/classes" .
  (cd "$tmp" && mvn -B -q org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file \
     -Dfile="$tmp/$artifact-$version.jar" -DgroupId=com.pixelmed -DartifactId="$artifact" -Dversion="$version" \
     -Dpackaging=jar -DgeneratePom=true) >"$state_dir/pixelmed-install.log" 2>&1 \
    || { cat "$state_dir/pixelmed-install.log" >&2; die "mvn install:install-file failed for $source_jar"; }
  rm -rf "$tmp"
}
step_pixelmed() {
  # the stamp sits beside the installed jars (machine-wide), so a new clone does not reinstall them
  local v_pm v_io stamp="$m2_repo/com/pixelmed/.yax-pixelmed.stamp" stamp_text
  v_pm="$(installed_jar_version pixelmed)"
  v_io="$(installed_jar_version pixelmed_imageio)"
  [ "$v_pm" = "$(pom_property pixelmed.version)" ] \
    || die "installed /usr/share/java/pixelmed-$v_pm.jar but pom.xml has pixelmed.version $(pom_property pixelmed.version)"
  [ "$v_io" = "$(pom_property pixelmed-imageio.version)" ] \
    || die "installed pixelmed_imageio-$v_io.jar but pom.xml has pixelmed-imageio.version $(pom_property pixelmed-imageio.version)"
  local src_pm="/usr/share/java/pixelmed-$v_pm.jar" src_io="/usr/share/java/pixelmed_imageio-$v_io.jar"
  local dst_pm="$m2_repo/com/pixelmed/pixelmed/$v_pm/pixelmed-$v_pm.jar"
  local dst_io="$m2_repo/com/pixelmed/pixelmed-imageio/$v_io/pixelmed-imageio-$v_io.jar"
  stamp_text="$(sha256sum "$src_pm" "$src_io" | awk '{print $1}' | tr '\n' ' ')pixelmed=$v_pm pixelmed-imageio=$v_io"
  if [ -f "$dst_pm" ] && [ -f "$dst_io" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ]; then
    step_result="cached"
    return 0
  fi
  install_stripped_jar "$src_pm" pixelmed "$v_pm"
  install_stripped_jar "$src_io" pixelmed-imageio "$v_io"
  echo "$stamp_text" >"$stamp"
  step_result="installed com.pixelmed:pixelmed:$v_pm and com.pixelmed:pixelmed-imageio:$v_io"
}

# 4. Real sample data from Debian packages -----------------------------------------------------------------
checksums_ok() { [ -d "$data_dir" ] && (cd "$data_dir" && sha256sum --check --quiet --status "$checksums") 2>/dev/null; }
cached_deb() { # package version -> path of the cached .deb, or nothing
  local deb
  for deb in "$data_dir/.debs/${1}_"*.deb; do
    [ -f "$deb" ] && [ "$(dpkg-deb -f "$deb" Version)" = "$2" ] && { echo "$deb"; return 0; }
  done
  return 0
}
apt_offers() { # package version: does apt know this exact version?
  apt-cache policy "$1" 2>/dev/null | grep -E "^[[:space:]]+(\*\*\* )?$(printf '%s' "$2" | sed 's/[.+]/\\&/g') " >/dev/null
}
fetch_debs() { # downloads every pinned package version not yet cached; one apt-get update at most
  local pkg version rest missing=()
  while read -r pkg version rest; do
    case "$pkg" in ''|'#'*) continue ;; esac
    [ -n "$(cached_deb "$pkg" "$version")" ] || missing+=("$pkg=$version")
  done <"$real_files"
  [ ${#missing[@]} -gt 0 ] || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  local item
  for item in "${missing[@]}"; do
    apt_offers "${item%%=*}" "${item#*=}" || apt_update_once
  done
  for item in "${missing[@]}"; do
    apt_offers "${item%%=*}" "${item#*=}" \
      || die "${item} (pinned in sample-data/real-files.txt) is not available from apt; apt offers $(apt-cache policy "${item%%=*}" | sed -n 's/^ *Candidate: //p'). Update the pin and sample-data/checksums.sha256 deliberately."
  done
  mkdir -p "$data_dir/.debs"
  say "$current_step: apt-get download ${missing[*]}"
  (cd "$data_dir/.debs" && apt-get "${apt_fetch_opts[@]}" download "${missing[@]}" >"$state_dir/apt-download.log" 2>&1) \
    || { cat "$state_dir/apt-download.log" >&2; die "apt-get download ${missing[*]} failed"; }
}
step_real_data() {
  [ -f "$checksums" ] || die "missing $checksums"
  if checksums_ok; then
    step_result="cached"
    return 0
  fi
  fetch_debs
  local tmp pkg version source destination deb
  tmp="$(mktemp -d)"
  declare -A unpacked=()
  while read -r pkg version source destination; do
    case "$pkg" in ''|'#'*) continue ;; esac
    if [ -z "${unpacked[$pkg]:-}" ]; then
      deb="$(cached_deb "$pkg" "$version")"
      [ -n "$deb" ] || die "no cached .deb for $pkg=$version after download"
      dpkg-deb -x "$deb" "$tmp/$pkg"
      unpacked[$pkg]=1
    fi
    [ -e "$tmp/$pkg/$source" ] || die "$source not found in $deb"
    if [ "${source%/}" != "$source" ]; then
      rm -rf "${data_dir:?}/$destination"
      mkdir -p "$data_dir/$destination"
      cp -R "$tmp/$pkg/$source." "$data_dir/$destination"
    else
      mkdir -p "$(dirname "$data_dir/$destination")"
      cp -f "$tmp/$pkg/$source" "$data_dir/$destination"
    fi
  done <"$real_files"
  rm -rf "$tmp"
  local bad
  bad="$(cd "$data_dir" && sha256sum --check --quiet "$checksums" 2>&1 || true)"
  [ -z "$bad" ] || die "checksum mismatch after copying from the pinned Debian packages:
$bad
(the package content changed: inspect it, then update sample-data/real-files.txt and sample-data/checksums.sha256 deliberately)"
  step_result="fetched $(grep -c . "$checksums") files, checksums verified"
}

# 5. Maven build ------------------------------------------------------------------------------------------
source_hash() { # every pom.xml and every file under */src/, tracked or untracked-but-not-ignored
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # A tracked file deleted in the work tree makes sha256sum fail: its absence still changes the hash.
    git ls-files -z --cached --others --exclude-standard -- 'pom.xml' '*/pom.xml' '*/src/*' \
      | sort -zu | { xargs -0 -r sha256sum 2>&1 || true; } | sha256sum | cut -d' ' -f1
  else
    find . \( -name target -o -name .yax-build -o -name data -o -name .git \) -prune -o \
      -type f \( -name pom.xml -o -path '*/src/*' \) -print0 | sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
  fi
}
step_build() {
  local stamp="$state_dir/build.stamp" hash module built=true
  hash="$(source_hash)"
  # A cleaned module (no jar in target/) needs a build even when the sources did not change.
  for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml); do
    grep -q '<packaging>pom</packaging>' "$module/pom.xml" && continue
    compgen -G "$module/target/*.jar" >/dev/null || built=false
  done
  if $built && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    step_result="cached"
    return 0
  fi
  say "$current_step: mvn -B -q install -DskipTests"
  # Maven 3.8 prints stray colour resets even with -B -q: strip escape codes (pipefail keeps mvn's status).
  mvn -B -q install -DskipTests 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' || die "the Maven build failed (see above)"
  echo "$hash" >"$stamp"
  step_result="built"
}

# 6. Generated sample data (written by scripts/generate-sample-data.sh, itself idempotent) ------------------
step_generated_data() {
  if [ ! -f scripts/generate-sample-data.sh ]; then
    step_result="skipped: scripts/generate-sample-data.sh not present"
    return 0
  fi
  bash scripts/generate-sample-data.sh || die "scripts/generate-sample-data.sh failed"
  step_result="done"
}

# 6b. Class-data archives for the launcher (./yax): a short run of each launch mode (the command-line tool, yax
# spark) on two sample files dumps the classes it loaded (-XX:ArchiveClassesAtExit); ./yax maps the archive while it
# is newer than every jar. Redone when a jar changed.
class_archive_fresh() { # archive, jars and folders of jars
  local archive="$1"
  shift
  [ -f "$archive" ] && [ -z "$(find "$@" -name '*.jar' -newer "$archive" -print -quit 2>/dev/null)" ]
}
step_class_archives() {
  local work made=""
  local inputs=(sample-data/data/archive/dicom/CT_small.dcm sample-data/data/archive/raster/rotated-multiband.tif)
  work="$(mktemp -d)"
  if ! class_archive_fresh cli/target/yax-cli.jsa cli/target/yax-cli.jar cli/target/lib; then
    JAVA_OPTS="-XX:ArchiveClassesAtExit=$work/cli.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
      ./yax reconstruct "${inputs[@]}" -o "$work/out-cli" </dev/null >"$work/cli.log" 2>&1 \
      || { cat "$work/cli.log" >&2; rm -rf "$work"; die "the class-data run of yax reconstruct failed"; }
    # a JVM without the JDK's own base archive writes none: ./yax then simply starts without one
    [ -f "$work/cli.jsa" ] && mv -f "$work/cli.jsa" cli/target/yax-cli.jsa && made="cli"
  fi
  if [ -f spark/target/yax-spark.jar ] && ! class_archive_fresh spark/target/yax-spark.jsa \
       spark/target/yax-spark.jar spark/target/lib cli/target/lib/pytorch-native-*.jar; then
    JAVA_OPTS="-XX:ArchiveClassesAtExit=$work/spark.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
      ./yax spark "${inputs[@]}" -o "$work/out-spark" </dev/null >"$work/spark.log" 2>&1 \
      || { cat "$work/spark.log" >&2; rm -rf "$work"; die "the class-data run of yax spark failed"; }
    [ -f "$work/spark.jsa" ] && mv -f "$work/spark.jsa" spark/target/yax-spark.jsa && made="${made:+$made, }spark"
  fi
  rm -rf "$work"
  step_result="${made:+made: $made}"
  class_archive_fresh cli/target/yax-cli.jsa cli/target/yax-cli.jar cli/target/lib \
    || step_result="${step_result:+$step_result; }none written (the JVM has no base class-data archive?)"
  step_result="${step_result:-cached}"
}

# 7. Real volumes as DICOM series of thin slices (yax eval --task sr-z), from the checksummed NIfTI files ------
# Stamped by the script and the NIfTI checksums: same inputs, same series (UIDs derive from the inputs).
volume_series=(
  "volumes/heldout/KmeansTest_T1UCharRaw.nii.gz volumes/heldout/itk-t1 --slice-axis x --name ITKT1"
  "volumes/heldout/example4d.nii.gz volumes/heldout/nibabel-epi --slice-axis y --volume 0 --name NIBABELEPI"
  "volumes/validation/anatomical.nii volumes/validation/nibabel-anatomical --slice-axis y --name NIBABELANAT"
)
step_volume_series() {
  local stamp="$state_dir/volume-series.stamp" hash line input output options
  hash="$( (sha256sum scripts/volume-to-dicom.py; grep ' volumes/' "$checksums"; printf '%s\n' "${volume_series[@]}") \
    | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    step_result="cached"
    return 0
  fi
  for line in "${volume_series[@]}"; do
    read -r input output options <<<"$line"
    rm -rf "${data_dir:?}/$output"
    # shellcheck disable=SC2086
    /usr/bin/python3 scripts/volume-to-dicom.py "$data_dir/$input" "$data_dir/$output" $options \
      || die "scripts/volume-to-dicom.py $input failed"
  done
  echo "$hash" >"$stamp"
  step_result="${#volume_series[@]} series written"
}

t_all="$(now_ms)"
run_step "apt packages" step_apt
run_step "gdal bindings" step_gdal
run_step "pixelmed" step_pixelmed
run_step "real sample data" step_real_data
run_step "maven build" step_build
run_step "generated sample data" step_generated_data
run_step "class-data archives" step_class_archives
run_step "volume series" step_volume_series
current_step="done"
say "all done in $(seconds_since "$t_all")"
