#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test.sh: install what is missing, build if needed, and run every test
# (make check).  A configured build keeps its configure flags.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
status=0
make -j"$(nproc 2>/dev/null || echo 2)" check || status=$?
sh scripts/test-summary.sh .
exit $status
