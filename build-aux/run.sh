#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts Storyloom on the default library
# (or the one named by STORYLOOM_DB / --db).
set -euo pipefail
cd "$(dirname "$0")/.."
. build-aux/deps.sh
storyloom_install_deps run
storyloom_build build
export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
exec ./build/src/ui/storyloom "$@"
