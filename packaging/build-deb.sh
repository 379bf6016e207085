#!/usr/bin/env bash
# Builds atalaya_<version>-<revision>_<arch>.deb with dpkg-deb from a release build with the Swift
# runtime linked statically, and prints the path of the package on the last line of its output.
#
#   packaging/build-deb.sh            (make deb)
#
# Environment: SWIFT (default swift), OUT_DIR (default .build/deb), DEB_REVISION (default 1),
# DEB_MAINTAINER, SKIP_SWIFT_BUILD=1 (package the binary already built).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
SWIFT=${SWIFT:-swift}
OUT_DIR=${OUT_DIR:-$repo/.build/deb}
DEB_REVISION=${DEB_REVISION:-1}
DEB_MAINTAINER=${DEB_MAINTAINER:-Atalaya maintainers <maintainers@atalaya.dev>}

die() { echo "build-deb: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps readelf strip gzip; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install dpkg-dev binutils)"
done

upstream=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/AtalayaAgent/AtalayaVersion.swift)
[[ $upstream =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "cannot read the version from AtalayaVersion.swift: '$upstream'"
version="$upstream-$DEB_REVISION"
arch=$(dpkg --print-architecture)
# Reproducible dates: the last commit's time (or now outside a git checkout).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

# 1. Release build, Swift runtime linked statically (packaging/release-build.sh).
if [[ ${SKIP_SWIFT_BUILD:-0} != 1 ]]; then
  SWIFT=$SWIFT packaging/release-build.sh
fi
bin_dir=$(SWIFT=$SWIFT packaging/release-build.sh --show-bin-path)
[[ -x $bin_dir/atalaya ]] || die "no release binary at $bin_dir/atalaya"

# 2. The package tree.
root="$OUT_DIR/root"
rm -rf "$root"
mkdir -p "$root/DEBIAN"
install -D -m 0755 "$bin_dir/atalaya" "$root/usr/bin/atalaya"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/atalaya"
install -D -m 0644 packaging/systemd/atalaya.service "$root/lib/systemd/system/atalaya.service"
install -D -m 0644 packaging/atalaya.yml "$root/etc/atalaya/atalaya.yml"
install -D -m 0600 packaging/atalaya.env "$root/etc/default/atalaya"
doc="$root/usr/share/doc/atalaya"
install -D -m 0644 README.md "$doc/README.md"
install -D -m 0644 packaging/debian/copyright "$doc/copyright"
install -d -m 0755 "$doc/examples"
install -m 0644 alerts/atalaya.rules.yml dashboards/atalaya-overview.json "$doc/examples/"
install -d -m 0755 "$root/usr/share/man/man1"
gzip -9n <packaging/atalaya.1 >"$root/usr/share/man/man1/atalaya.1.gz"
chmod 0644 "$root/usr/share/man/man1/atalaya.1.gz"
{
  printf 'atalaya (%s) unstable; urgency=medium\n\n' "$version"
  printf '  * Release %s.\n\n' "$upstream"
  printf ' -- %s  %s\n' "$DEB_MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"

# 3. The binary may need only libraries Debian ships (libc, libcurl4, libsystemd0, libyaml-0-2 and
#    friends):
#    the Swift runtime and FoundationEssentials must be inside it.
needed=$(readelf -d "$root/usr/bin/atalaya" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux[-a-z0-9_.]*\.so\.[0-9]+|libgcc_s\.so\.1|libstdc\+\+\.so\.6|libz\.so\.1|libcurl\.so\.4|libsystemd\.so\.0|libyaml-0\.so\.2)$'
for lib in $needed; do
  [[ $lib =~ $allowed ]] || die "the binary needs $lib, which is not a plain Debian library (is the Swift runtime linked statically?)"
done
echo "build-deb: needed libraries: $(echo $needed)" >&2

# 4. Depends from the libraries' shlibs (as dh_shlibdeps does).
work="$OUT_DIR/shlibdeps"
rm -rf "$work"
mkdir -p "$work/debian"
printf 'Source: atalaya\n\nPackage: atalaya\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$root/usr/bin/atalaya" | sed -n 's/^shlibs:Depends=//p')
[[ -n $depends ]] || die "dpkg-shlibdeps found no dependencies"
case $depends in *libcurl4*) ;; *) die "Depends lacks libcurl4: $depends" ;; esac
case $depends in *libsystemd0*) ;; *) die "Depends lacks libsystemd0: $depends" ;; esac
case $depends in *libyaml-0-2*) ;; *) die "Depends lacks libyaml-0-2: $depends" ;; esac

installed_size=$(du -k -s --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: atalaya
Version: $version
Architecture: $arch
Maintainer: $DEB_MAINTAINER
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Description: health, latency and cost agent for LLM API providers
 Atalaya is a small sidecar agent that watches the LLM providers an
 application depends on (OpenAI, OpenRouter, Anthropic, Ollama and any
 OpenAI-compatible endpoint). It sends cheap scheduled health probes, keeps
 rolling windows of success ratio and latency, runs a circuit breaker per
 check, and serves Prometheus metrics and a JSON status API.
 .
 It runs under systemd as a hardened Type=notify service with watchdog and
 reload. Example Prometheus alert rules and a Grafana dashboard are in
 /usr/share/doc/atalaya/examples.
CONTROL
printf '/etc/atalaya/atalaya.yml\n/etc/default/atalaya\n' >"$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
done

(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
  | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

# 5. The .deb.
deb="$OUT_DIR/atalaya_${version}_${arch}.deb"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
