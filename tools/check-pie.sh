#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-pie.sh PROGRAM [READELF]: fail unless PROGRAM is a position-independent
# executable.  Debian's libetpan.pc leaks -specs=...no-pie-link.specs, which
# silently turns PIE off with gcc; configure strips it, and this proves it.
set -u
prog=$1
readelf=${2:-readelf}
[ -n "$readelf" ] || readelf=readelf
if ! command -v "$readelf" >/dev/null 2>&1; then
  echo "check-pie: readelf not found (apt-get install binutils)"
  exit 1
fi
type=$("$readelf" -h "$prog" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')
if [ "$type" != DYN ]; then
  echo "check-pie: $prog is not PIE (ELF type $type)"
  exit 1
fi
if ! "$readelf" -d "$prog" | grep -q 'FLAGS_1.*PIE'; then
  echo "check-pie: $prog is a shared object, not a PIE executable"
  exit 1
fi
echo "check-pie: $prog is PIE"
