#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-layering.sh SRCDIR: fail on an include that breaks the architecture:
# a third-party library used outside its one module, a module including a
# module above it, or a module reaching into another's private headers.
set -u
top=${1:-.}
cd "$top" || exit 2
status=0

fail() {
  echo "check-layering: $*"
  status=1
}

# which third-party headers each module may include (besides libc and GLib)
libs_of() {
  case $1 in
    mail) echo 'gmime/ libxml/ libpsl.h' ;;
    rules) echo 'pcre2.h' ;;
    net) echo 'libetpan/ gnutls/' ;;
    store) echo 'sqlite3.h' ;;
    filter) echo 'libmilter/' ;;
    digest) echo 'libical/' ;;
    model | cli) echo 'json-glib/' ;;
    *) echo '' ;;
  esac
}

# which trowatch modules each module may include (dependencies point down)
deps_of() {
  case $1 in
    util) echo 'util' ;;
    model) echo 'model' ;;
    mail | rules | store | net) echo "$1 model util" ;;
    engine) echo 'engine rules mail model util' ;;
    poll) echo 'poll engine net store rules mail model util' ;;
    filter) echo 'filter engine store rules mail model util' ;;
    digest) echo 'digest store mail net model util' ;;
    cli) echo 'cli poll filter digest engine net store rules mail model util' ;;
    *) echo '' ;;
  esac
}

third_party='gmime/ libxml/ libpsl.h pcre2.h libetpan/ gnutls/ sqlite3.h libmilter/ libical/ json-glib/'

for dir in src/*/; do
  module=$(basename "$dir")
  if [ -z "$(deps_of "$module")" ]; then
    fail "src/$module: unknown module (add it to tools/check-layering.sh and architecture.md)"
    continue
  fi
  for file in $(find "$dir" -name '*.[ch]' | sort); do
    grep -n '^[[:space:]]*#[[:space:]]*include' "$file" | while IFS= read -r line; do
      lineno=${line%%:*}
      inc=$(printf '%s\n' "$line" | sed -n 's/.*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p')
      case $inc in
        trowatch/*.h)
          want=$(basename "$inc" .h)
          case " $(deps_of "$module") " in
            *" $want "*) ;;
            *) echo "check-layering: $file:$lineno: src/$module may not include <$inc> (an upward or sideways dependency)" ;;
          esac
          ;;
        */*)
          for lib in $third_party; do
            case $inc in
              "$lib"*)
                case " $(libs_of "$module") " in
                  *" $lib "*) ;;
                  *) echo "check-layering: $file:$lineno: <$inc> belongs to another module, not src/$module" ;;
                esac
                ;;
            esac
          done
          case $inc in
            ../*) echo "check-layering: $file:$lineno: \"$inc\" reaches into another module's private header" ;;
          esac
          ;;
        *)
          for lib in $third_party; do
            case $inc in
              "$lib")
                case " $(libs_of "$module") " in
                  *" $lib "*) ;;
                  *) echo "check-layering: $file:$lineno: <$inc> belongs to another module, not src/$module" ;;
                esac
                ;;
            esac
          done
          ;;
      esac
    done
  done
done > check-layering.out.$$

# the contracts in include/ carry no third-party type but GLib's (and
# json-glib's in the model, whose JSON is part of its contract)
for file in include/trowatch/*.h; do
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$file" | while IFS= read -r line; do
    lineno=${line%%:*}
    inc=$(printf '%s\n' "$line" | sed -n 's/.*<\([^>]*\)>.*/\1/p')
    case $inc in
      glib.h | glib-object.h | stdbool.h | stddef.h | stdint.h | sys/types.h) ;;
      json-glib/*) [ "$file" = include/trowatch/model.h ] ||
        echo "check-layering: $file:$lineno: <$inc> in a public header" ;;
      *) echo "check-layering: $file:$lineno: <$inc> in a public header (contracts use GLib types only)" ;;
    esac
  done
done >> check-layering.out.$$

if [ -s check-layering.out.$$ ]; then
  cat check-layering.out.$$
  status=1
fi
rm -f check-layering.out.$$
[ $status = 0 ] && echo "check-layering: clean"
exit $status
