#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the main window with the sample story, light and dark, for the README:
#   docs/screenshots/storyloom-light.png and docs/screenshots/storyloom-dark.png
# Runs the built app (BUILDDIR, default build) on a throw-away library under Xvfb and
# captures the screen with ImageMagick's import.
# Usage: build-aux/screenshots.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${1:-build}
out=docs/screenshots
width=1200
height=800

for tool in Xvfb import xdotool; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing" >&2; exit 1; }
done
[ -d "$builddir" ] || meson setup "$builddir"
meson compile -C "$builddir" storyloom >/dev/null
app="$PWD/$builddir/src/ui/storyloom"
mkdir -p "$out"

tmp=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# A free display number.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 "${width}x${height}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
  DISPLAY=":$display" xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done

export DISPLAY=":$display"
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"

for style in light dark; do
  case $style in
    light) scheme=prefer-light ;;
    dark) scheme=prefer-dark ;;
  esac
  rm -f "$tmp"/library.db*
  ADW_DEBUG_COLOR_SCHEME=$scheme "$app" --db "$tmp/library.db" --sample &
  app_pid=$!
  # The window is up once X knows it; then give it time to draw and settle.
  for _ in $(seq 100); do
    xdotool search --onlyvisible --pid "$app_pid" >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 2
  import -window root "$out/storyloom-$style.png"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  echo "$out/storyloom-$style.png"
done
