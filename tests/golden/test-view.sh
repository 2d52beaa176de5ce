#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Golden test: `trowatch scan --dump-view` of every sample is diffed against
# tests/golden/view/NAME.ref.  TW_UPDATE_GOLDEN=1 rewrites the references
# (in the source tree) instead: review the diff before committing it.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 99

set -- samples/*.eml
plan $#
for sample; do
  name=$(basename "$sample" .eml)
  ref=tests/golden/view/$name.ref
  out=$("$TROWATCH" scan --dump-view "$sample" 2>&1)
  status=$?
  if [ "${TW_UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$out" > "$ref"
    ok "$name (reference written)"
  elif [ $status -ne 0 ]; then
    fail "$name" "exit $status" "$out"
  elif [ ! -f "$ref" ]; then
    fail "$name" "no reference $ref (TW_UPDATE_GOLDEN=1 make check writes it)"
  elif d=$(printf '%s\n' "$out" | diff -u "$ref" - 2>&1); then
    ok "$name"
  else
    fail "$name" "$d"
  fi
done
[ $tap_failed -eq 0 ]
