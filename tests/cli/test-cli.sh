#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line: help, version, usage errors, scan's inputs and exit
# codes, config check and dump, and that the man pages document every option.
. "${top_srcdir:-.}/tests/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
# no configuration from the person running the tests
export XDG_CONFIG_HOME="$T/xdg"
unset TROWATCH_CONFIG TROWATCH_RULES
V="$TW_FIXTURES/view"


# --- version, help, usage errors -----------------------------------------
out=$("$TROWATCH" --version)
case $out in "trowatch "[0-9]*) ok "--version" ;; *) fail "--version" "$out" ;; esac
out=$("$TROWATCH" --help)
if printf '%s\n' "$out" | grep -q '^  scan ' && printf '%s\n' "$out" | grep -q '^  config '; then
  ok "--help lists the commands that exist"
else fail "--help lists the commands that exist" "$out"; fi
if printf '%s\n' "$out" | grep -Eq '^  (poll|filter|deliver|milter|digest|cases) '; then
  fail "--help lists no command that does not exist yet" "$out"
else ok "--help lists no command that does not exist yet"; fi
for cmd in scan config rules "rules check" "rules test"; do
  # shellcheck disable=SC2086
  check "$cmd --help" "$TROWATCH" $cmd --help
done

usage_error() { # NAME ARGS...: exit 64 with exactly one line on stderr
  name=$1; shift
  err=$("$TROWATCH" "$@" 2>&1 >/dev/null </dev/null); st=$?
  lines=$(printf '%s\n' "$err" | wc -l)
  if [ $st = 64 ] && [ "$lines" = 1 ] && printf '%s' "$err" | grep -q '^trowatch: '; then
    ok "$name"
  else fail "$name" "exit $st, $lines lines" "$err"; fi
}
usage_error "unknown command exits 64 with one line" frobnicate
usage_error "unknown global option exits 64 with one line" --frobnicate scan
usage_error "unknown scan option exits 64 with one line" scan --frobnicate x
usage_error "no command exits 64" -v
usage_error "scan with an unknown format exits 64" scan --format xml "$V/fullwidth.eml"
usage_error "scan --dump-view with --explain exits 64" scan --dump-view --explain "$V/fullwidth.eml"
usage_error "rules without a command exits 64" rules
usage_error "rules test without a path exits 64" rules test
usage_error "scan without a path exits 64" scan --dump-view
usage_error "config without a subcommand exits 64" config
usage_error "unknown config subcommand exits 64" config frob
usage_error "--config without a value exits 64" --config
err=$("$TROWATCH" scan --frobnicate x 2>&1 >/dev/null)
if printf '%s' "$err" | grep -q '^trowatch: unknown option'; then ok "option errors are in lower case"
else fail "option errors are in lower case" "$err"; fi

# "--" ends the options: a file whose name starts with '-' can be scanned
T2=$(tmpdir)
cp "$top_srcdir/samples/order-shipped-en.eml" "$T2/--odd.eml"
out=$(cd "$T2" && "$TROWATCH" scan -- --odd.eml 2>&1); st=$?
if [ $st = 0 ] && printf '%s' "$out" | grep -q 'has shipped'; then ok "scan -- --odd.eml reads the file"
else fail "scan -- --odd.eml reads the file" "exit $st" "$out"; fi
rm -rf "$T2"

# --- scan: inputs and exit codes --------------------------------------------
out=$("$TROWATCH" scan --dump-view "$V/fullwidth.eml")
if [ $? = 0 ] && printf '%s\n' "$out" | grep -q '^subject: TRO:通知$'; then ok "scan a file"
else fail "scan a file" "$out"; fi

out=$("$TROWATCH" scan --dump-view - < "$V/fullwidth.eml")
if printf '%s\n' "$out" | grep -q '^== -$' && printf '%s\n' "$out" | grep -q '^subject: TRO:通知$'; then
  ok "scan - reads stdin"
else fail "scan - reads stdin" "$out"; fi

# an mbox with three messages, one with a ">From " body line
{
  printf 'From a@example.com Mon Jul 14 10:00:00 2025\nSubject: one\n\nFrom here on\n\n'
  printf 'From b@example.com Mon Jul 14 10:00:01 2025\nSubject: two\n\n>From quoted\n\n'
  printf 'From c@example.com Mon Jul 14 10:00:02 2025\nSubject: three\n\nlast\n'
} > "$T/box.mbox"
out=$("$TROWATCH" scan --dump-view "$T/box.mbox")
labels=$(printf '%s\n' "$out" | sed -n 's/^== //p' | tr '\n' ' ')
if [ "$labels" = "$T/box.mbox:1 $T/box.mbox:2 $T/box.mbox:3 " ] &&
   printf '%s\n' "$out" | grep -q '^subject: three$'; then ok "scan an mbox: FILE:N per message"
else fail "scan an mbox: FILE:N per message" "$labels"; fi

