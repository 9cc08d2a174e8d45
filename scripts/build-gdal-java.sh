#!/usr/bin/env bash
# Builds GDAL's Java bindings (org.gdal.*) against the installed libgdal, because Debian bookworm ships no
# libgdal-java and Maven Central's org.gdal jars carry no native library.
#
# Uses Debian's own gdal SOURCE package matching the installed libgdal-dev (verified by apt against the signed
# Sources index), runs swig exactly as GDAL's swig/java/CMakeLists.txt does, links ONE libgdalalljni.so and
# installs the classes into the local Maven repository as org.gdal:gdal:<upstream version>.
#
# Usage: build-gdal-java.sh [--libdir DIR] [--m2-repo DIR] [--work DIR] [--stamp FILE] [--force]
#   --libdir   where libgdalalljni.so goes (default /usr/lib/jni, on Debian's default java.library.path)
#   --m2-repo  local Maven repository (default: Maven's own default, ~/.m2/repository)
#   --work     build/cache directory (default <repo>/.yax-build/gdal-java)
#   --stamp    stamp file recording what was built (default <libdir>/libgdalalljni.so.yax-stamp)
#   --check    only report: exit 0 when the installed bindings are up to date, 1 otherwise
#   --force    rebuild even when up to date
# Requires: libgdal-dev swig g++ (JDK with javac/jar), maven, and a deb-src entry for Debian main.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
libdir=/usr/lib/jni
m2_repo=""
work="$repo_root/.yax-build/gdal-java"
stamp=""
force=false
check_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --libdir) libdir="$2"; shift 2 ;;
    --m2-repo) m2_repo="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --stamp) stamp="$2"; shift 2 ;;
    --force) force=true; shift ;;
    --check) check_only=true; shift ;;
    *) echo "build-gdal-java: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
# The stamp lives next to the installed library (not in the checkout), so every clone on this machine
# sees the bindings as installed and never rewrites them under a running build.
[ -n "$stamp" ] || stamp="$libdir/libgdalalljni.so.yax-stamp"

die() { echo "build-gdal-java: $*" >&2; exit 1; }
log() { echo "build-gdal-java: $*"; }

bin_version="$(dpkg-query -W -f='${db:Status-Status} ${Version}' libgdal-dev 2>/dev/null || true)"
case "$bin_version" in
  "installed "*) bin_version="${bin_version#installed }" ;;
  *) $check_only && exit 1; die "libgdal-dev is not installed" ;;
esac
src_version="$(dpkg-query -W -f='${source:Version}' libgdal-dev)"   # without the +bN binNMU suffix
src_package="$(dpkg-query -W -f='${source:Package}' libgdal-dev)"
gdal_version="$(gdal-config --version)"                               # upstream, e.g. 3.6.2
m2_base="${m2_repo:-$HOME/.m2/repository}"
m2_jar="$m2_base/org/gdal/gdal/$gdal_version/gdal-$gdal_version.jar"
stamp_text="libgdal-dev=$bin_version source=$src_package=$src_version jar=org.gdal:gdal:$gdal_version"

if ! $force && [ -f "$libdir/libgdalalljni.so" ] && [ -f "$m2_jar" ] && [ -f "$stamp" ] \
   && [ "$(cat "$stamp")" = "$stamp_text" ]; then
  $check_only || log "up to date ($stamp_text)"
  exit 0
fi
$check_only && exit 1

mkdir -p "$work"
work="$(cd "$work" && pwd)"
src_cache="$work/source"
mkdir -p "$src_cache"

