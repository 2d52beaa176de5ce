#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-summary.sh [BUILDDIR]: count the individual test cases of the last
# make check from automake's .trs files, print the failures' logs, and end
# with one line "N passed, N failed, N skipped".
set -u
dir=${1:-.}
trs=$(find "$dir/tests" -name '*.trs' 2>/dev/null | sort)
if [ -z "$trs" ]; then
  echo "0 passed, 0 failed, 0 skipped"
  exit 0
fi
for f in $trs; do
  if grep -Eq '^:test-result: (FAIL|ERROR|XPASS)' "$f"; then
    echo "---- ${f%.trs}.log"
    cat "${f%.trs}.log"
  fi
done
# what the corpus test read, and why anything was skipped
for f in $trs; do
  log=${f%.trs}.log
  grep -h -e '^# read ' -e '^# prefilter: ' -e '^# shipped rules ' "$log" 2>/dev/null
  grep -h '^SKIP: ' "$log" 2>/dev/null
done
# shellcheck disable=SC2086
awk '
  /^:test-result: (PASS|XFAIL)/ { pass++ }
  /^:test-result: (FAIL|ERROR|XPASS)/ { fail++ }
  /^:test-result: SKIP/ { skip++ }
  END { printf "%d passed, %d failed, %d skipped\n", pass, fail, skip }
' $trs
