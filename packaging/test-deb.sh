#!/usr/bin/env bash
# Tests a built .deb on this machine (as root; CI runs as root): lintian reports no errors, the
# package installs with dpkg, the installed `atalaya check` accepts the installed example config,
# the installed unit passes `systemd-analyze verify` and rates at most 1.5 in
# `systemd-analyze security --offline=true`, and the package purges cleanly.
#
#   packaging/test-deb.sh .build/deb/atalaya_0.1.0-1_amd64.deb      (make test-packaging)
set -euo pipefail
# dpkg needs ldconfig and start-stop-daemon, which live in the sbin folders: a minimal
# environment (env -i, some CI runners) may leave them out of PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

deb=${1:?usage: test-deb.sh PATH.deb}
max_exposure=1.5
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
step() { echo "test-deb: $*"; }

[[ -f $deb ]] || fail "no package at $deb"
[[ $(id -u) == 0 ]] || fail "must run as root (it installs the package with dpkg)"
for tool in dpkg lintian systemd-analyze man; do
  command -v "$tool" >/dev/null || fail "$tool not found (make test-deps installs it)"
done
if dpkg-query -W -f='${Status}' atalaya 2>/dev/null | grep -q 'ok installed'; then
  fail "atalaya is already installed on this machine; refusing to replace and purge it"
fi

tmp=$(mktemp -d)
installed=0
cleanup() {
  if [[ $installed == 1 ]]; then dpkg -P atalaya >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step "lintian $(basename "$deb")"
lintian_out=$(lintian --fail-on error --display-level '>=warning' "$deb") || {
  echo "$lintian_out" >&2
  fail "lintian reported errors"
}
[[ -n $lintian_out ]] && echo "$lintian_out" | sed 's/^/  /'

step "dpkg -i"
installed=1
dpkg -i "$deb"
version=$(dpkg-deb -f "$deb" Version)
for f in /usr/bin/atalaya /lib/systemd/system/atalaya.service /etc/atalaya/atalaya.yml \
  /etc/default/atalaya /usr/share/doc/atalaya/README.md /usr/share/doc/atalaya/copyright \
  /usr/share/doc/atalaya/changelog.Debian.gz /usr/share/man/man1/atalaya.1.gz; do
  [[ -e $f ]] || fail "$f is not installed"
done
[[ -d /etc/atalaya/credentials && $(stat -c %a /etc/atalaya/credentials) == 700 ]] \
  || fail "/etc/atalaya/credentials is not a 0700 directory"
conffiles=$(dpkg-query -W -f='${Conffiles}' atalaya)
for f in /etc/atalaya/atalaya.yml /etc/default/atalaya; do
  grep -q "^ $f " <<<"$conffiles" || fail "$f is not a conffile"
done
if ldd /usr/bin/atalaya | grep -q 'not found'; then
  ldd /usr/bin/atalaya >&2
  fail "the installed binary misses libraries"
fi
got=$(/usr/bin/atalaya --version)
[[ $version == "$got"-* ]] || fail "atalaya --version says '$got', the package is $version"

step "atalaya check on the installed example config"
# The example config reads its key with api_key_credential (LoadCredential= in the unit).
mkdir -m 0700 "$tmp/credentials"
printf 'sk-or-v1-0123456789abcdef0123456789abcdef\n' >"$tmp/credentials/openrouter_api_key"
out=$(env -i PATH=/usr/bin:/bin CREDENTIALS_DIRECTORY="$tmp/credentials" \
  /usr/bin/atalaya check --config /etc/atalaya/atalaya.yml 2>&1) || {
  echo "$out" >&2
  fail "the installed atalaya check rejects /etc/atalaya/atalaya.yml"
}
echo "$out" | sed 's/^/  /'
grep -q 'valid' <<<"$out" || fail "atalaya check printed no verdict"
grep -q 'sk-or-v1-0123' <<<"$out" && fail "atalaya check echoed the API key"
# And without the credential it must refuse, naming the problem.
if out=$(env -i PATH=/usr/bin:/bin /usr/bin/atalaya check --config /etc/atalaya/atalaya.yml 2>&1); then
  fail "atalaya check accepted the config without its API key"
fi
grep -q 'CREDENTIALS_DIRECTORY' <<<"$out" || fail "unexpected error without the key: $out"

step "systemd-analyze verify"
unit=/lib/systemd/system/atalaya.service
out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out" >&2; fail "systemd-analyze verify failed"; }
[[ -z $out ]] || { echo "$out" >&2; fail "systemd-analyze verify reported problems"; }

step "systemd-analyze security --offline=true"
out=$(systemd-analyze security --offline=true "$unit" 2>&1) || true
line=$(grep 'Overall exposure level for atalaya.service:' <<<"$out") \
  || { echo "$out" >&2; fail "no overall exposure level in the security report"; }
score=$(sed -n 's/.*atalaya\.service: \([0-9.]*\).*/\1/p' <<<"$line")
echo "  $line"
awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s != "" && s + 0 <= m + 0) }' \
  || fail "exposure $score is above $max_exposure"

step "dpkg -P"
dpkg -P atalaya
installed=0
for f in /usr/bin/atalaya /lib/systemd/system/atalaya.service /etc/atalaya/atalaya.yml /etc/default/atalaya; do
  [[ ! -e $f ]] || fail "$f is left after purge"
done
step "ok"
