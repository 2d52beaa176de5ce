#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# quickstart.sh: install what is missing, build, and run trowatch on the
# bundled samples: the verdict of every message, with the shipped rules.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
echo
echo "== ./trowatch scan --config samples/conf/trowatch.conf samples/"
./trowatch -q scan --config samples/conf/trowatch.conf samples/
echo
echo "Why a message got its verdict:  ./trowatch scan --explain samples/FILE.eml"
echo "What trowatch reads in it:      ./trowatch scan --dump-view samples/FILE.eml"
