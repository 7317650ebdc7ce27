#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the writing window with the sample story, for the README (issue 14): at a
# phone's 360 px, at 800 px and at 1400 px, and the wide one again in the dark style:
#   docs/screenshots/storyloom-{360,800,1400,1400-dark}.png
# Runs the built app (BUILDDIR, default build) on a throw-away library under Xvfb, with GTK's
# own title buttons (minimize, maximize, close), and captures the window with ImageMagick.
# Usage: build-aux/screenshots.sh [BUILDDIR [OUTDIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${1:-build}
out=${2:-docs/screenshots}

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
Xvfb ":$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
  DISPLAY=":$display" xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done

export DISPLAY=":$display"
export GSETTINGS_BACKEND=keyfile
export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$tmp/config/glib-2.0/settings"

# shot NAME WIDTH HEIGHT SCHEME [KEYS]: the window at WIDTH×HEIGHT; KEYS are pressed first
# (at 360 px, Alt+Down and Return open a scene from the sidebar).
shot() {
  local name=$1 width=$2 height=$3 scheme=$4 keys=${5:-} window
  printf '[io/github/storyloom/Storyloom]\nwindow-width=%s\nwindow-height=%s\n' \
    "$width" "$height" >"$tmp/config/glib-2.0/settings/keyfile"
  rm -f "$tmp"/library.db*
  ADW_DEBUG_COLOR_SCHEME=$scheme "$app" --db "$tmp/library.db" --sample &
  app_pid=$!
  # The window is up once X knows it; then give it time to draw and settle.
  window=
  for _ in $(seq 100); do
    window=$(xdotool search --onlyvisible --pid "$app_pid" 2>/dev/null | head -n1) && \
      [ -n "$window" ] && break
    sleep 0.1
  done
  [ -n "$window" ] || { echo "screenshots.sh: no window for $name" >&2; exit 1; }
  sleep 2
  for key in $keys; do
    xdotool key --window "$window" "$key"
    sleep 0.5
  done
  [ -n "$keys" ] && sleep 1
  import -window "$window" "$out/storyloom-$name.png"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  echo "$out/storyloom-$name.png"
}

shot 1400 1400 900 prefer-light
shot 1400-dark 1400 900 prefer-dark
shot 800 800 600 prefer-light
shot 360 360 640 prefer-light "Down Return"
