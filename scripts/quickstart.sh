#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# quickstart.sh: install what is missing, build, and run trowatch on the
# bundled samples: for now, what it reads in each message (the message view).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
echo
echo "== trowatch scan --dump-view samples/*.eml"
./trowatch scan --dump-view samples/*.eml