# 1. Debian source package (apt checks the .dsc and tarball hashes against the signed Sources index).
orig_tar="$(ls "$src_cache"/"${src_package}_${gdal_version}"*.orig.tar.* 2>/dev/null | head -n1 || true)"
if [ -z "$orig_tar" ] || [ ! -f "$src_cache/${src_package}_${src_version#*:}.dsc" ]; then
  if ! apt-cache showsrc "$src_package" 2>/dev/null | grep -x "Version: $src_version" >/dev/null; then
    die "source package $src_package=$src_version not known to apt: add a deb-src entry and run apt-get update"
  fi
  log "downloading source $src_package=$src_version"
  (cd "$src_cache" && apt-get -q -o APT::Sandbox::User=root source --download-only "$src_package=$src_version" >/dev/null)
  orig_tar="$(ls "$src_cache"/"${src_package}_${gdal_version}"*.orig.tar.* | head -n1)"
fi

# 2. Only the SWIG interface files, the one header osr.i includes by relative path, and GDAL's own test raster.
src="$work/src"
rm -rf "$src"
mkdir -p "$src"
tar -xf "$orig_tar" -C "$src" --strip-components=1 --wildcards \
  '*/swig/include/*' '*/ogr/ogr_srs_api.h' '*/swig/java/test_data/byte.tif' '*/swig/java/CMakeLists.txt'
[ -f "$src/ogr/ogr_srs_api.h" ] || die "ogr/ogr_srs_api.h missing from $orig_tar"
# The recipe below mirrors GDAL 3.6's swig/java/CMakeLists.txt; refuse to guess if a new GDAL changed it.
cmake_java="$src/swig/java/CMakeLists.txt"
for expected in 'TARGET gdalconst' 'foreach (tgt IN ITEMS gdal ogr osr gnm)' '"org.gdal.${tgt}")' \
                '${SWIG_EXECUTABLE} ${_SWIG_ARGS} ${SWIG_DEFINES} -I${PROJECT_SOURCE_DIR}/gdal -c++ -java -o ${SWIG_OUTPUT}'; do
  grep -F -- "$expected" "$cmake_java" >/dev/null \
    || die "GDAL $gdal_version's swig/java/CMakeLists.txt no longer contains '$expected': review this script against it"
done

# 3. SWIG, as swig/java/CMakeLists.txt: gdalconst as C, the others as C++, working directory swig/java.
gen="$work/gen"
rm -rf "$gen"
mkdir -p "$src/swig/java"
swig_one() { # module, language flag ("" or -c++), wrapper extension
  local module="$1" cxx="$2" ext="$3"
  mkdir -p "$gen/org/gdal/$module"
  (cd "$src/swig/java" && swig -Wall -I"$src/swig/include" -I"$src/swig/include/java" -outdir "$gen/org/gdal/$module/" \
      -package "org.gdal.$module" -I"$src/gdal" $cxx -java -o "$gen/org/gdal/$module/${module}_wrap.$ext" \
      "$src/swig/include/$module.i") >"$gen/swig-$module.log" 2>&1 \
    || { cat "$gen/swig-$module.log" >&2; die "swig failed for $module"; }
}
swig_one gdalconst "" c
for module in gdal ogr osr gnm; do swig_one "$module" -c++ cpp; done

# 4. One JNI library holding all wrappers. -fno-strict-aliasing: SWIG's Java docs require it at -O2
#    (wrappers pass C pointers through jlong).
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
cflags=(-O2 -fPIC -fno-strict-aliasing -I"$java_home/include" -I"$java_home/include/linux" $(gdal-config --cflags))
objects=()
jobs="$(nproc 2>/dev/null || echo 2)"
compile_list=()
for module in gdalconst gdal ogr osr gnm; do
  for wrapper in "$gen/org/gdal/$module/${module}_wrap."c*; do compile_list+=("$wrapper"); objects+=("$wrapper.o"); done
done
compile_one() {
  case "$1" in *.c) gcc "${cflags[@]}" -w -c "$1" -o "$1.o" ;; *) g++ "${cflags[@]}" -w -c "$1" -o "$1.o" ;; esac
}
pids=()
for wrapper in "${compile_list[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
  compile_one "$wrapper" & pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid" || die "compiling a wrapper failed (see above)"; done
