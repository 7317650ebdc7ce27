#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and runs the whole test suite under Xvfb.
# BUILDDIR and extra meson setup options may be given: test.sh [BUILDDIR [OPTIONS…]]
set -euo pipefail
cd "$(dirname "$0")/.."
. build-aux/deps.sh
storyloom_install_deps test
builddir=${1:-build}
[ $# -gt 0 ] && shift
storyloom_build "$builddir" "$@"
exec xvfb-run -a -s '-screen 0 1280x1024x24' \
  meson test -C "$builddir" --print-errorlogs --num-processes 2
