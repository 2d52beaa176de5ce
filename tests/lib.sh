# SPDX-License-Identifier: GPL-3.0-or-later
# TAP helpers for the shell tests: plan N, then ok / fail / skip_test per case.
# The harness (make check) sets TROWATCH, top_srcdir and TW_FIXTURES.

: "${TROWATCH:?TROWATCH must name the program (run through make check)}"
: "${top_srcdir:=.}"
tap_n=0
tap_failed=0
# the tests must not read the configuration of whoever runs them; a test
# that wants one sets it
export XDG_CONFIG_HOME=/nonexistent
unset TROWATCH_CONFIG TROWATCH_RULES

plan() { echo "1..$1"; }
# done_testing: the plan at the end, for scripts whose count grows
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
fail() {
  tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $1"
  shift
  [ $# -gt 0 ] && diag "$@"
  return 0
}
skip_test() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP ${2:-}"; }

# check NAME COMMAND...: one test case, passing when COMMAND succeeds
check() {
  name=$1; shift
  if out=$("$@" 2>&1); then ok "$name"; else fail "$name" "$out"; fi
}

# expect_status NAME STATUS COMMAND...: the command exits with STATUS
expect_status() {
  name=$1; want=$2; shift 2
  out=$("$@" 2>&1 </dev/null); got=$?
  if [ "$got" = "$want" ]; then ok "$name"; else fail "$name" "exit $got, expected $want" "$out"; fi
}

tmpdir() {
  d=$(mktemp -d "${TMPDIR:-/tmp}/trowatch-test.XXXXXX") || exit 99
  echo "$d"
}