printf 'From a@example.com Mon Jul 14 10:00:00 2025\nSubject: only\n\nbody\n' > "$T/one.mbox"
out=$("$TROWATCH" scan --dump-view "$T/one.mbox" | sed -n 's/^== //p')
if [ "$out" = "$T/one.mbox" ]; then ok "an mbox of one message is just FILE"; else fail "an mbox of one message is just FILE" "$out"; fi

# a Maildir: cur/ and new/ read, tmp/ skipped; hidden files skipped
mkdir -p "$T/md/cur" "$T/md/new" "$T/md/tmp" "$T/md/.Junk/cur" "$T/md/.Junk/new" "$T/md/.Junk/tmp"
printf 'Subject: in cur\n\nx\n' > "$T/md/cur/1:2,S"
printf 'Subject: in new\n\nx\n' > "$T/md/new/2"
printf 'Subject: in tmp\n\nx\n' > "$T/md/tmp/3"
printf 'Subject: in junk\n\nx\n' > "$T/md/.Junk/new/4"
printf 'not mail at all\n' > "$T/md/dovecot-uidlist"
out=$("$TROWATCH" scan --dump-view "$T/md"); st=$?
subjects=$(printf '%s\n' "$out" | sed -n 's/^subject: //p' | sort | tr '\n' ',')
if [ $st = 0 ] && [ "$subjects" = "in cur,in junk,in new," ]; then ok "scan a Maildir: cur, new and Maildir++ folders, not tmp"
else fail "scan a Maildir: cur, new and Maildir++ folders, not tmp" "exit $st: $subjects"; fi

mkdir -p "$T/dir/sub" "$T/dir/.hidden"
printf 'Subject: visible\n\nx\n' > "$T/dir/sub/a.eml"
printf 'Subject: hidden\n\nx\n' > "$T/dir/.hidden/b.eml"
printf 'Subject: hidden file\n\nx\n' > "$T/dir/.c.eml"
out=$("$TROWATCH" scan --dump-view "$T/dir" | sed -n 's/^subject: //p' | tr '\n' ',')
if [ "$out" = "visible," ]; then ok "directories are walked, hidden entries skipped"; else fail "directories are walked, hidden entries skipped" "$out"; fi

printf '[general]\nlanguage = en\n' > "$T/not-mail.txt"
err=$("$TROWATCH" scan --dump-view "$T/not-mail.txt" "$V/fullwidth.eml" 2>&1 >/dev/null); st=$?
if [ $st = 65 ] && printf '%s' "$err" | grep -q "not-mail.txt: not a mail message"; then ok "not mail exits 65 and names the input"
else fail "not mail exits 65 and names the input" "exit $st" "$err"; fi
err=$("$TROWATCH" scan --dump-view "$T/missing.eml" "$V/fullwidth.eml" 2>&1 >/dev/null); st=$?
if [ $st = 66 ] && printf '%s' "$err" | grep -q "missing.eml: No such file"; then ok "an input that cannot be opened exits 66"
else fail "an input that cannot be opened exits 66" "exit $st" "$err"; fi
: > "$T/empty.eml"
expect_status "an empty file is not mail" 65 "$TROWATCH" scan --dump-view "$T/empty.eml"

# limits from the configuration reach the view
printf '[limits]\nmessage-size = 512\n' > "$T/small.conf"
out=$("$TROWATCH" --config "$T/small.conf" scan --dump-view "$TW_FIXTURES/view/rfc2231-filename.eml")
if printf '%s\n' "$out" | grep -q '^anomalies: truncated'; then ok "[limits] message-size applies to scan"
else fail "[limits] message-size applies to scan" "$out"; fi
out=$(TROWATCH_CONFIG="$T/small.conf" "$TROWATCH" scan --dump-view "$TW_FIXTURES/view/rfc2231-filename.eml")
if printf '%s\n' "$out" | grep -q '^anomalies: truncated'; then ok "TROWATCH_CONFIG is read"
else fail "TROWATCH_CONFIG is read" "$out"; fi
printf '[limits]\nmessage-size = lots\n' > "$T/bad.conf"
expect_status "scan with a bad configuration exits 78" 78 "$TROWATCH" --config "$T/bad.conf" scan --dump-view "$V/fullwidth.eml"

# --- config -------------------------------------------------------------------
expect_status "config check without any configuration exits 78" 78 "$TROWATCH" config check
check "config dump without configuration prints the defaults" sh -c "'$TROWATCH' config dump | grep -q '^message-size = 16M'"
err=$("$TROWATCH" config check --config "$T/bad.conf" 2>&1); st=$?
if [ $st = 78 ] && printf '%s' "$err" | grep -q "bad.conf:2: "; then ok "config check names file and line"
else fail "config check names file and line" "exit $st" "$err"; fi
check "config check accepts the sample configuration" "$TROWATCH" config check --config "$top_srcdir/samples/conf/trowatch.conf"
"$TROWATCH" config dump --config "$top_srcdir/samples/conf/trowatch.conf" > "$T/dumped.conf"
"$TROWATCH" config dump --config "$T/dumped.conf" > "$T/dumped2.conf"
if cmp -s "$T/dumped.conf" "$T/dumped2.conf"; then ok "config dump reloads to the same dump"
else fail "config dump reloads to the same dump" "$(diff "$T/dumped.conf" "$T/dumped2.conf")"; fi

