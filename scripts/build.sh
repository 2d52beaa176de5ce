#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# build.sh [CONFIGURE-ARGS...]: build trowatch in the source tree.  An
# existing configured build is kept with its configure flags; the arguments
# only apply to a first configure.
set -eu
cd "$(dirname "$0")/.."
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure "$@"
make -j"$(nproc 2>/dev/null || echo 2)"
