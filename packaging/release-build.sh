#!/usr/bin/env bash
# Builds the release binary as it ships (the .deb, `make release`, `make bench`) and prints nothing
# else on stdout; with --show-bin-path it prints the directory that holds the binary instead.
#
#   packaging/release-build.sh [--show-bin-path]
#
# What the link does, and why (bench/notes.md, "Issue 14": each step measured with `make bench`):
# - The Swift runtime is linked statically (--static-swift-stdlib), and so is libstdc++, which only the
#   Swift runtime uses: the shared libstdc++ would map 1 MB of code and tables for a few functions.
# - Position-dependent executable (-no-pie): the 70,000 relative relocations of a PIE would be applied
#   at every start, writing private copies of 0.8 MB of metadata pages and keeping 1.7 MB of
#   relocation tables resident.
# - No exported symbol table (--no-export-dynamic): swiftc's static link exports every symbol, 1.3 MB of
#   tables the dynamic loader reads at start. Nothing loads plugins into atalaya.
# - Hot code first: every function gets its own section (-function-sections, which swiftc leaves off
#   for async funclets and merged functions) and lld lays out the functions a running agent executes,
#   listed in packaging/atalaya.order (`make order-file` regenerates it), before all the others. The
#   kernel maps code 64 KiB around each page touched, so hot code spread over the 17 MB of text kept
#   most of it resident. A function missing from the list still works; it is only placed further out.
#   Private functions (closure contexts' destroyers, unnamed thunks) have no symbol to list: LLVM
#   names them with .L labels. packaging/private-text.ld puts all of them, about 120 KB, first.
#
# Environment: SWIFT (default swift); ATALAYA_LINK_MAP=FILE writes lld's link map there (bench/order_file.py
# reads it to name the code a profile saw run).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
SWIFT=${SWIFT:-swift}

# libstdc++.a in a directory of its own, searched before the compiler's directory (which also holds
# libstdc++.so): the runtime's `-lstdc++` then resolves to the archive.
static_cxx="$repo/.build/static-libstdc++"
cxx_archive=$(clang++ -print-file-name=libstdc++.a 2>/dev/null || true)
link_cxx=()
if [[ $cxx_archive == /* && -f $cxx_archive ]]; then
  mkdir -p "$static_cxx"
  ln -sf "$cxx_archive" "$static_cxx/libstdc++.a"
  link_cxx=(-Xlinker -L"$static_cxx")
else
  echo "release-build: libstdc++.a not found (apt-get install libstdc++-12-dev); linking libstdc++ dynamically" >&2
fi

flags=(-c release --static-swift-stdlib --product atalaya
  -Xswiftc -Xfrontend -Xswiftc -function-sections
  -Xswiftc -use-ld=lld
  -Xswiftc -Xclang-linker -Xswiftc -no-pie
  -Xlinker --no-export-dynamic
  -Xlinker --symbol-ordering-file="$repo/packaging/atalaya.order"
  -Xlinker --no-warn-symbol-ordering
  -Xlinker "$repo/packaging/private-text.ld"
  "${link_cxx[@]}")
if [[ -n ${ATALAYA_LINK_MAP:-} ]]; then
  flags+=(-Xlinker -Map="$ATALAYA_LINK_MAP")
fi

bin_dir=$("$SWIFT" build "${flags[@]}" --show-bin-path)
if [[ ${1:-} == --show-bin-path ]]; then
  echo "$bin_dir"
  exit 0
fi
# SwiftPM does not know the order file is an input of the link: always link afresh.
rm -f "$bin_dir/atalaya"
"$SWIFT" build "${flags[@]}" >&2