# --- rules check and rules test -------------------------------------------------
R="$top_srcdir/tests/fixtures/rules/golden.rules"
out=$("$TROWATCH" rules check "$R" 2>&1); st=$?
if [ $st = 0 ] && [ "$out" = "12 rules, no errors" ]; then ok "rules check: a clean file"
else fail "rules check: a clean file" "exit $st" "$out"; fi
printf 'rule A\n    bdy /x/\nrule B\n    body /(a+)+$/\n' > "$T/bad.rules"
out=$("$TROWATCH" rules check "$T/bad.rules" 2>&1); st=$?
if [ $st = 65 ] && printf '%s\n' "$out" | grep -qx "$T/bad.rules:2:5: unknown target 'bdy'" &&
   printf '%s\n' "$out" | grep -q "^$T/bad.rules:4:13: warning: nested unbounded"; then
  ok "rules check: errors and warnings as FILE:LINE:COL, exit 65"
else fail "rules check: errors and warnings as FILE:LINE:COL, exit 65" "exit $st" "$out"; fi
printf 'rule B\n    body /(a+)+$/\n' > "$T/warn.rules"
out=$("$TROWATCH" rules check "$T/warn.rules" 2>&1); st=$?
if [ $st = 0 ] && printf '%s' "$out" | grep -q "1 rule, no errors, 1 warning"; then ok "rules check: warnings exit 0"
else fail "rules check: warnings exit 0" "exit $st" "$out"; fi
expect_status "scan with broken rules exits 65" 65 "$TROWATCH" scan --rules "$T/bad.rules" "$V/fullwidth.eml"

mkdir -p "$T/labelled"
printf 'Subject: x\nX-Trowatch-Expect: severity=high|critical; case=25-cv-07412\n\nA Temporary Restraining Order in 1:25-cv-07412.\n' > "$T/labelled/a.eml"
printf 'Subject: y\nX-Trowatch-Expect: severity=none; suspect=no\n\nnothing here\n' > "$T/labelled/b.eml"
printf 'Subject: z\n\nunlabelled\n' > "$T/labelled/c.eml"
out=$("$TROWATCH" rules test --rules "$R" --coverage "$T/labelled" 2>&1); st=$?
if [ $st = 0 ] && printf '%s\n' "$out" | grep -qx "3 messages, 2 labelled, 0 with differences (0 differences)" &&
   printf '%s\n' "$out" | grep -qx "coverage: ASIN fired on no message"; then
  ok "rules test: labels met, coverage listed"
else fail "rules test: labels met, coverage listed" "exit $st" "$out"; fi
printf 'Subject: w\nX-Trowatch-Expect: severity=critical; case=24-cv-00001; suspect=yes\n\nA Temporary Restraining Order in 1:25-cv-07412.\n' > "$T/labelled/d.eml"
out=$("$TROWATCH" rules test --rules "$R" "$T/labelled" 2>&1); st=$?
if [ $st = 1 ] && printf '%s\n' "$out" | grep -qx "$T/labelled/d.eml: severity high (score 6), expected critical" &&
   printf '%s\n' "$out" | grep -qx "$T/labelled/d.eml: case 24-cv-00001 not found" &&
   printf '%s\n' "$out" | grep -qx "$T/labelled/d.eml: case 25-cv-07412 found, not expected" &&
   printf '%s\n' "$out" | grep -qx "$T/labelled/d.eml: suspect no, expected yes"; then
  ok "rules test: every difference printed, exit 1"
else fail "rules test: every difference printed, exit 1" "exit $st" "$out"; fi
expect_status "rules test with broken rules exits 65" 65 "$TROWATCH" rules test --rules "$T/bad.rules" "$T/labelled"

# --- the man pages document every option --------------------------------------
missing=
for cmd in scan config rules; do
  for opt in $({ "$TROWATCH" "$cmd" --help-all; "$TROWATCH" "$cmd" test --help-all; } 2>/dev/null |
               grep -o -- '--[a-z][a-z-]*' | sort -u); do
    case $opt in --help*) continue ;; esac
    grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$top_srcdir/man/trowatch.1" ||
      grep -q -- "$opt" "$top_srcdir/man/trowatch.1" || missing="$missing $cmd:$opt"
  done
done
if [ -z "$missing" ]; then ok "trowatch(1) documents every option"; else fail "trowatch(1) documents every option" "missing:$missing"; fi

done_testing
