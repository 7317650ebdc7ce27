#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# TOON throughput: ours (bench-toon) and the reference implementation (@toon-format/toon 4.4.0
# under node) decoding the same 5 MB document, in the same run, and the ratio.
# Usage: bench/toon/bench-toon.sh [BUILDDIR]   (default: build)
# The reference is installed into .bench/ (gitignored) when missing; it is never part of the
# build or the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."

builddir=${1:-build}
scratch=.bench
reference_version=4.4.0
module_dir=$scratch/node_modules/@toon-format/toon

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" >/dev/null
fi
meson compile -C "$builddir" bench/toon/bench-toon >/dev/null

mkdir -p "$scratch"
document=$scratch/bench-toon.toon

ours=$("$builddir/bench/toon/bench-toon" --write "$document")
echo "$ours"
our_decode=$(sed -n 's/^decode: \([0-9.]*\) MB\/s.*/\1/p' <<<"$ours")

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "reference: node/npm not installed; no comparison"
  exit 0
fi
if [ ! -f "$module_dir/package.json" ] ||
   ! grep -q "\"version\": \"$reference_version\"" "$module_dir/package.json"; then
  echo "installing @toon-format/toon@$reference_version into $scratch/ ..."
  if ! npm install --prefix "$scratch" --no-save --no-audit --no-fund --prefer-offline \
       "@toon-format/toon@$reference_version" >/dev/null 2>&1; then
    echo "reference: could not install @toon-format/toon@$reference_version; no comparison"
    exit 0
  fi
fi

theirs=$(node bench/toon/bench-reference.mjs "$module_dir" "$document")
echo "$theirs"
their_decode=$(sed -n 's/^reference decode: \([0-9.]*\) MB\/s.*/\1/p' <<<"$theirs")
awk -v a="$our_decode" -v b="$their_decode" \
  'BEGIN { printf "ratio: %.1fx the reference decode speed (target: 20x)\n", a / b }'
