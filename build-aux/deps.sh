#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by run.sh and test.sh: installs whatever the build (and, for test.sh, the tests)
# need and is not there yet, so that a second run costs nothing.
set -euo pipefail

# What building and running Storyloom needs, and nothing more.
STORYLOOM_RUN_PACKAGES=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libgtksourceview-5-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev zlib1g-dev libenchant-2-dev
)

# What the tests add: a display server, a small window manager for the fullscreen test, and keys
# (Xvfb, evilwm, xdotool), screenshots (ImageMagick), a private session bus and keyring for the
# keyring tests, the accessibility bus and its Python client for the screen-reader walk, the German locale, the data-file validators, the export
# checkers (pandoc, epubcheck), the American English and German dictionaries the spelling tests
# check against (German for a change of language), the Flatpak manifest check, and clang for the
# fuzzers.
STORYLOOM_TEST_PACKAGES=(
  xvfb xauth evilwm xdotool imagemagick dbus dbus-x11 gnome-keyring locales
  at-spi2-core python3-pyatspi
  desktop-file-utils appstream flatpak-builder
  epubcheck pandoc
  hunspell-en-us hunspell-de-de
  clang libclang-rt-14-dev
)

# storyloom_missing_packages PACKAGE…
storyloom_missing_packages ()
{
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]:-}"
}

# storyloom_install_deps run|test
storyloom_install_deps ()
{
  local missing sudo=() packages=("${STORYLOOM_RUN_PACKAGES[@]}")
  if [ "${1:-run}" = test ]; then
    packages+=("${STORYLOOM_TEST_PACKAGES[@]}")
  fi
  missing=$(storyloom_missing_packages "${packages[@]}")
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  if [ -n "$missing" ]; then
    echo "Installing: $missing"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  fi
  # The TOON tests check that nothing depends on a comma-decimal locale, and the translation
  # test runs the window in German.
  if [ "${1:-run}" = test ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    "${sudo[@]}" sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    "${sudo[@]}" locale-gen >/dev/null
  fi
}

# storyloom_build BUILDDIR [meson setup options…]
storyloom_build ()
{
  local builddir=$1
  shift
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$@"
  fi
  meson compile -C "$builddir"
}
