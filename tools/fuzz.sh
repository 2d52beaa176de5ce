#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz.sh [SECONDS]: build the libFuzzer targets with clang in a scratch copy
# of the tree (configure --enable-fuzzing --enable-sanitizers) and run each
# for SECONDS (default 60) on the fixtures and samples as seeds.
set -eu
secs=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/trowatch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# a copy, so the source tree's own (in-tree) build is left alone
(cd "$src" && tar -cf - --anchored --exclude=./.git --exclude='*.o' \
  --exclude='*.a' --exclude='*/.deps' --exclude='*.log' --exclude='*.trs' \
  --exclude=./Makefile --exclude=./config.status --exclude=./config.h \
  --exclude=./libtool --exclude=./stamp-h1 --exclude=./trowatch \
  --exclude='./trowatch-*' .) | (cd "$work" && tar -xf -)
cd "$work"
autoreconf -fi >/dev/null 2>&1
./configure -q CC=clang --enable-fuzzing --enable-sanitizers >/dev/null
make -j2 tests/fuzz/fuzz_view tests/fuzz/fuzz_config tests/fuzz/fuzz_rules >/dev/null
mkdir -p corpus-view corpus-config corpus-rules
cp "$src"/tests/fixtures/view/*.eml "$src"/samples/*.eml corpus-view/
cp "$src"/samples/conf/*.conf corpus-config/
cp "$src"/tests/fixtures/rules/*.rules corpus-rules/
for f in "$src"/rules/*.rules; do [ -f "$f" ] && cp "$f" corpus-rules/; done
status=0
for target in view config rules; do
  echo "fuzz_$target: ${secs}s"
  # libFuzzer exits non-zero on a crash, a sanitizer report (they abort:
  # -fno-sanitize-recover), a leak, a timeout or running out of memory
  st=0
  ASAN_OPTIONS=detect_leaks=1 ./tests/fuzz/fuzz_$target -max_total_time="$secs" \
    -max_len=65536 -timeout=10 -print_final_stats=1 corpus-$target \
    > fuzz-$target.log 2>&1 || st=$?
  grep -E '^(stat::number_of_executed_runs|==[0-9]+==ERROR|SUMMARY|Done)' fuzz-$target.log || true
  if [ "$st" -ne 0 ]; then
    echo "fuzz_$target found a failure (exit $st):"
    grep -E -A25 'ERROR|runtime error|SUMMARY' fuzz-$target.log | head -n 60
    for f in crash-* leak-* timeout-* oom-*; do
      [ -e "$f" ] && { echo "input $f:"; od -c "$f" | head -n 20; }
    done
    status=1
  fi
done
exit $status
