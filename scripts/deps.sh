#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# deps.sh: install the Debian 12 packages trowatch needs to build and test.
# Installs only what is missing; as root directly, otherwise through sudo
# when there is one, else it says what to install and fails.
set -eu

# build and libraries
PACKAGES="build-essential autoconf automake libtool pkg-config binutils
  libglib2.0-dev libgmime-3.0-dev libxml2-dev libpsl-dev publicsuffix
  libpcre2-dev
  libcmocka-dev"
# project checks: check-format, the fuzzing build, man page checks
PACKAGES="$PACKAGES clang clang-format man-db"

missing=
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "deps: all packages are installed"
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  as_root=
elif command -v sudo >/dev/null 2>&1; then
  as_root=sudo
else
  echo "deps: these packages are missing:$missing" >&2
  echo "deps: as root, run: apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
echo "deps: installing$missing"
$as_root apt-get update -q
# sudo resets the environment: pass the frontend through env
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
