#!/usr/bin/env bash
# Builds the libFuzzer targets (ASan + libFuzzer) and runs each for a bounded time.
#
#   make fuzz                          every target, FUZZ_SECONDS each (default 30)
#   FUZZ_SECONDS=3600 FUZZ_TARGETS=config make fuzz      one target, an hour
#
# Each target starts from its seed corpus in Fuzz/Corpus/<target> (committed) and
# writes what it learns to .build/fuzz/corpus/<target> (not committed). A crash stops
# the run with the input saved as .build/fuzz/crash-<target>-*; turn it into a test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SWIFT=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-config json response usage state expression time silence}
out="$here/../.build/fuzz"
mkdir -p "$out"

cd "$here"
"$SWIFT" build -c debug --product AtalayaFuzz \
  -Xswiftc -sanitize=fuzzer,address >&2
bin="$("$SWIFT" build -c debug --product AtalayaFuzz --show-bin-path \
  -Xswiftc -sanitize=fuzzer,address)/AtalayaFuzz"

status=0
for target in $targets; do
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds}s"
  # Swift's own crash backtracer would stop libFuzzer from saving the input.
  if ! ATALAYA_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
    "$bin" "$corpus" "$here/Corpus/$target" -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/crash-$target-" >"$out/$target.log" 2>&1; then
    echo "fuzz: $target FAILED; the input is in $out/crash-$target-*; log $out/$target.log" >&2
    tail -n 40 "$out/$target.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$out/$target.log" | tail -n 2 || true
  fi
done
exit $status
