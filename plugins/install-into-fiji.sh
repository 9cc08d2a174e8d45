#!/usr/bin/env bash
# Installs the yax commands into a Fiji.app folder, or with --imagej1 into a plain ImageJ 1 folder.
#
#   plugins/install-into-fiji.sh [--imagej1] [--from DIR] FIJI_DIR
#
# Fiji:      yax-plugins-<v>.jar + runtime dependencies -> FIJI_DIR/jars/  (SciJava commands; no '_' jar, whose
#            ImageJ 1 commands would clash with them)
# ImageJ 1:  yax_plugins.jar (the '_' jar) -> FIJI_DIR/plugins/, yax-plugins-<v>.jar + dependencies -> plugins/jars/
# Both:      GDAL's JNI library libgdalalljni.so -> FIJI_DIR/lib/linux64/ (pass -Djava.library.path=that folder
#            to ImageJ 1's java; Fiji's launcher adds it itself).
# A dependency the folder already has in any version (ij, scijava-common, gson, commons-io, ...) is skipped, so no
# library is ever there twice; ImageJ itself, ij1-patcher and the command line's own libraries are never copied.
# DIR (default cli/target/lib, made by scripts/setup.sh or `mvn -pl plugins,cli -am package`) holds the jars.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
from="$repo_root/cli/target/lib"
imagej1=false
target=""
gdal_jni_dirs=(${YAX_GDAL_JNI_DIR:-} /usr/lib/jni /usr/lib/x86_64-linux-gnu/jni /usr/local/lib/jni)

die() { echo "install-into-fiji: $*" >&2; exit 1; }
usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --imagej1) imagej1=true ;;
    --from) [ $# -ge 2 ] || die "--from needs a folder"; from="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$target" ] || die "only one FIJI_DIR, got '$target' and '$1'"; target="$1" ;;
  esac
  shift
done
[ -n "$target" ] || { usage >&2; exit 2; }
[ -d "$target" ] || die "$target: no such folder"
[ -d "$from" ] || die "$from: no such folder; build first: bash scripts/setup.sh (or mvn -pl plugins,cli -am package)"

shopt -s nullglob
main_jars=("$from"/yax-plugins-*.jar)
main_jar=""; ij1_jar=""
for j in "${main_jars[@]}"; do
  case "$j" in *-ij1.jar) ij1_jar="$j" ;; *) main_jar="$j" ;; esac
done
[ -n "$main_jar" ] || die "$from: no yax-plugins-<version>.jar (build first)"

if $imagej1; then
  [ -d "$target/plugins" ] || die "$target: not an ImageJ 1 folder (no plugins/)"
  [ -n "$ij1_jar" ] || die "$from: no yax-plugins-<version>-ij1.jar (build first)"
  jars_dir="$target/plugins/jars"
else
  [ -d "$target/jars" ] || die "$target: not a Fiji.app folder (no jars/); for plain ImageJ 1 pass --imagej1"
  jars_dir="$target/jars"
fi
mkdir -p "$jars_dir" "$target/lib/linux64"

# name-1.2.3.jar -> name (the version starts at the first '-' followed by a digit)
base_name() { basename "$1" .jar | sed -E 's/-[0-9].*$//'; }
# ImageJ, the headless patcher and the command line's own libraries: Fiji/ImageJ bring or do not need them;
# slf4j-simple would fight Fiji's own logging binding.
never_copy=" ij ij1-patcher javassist classgraph picocli slf4j-simple yax-cli "

declare -A present=()
while IFS= read -r -d '' j; do present["$(base_name "$j")"]="$j"; done \
  < <(find "$target" -name '*.jar' -print0)

installed=0; skipped=0
install_jar() { # jar destination-folder
  local name; name="$(base_name "$1")"
  if [ -n "${present[$name]:-}" ]; then
    if [ "$(basename "${present[$name]}")" != "$(basename "$1")" ] && [ "${name#yax-}" != "$name" ]; then
      rm -f "${present[$name]}" # an older yax jar is replaced, never kept beside the new one
    elif [ "${name#yax-}" = "$name" ]; then
      echo "  skip $(basename "$1") (have ${present[$name]#"$target"/})"; skipped=$((skipped + 1)); return
    fi
  fi
  cp -f "$1" "$2/"
  echo "  $(basename "$1") -> ${2#"$target"/}/"; installed=$((installed + 1))
}

echo "install-into-fiji: $( $imagej1 && echo "ImageJ 1" || echo Fiji ) at $target"
install_jar "$main_jar" "$jars_dir"
for j in "$from"/*.jar; do
  name="$(base_name "$j")"
  case "$j" in "$main_jar"|"$ij1_jar") continue ;; esac
  [[ "$never_copy" == *" $name "* ]] && continue
  install_jar "$j" "$jars_dir"
done
if $imagej1; then
  # ImageJ 1 loads a plugin jar only if its name contains '_'; one yax '_' jar only.
  rm -f "$target"/plugins/yax_plugins*.jar
  cp -f "$ij1_jar" "$target/plugins/yax_plugins.jar"
  echo "  $(basename "$ij1_jar") -> plugins/yax_plugins.jar"
fi

gdal_lib=""
for d in "${gdal_jni_dirs[@]}"; do
  [ -f "$d/libgdalalljni.so" ] && { gdal_lib="$d/libgdalalljni.so"; break; }
done
[ -n "$gdal_lib" ] || die "libgdalalljni.so not found in ${gdal_jni_dirs[*]} (run scripts/setup.sh, or set YAX_GDAL_JNI_DIR)"
cp -fL "$gdal_lib" "$target/lib/linux64/libgdalalljni.so"
echo "  $gdal_lib -> lib/linux64/"
echo "install-into-fiji: done ($installed jars installed, $skipped already there)"
