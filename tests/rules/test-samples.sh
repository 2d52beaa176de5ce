#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped rules over the labelled samples: every label met
# (`trowatch rules test`), every rule described and fired by some sample.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 99
export XDG_CONFIG_HOME=/nonexistent
unset TROWATCH_CONFIG TROWATCH_RULES
conf=samples/conf/trowatch.conf

out=$("$TROWATCH" -q rules test --coverage --config "$conf" samples/ 2>&1)
status=$?
diag "$(printf '%s\n' "$out" | tail -n 2)"
if [ $status -eq 0 ]; then ok "rules test: every sample gets its label"
else fail "rules test: every sample gets its label" "exit $status" "$(printf '%s\n' "$out" | grep -v '^coverage: ')"; fi

unfired=$(printf '%s\n' "$out" | grep 'fired on no message')
if [ -z "$unfired" ]; then ok "rules test --coverage: every rule fires on some sample"
else fail "rules test --coverage: every rule fires on some sample" "$unfired"; fi

# every rule has a describe line
missing=$(awk '
  FNR == 1 { if (name != "" && !described) print file ": " name; name = ""; file = FILENAME }
  /^rule / { if (name != "" && !described) print file ": " name; name = $2; described = 0; next }
  /^[ \t]+describe[ \t]/ { described = 1 }
  END { if (name != "" && !described) print file ": " name }
' rules/*.rules)
if [ -z "$missing" ]; then ok "every shipped rule has a describe line"
else fail "every shipped rule has a describe line" "$missing"; fi

count=$(ls samples/*.eml | wc -l)
zh=$(ls samples/*.eml | grep -c 'zh')
if [ "$count" -ge 100 ] && [ "$zh" -ge 25 ]; then ok "at least 100 samples, 25 of them Chinese ($count, $zh)"
else fail "at least 100 samples, 25 of them Chinese" "$count samples, $zh Chinese"; fi
done_testing
