#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang, ASan and UBSan, runs each for SECONDS seconds and
# exits non-zero on any finding (the crashing input is left in BUILDDIR/fuzz-artifacts/).
# Usage: build-aux/fuzz.sh [BUILDDIR [SECONDS]]   (defaults: build-fuzz 60)
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${1:-build-fuzz}
seconds=${2:-60}
targets=(fuzz-toon-decode fuzz-toon-roundtrip fuzz-toon-json fuzz-ai-stream fuzz-ai-models)

if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang is needed for libFuzzer" >&2
  exit 1
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
else
  meson setup --reconfigure "$builddir" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
if ! log=$(meson compile -C "$builddir" "${targets[@]/#/fuzz/}" 2>&1); then
  echo "$log" | tail -30
  echo "fuzz.sh: the fuzz targets did not build" >&2
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

status=0
mkdir -p "$builddir/fuzz-artifacts"
for target in "${targets[@]}"; do
  corpus=fuzz/corpus-${target#fuzz-}
  mkdir -p "$corpus"
  echo "== $target: ${seconds}s =="
  if "$builddir/fuzz/$target" "$corpus" fuzz/seeds \
       -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$builddir/fuzz-artifacts/$target-" -print_final_stats=1 \
       >"$builddir/fuzz-artifacts/$target.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$builddir/fuzz-artifacts/$target.log" || true
    echo "$target: no finding"
  else
    status=1
    tail -40 "$builddir/fuzz-artifacts/$target.log"
    echo "$target: FINDING (see $builddir/fuzz-artifacts/)"
  fi
done
exit $status
