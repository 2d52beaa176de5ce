#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Golden tests of scan's output formats over samples/ with the fixture rule
# set: table, json and --explain, each diffed against tests/golden/scan/.
# TW_UPDATE_GOLDEN=1 rewrites the references instead.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 99
export XDG_CONFIG_HOME=/nonexistent TROWATCH_RULES=tests/fixtures/rules/golden.rules
unset TROWATCH_CONFIG
conf=samples/conf/trowatch.conf

plan 4
golden() { # NAME ARGS...
  name=$1; shift
  ref=tests/golden/scan/$name.ref
  out=$("$TROWATCH" --config "$conf" scan "$@" samples/*.eml 2>&1)
  status=$?
  if [ "${TW_UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$out" > "$ref"; ok "$name (reference written)"
  elif [ $status -ne 0 ]; then fail "$name" "exit $status" "$out"
  elif d=$(printf '%s\n' "$out" | diff -u "$ref" - 2>&1); then ok "$name"
  else fail "$name" "$d"; fi
}
golden table --format table
golden json --format json
golden explain --explain
golden json-explain --format json --explain
[ $tap_failed -eq 0 ]