g++ -shared -o "$gen/libgdalalljni.so" "${objects[@]}" -lgdal -Wl,--no-undefined \
  || die "linking libgdalalljni.so failed"

# 5. Java classes, as build.xml compiles them (all generated sources under org/).
mkdir -p "$gen/classes"
find "$gen/org" -name '*.java' > "$gen/sources.txt"
javac -nowarn --release 8 -encoding UTF-8 -d "$gen/classes" @"$gen/sources.txt" 2>"$gen/javac.log" \
  || { cat "$gen/javac.log" >&2; die "javac failed"; }
jar_file="$gen/gdal-$gdal_version.jar"
sources_jar="$gen/gdal-$gdal_version-sources.jar"
jar --create --file "$jar_file" -C "$gen/classes" .
(cd "$gen" && jar --create --file "$sources_jar" $(cd "$gen" && find org -name '*.java'))

# 6. Prove it works before installing: open GDAL's test GeoTIFF through the new bindings and compare the
#    checksum with gdalinfo's (an independent client of the same libgdal).
cat > "$gen/OpenGeoTiff.java" <<'EOF'
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
public class OpenGeoTiff {
  public static void main(String[] args) {
    gdal.AllRegister();
    Dataset ds = gdal.Open(args[0]);
    if (ds == null) throw new IllegalStateException(args[0] + ": " + gdal.GetLastErrorMsg());
    try {
      System.out.println(ds.getRasterXSize() + "x" + ds.getRasterYSize() + " checksum=" + ds.GetRasterBand(1).Checksum());
    } finally {
      ds.delete();
    }
  }
}
EOF
tif="$src/swig/java/test_data/byte.tif"
java_says="$(java -Djava.library.path="$gen" -cp "$jar_file" "$gen/OpenGeoTiff.java" "$tif")" \
  || die "the new bindings failed to open $tif"
gdalinfo_says="$(gdalinfo -checksum "$tif" | sed -n 's/.*Checksum=\([0-9]*\).*/\1/p' | head -n1)"
size_says="$(gdalinfo "$tif" | sed -n 's/^Size is \([0-9]*\), \([0-9]*\)$/\1x\2/p')"
[ "$java_says" = "$size_says checksum=$gdalinfo_says" ] \
  || die "bindings read '$java_says' but gdalinfo says '$size_says checksum=$gdalinfo_says'"
log "check: gdal.Open($(basename "$tif")) -> $java_says (matches gdalinfo)"

# 7. Install: native library atomically, jar into the local Maven repository.
mkdir -p "$libdir"
install -m 0644 "$gen/libgdalalljni.so" "$libdir/.libgdalalljni.so.tmp"
mv -f "$libdir/.libgdalalljni.so.tmp" "$libdir/libgdalalljni.so"
mvn_repo_args=()
[ -z "$m2_repo" ] || mvn_repo_args=(-Dmaven.repo.local="$m2_repo")
(cd "$gen" && mvn -B -q -Dstyle.color=never "${mvn_repo_args[@]}" org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file \
  -Dfile="$jar_file" -Dsources="$sources_jar" -DgroupId=org.gdal -DartifactId=gdal -Dversion="$gdal_version" \
  -Dpackaging=jar -DgeneratePom=true) >"$gen/mvn-install.log" 2>&1 \
  || { cat "$gen/mvn-install.log" >&2; die "mvn install:install-file failed"; }
[ -f "$m2_jar" ] || die "expected $m2_jar after install"
installed_says="$(java -Djava.library.path="$libdir" -cp "$m2_jar" "$gen/OpenGeoTiff.java" "$tif")" \
  && [ "$installed_says" = "$java_says" ] || die "the installed bindings ($libdir, $m2_jar) failed to open $tif"
mkdir -p "$(dirname "$stamp")"
echo "$stamp_text" > "$stamp"
log "installed $libdir/libgdalalljni.so and org.gdal:gdal:$gdal_version ($stamp_text)"
