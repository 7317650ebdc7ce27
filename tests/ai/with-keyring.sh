#!/bin/sh
# with-keyring.sh PROGRAM [ARGS…]: runs PROGRAM against a private session bus with an unlocked
# gnome-keyring of its own (in a throw-away HOME), so that keyring tests never touch a real one.
# Without dbus-run-session or gnome-keyring-daemon, PROGRAM runs with STORYLOOM_TEST_KEYRING
# unset and skips its keyring tests, unless STORYLOOM_REQUIRE_KEYRING is set (CI sets it): then
# the missing tools are a failure, so that the keyring tests cannot quietly stop running.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

if ! command -v dbus-run-session >/dev/null 2>&1 ||
   ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if [ -n "${STORYLOOM_REQUIRE_KEYRING:-}" ]; then
    echo "with-keyring.sh: dbus-run-session and gnome-keyring-daemon are needed" \
         "(build-aux/deps.sh installs them)" >&2
    exit 1
  fi
  exec "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/storyloom-keyring-XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/home" "$scratch/data" "$scratch/run"
chmod 700 "$scratch/run"

# The bus's daemon starts services on demand (the accessibility registry, when a window opens)
# and they print to its standard output: only PROGRAM's may reach ours, which is TAP. PROGRAM
# gets ours as descriptor 3; the bus and what it starts get /dev/null.
exec 3>&1
HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" \
  dbus-run-session -- sh -c '
    printf "test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    # the daemon forks before it owns its name: wait for it (5 s at most)
    i=0
    while [ $i -lt 50 ]; do
      case $(gdbus call --session --dest org.freedesktop.DBus \
               --object-path /org/freedesktop/DBus \
               --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets \
               2>/dev/null) in
        *true*) break ;;
      esac
      sleep 0.1
      i=$((i + 1))
    done
    STORYLOOM_TEST_KEYRING=1 exec "$@" >&3 3>&-' sh "$@" >/dev/null
