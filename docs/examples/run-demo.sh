#!/usr/bin/env bash
# run-demo.sh BUILD-DIR [NAME [LANGUAGE]]: runs the libstream demo NAME
# (demo, csv-latin1) in C, Python, GJS and Vala, or only in LANGUAGE,
# against the uninstalled build in BUILD-DIR, prints what each one printed,
# and fails unless each printed exactly docs/examples/NAME-output.txt,
# which is also what the Python program prints on CPython's own io
# (io.BytesIO for demo, open() for csv-latin1; run with Python). A
# program whose NAME.csv is next to it gets that file's path.
#
# Python is /usr/bin/python3 (Debian's, with PyGObject) unless IO_PYTHON
# names another interpreter that has gi.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: $0 BUILD-DIR [NAME [LANGUAGE]]" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
demo=${2:-demo}
only=${3:-}
python=${IO_PYTHON:-/usr/bin/python3}
expected="$here/$demo-output.txt"
args=()
[ -f "$here/$demo.csv" ] && args=("$here/$demo.csv")
case $demo in
  demo) reference=--bytesio ;;
  *) reference=--builtin ;;
esac

# The uninstalled typelib, library and Python and GJS overrides, never an
# installed copy.
export GI_TYPELIB_PATH="$build/libstream${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}"
export LD_LIBRARY_PATH="$build/libstream${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PYTHONPATH="$root/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
export GJS_PATH="$root/bindings/gjs${GJS_PATH:+:$GJS_PATH}"
export PYTHONDONTWRITEBYTECODE=1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

# run NAME COMMAND...: runs one demo, keeping its output in $out/NAME. A
# demo that fails or writes anything to stderr (a warning) fails the run.
run () {
  local name=$1
  shift
  if [ -n "$only" ] && [ "$only" != "$name" ] &&
       ! { [ "$only" = Python ] && [ "$name" = reference ]; }; then
    return
  fi
  printf '== %s\n' "$name"
  if "$@" >"$out/$name" 2>"$out/$name.stderr"; then
    cat "$out/$name"
  else
    cat "$out/$name"
    echo "run-demo: the $name demo failed ($*)" >&2
    status=1
  fi
  if [ -s "$out/$name.stderr" ]; then
    cat "$out/$name.stderr" >&2
    echo "run-demo: the $name demo wrote to stderr" >&2
    status=1
  fi
  echo
}

run C "$build/docs/examples/$demo" "${args[@]}"
run Python "$python" "$here/$demo.py" "${args[@]}"
run GJS gjs -m "$here/$demo.js" "${args[@]}"
run Vala "$build/docs/examples/$demo-vala" "${args[@]}"
# The reference: the Python program on CPython's own io.
run reference "$python" "$here/$demo.py" "$reference" "${args[@]}"

for name in C Python GJS Vala reference; do
  [ -f "$out/$name" ] || continue
  if ! diff -u --label expected --label "$name" "$expected" "$out/$name" >&2; then
    echo "run-demo: the $name output differs from docs/examples/$demo-output.txt" >&2
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "${only:-Each of the four} printed the $(wc -l < "$expected") lines of $demo-output.txt."
fi
exit $status
