#!/usr/bin/env bash
# run-demo.sh BUILD-DIR: runs the libstream demo in C, Python, GJS and Vala
# against the uninstalled build in BUILD-DIR, prints what each one printed,
# and fails unless all four printed exactly docs/examples/demo-output.txt,
# which is also what the Python demo prints on CPython's io.BytesIO.
#
# Python is /usr/bin/python3 (Debian's, with PyGObject) unless IO_PYTHON
# names another interpreter that has gi.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD-DIR" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
python=${IO_PYTHON:-/usr/bin/python3}
expected="$here/demo-output.txt"

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

run C "$build/docs/examples/demo"
run Python "$python" "$here/demo.py"
run GJS gjs -m "$here/demo.js"
run Vala "$build/docs/examples/demo-vala"
# The reference: the Python demo on CPython's own io.BytesIO.
run io.BytesIO "$python" "$here/demo.py" --bytesio

for name in C Python GJS Vala io.BytesIO; do
  if ! diff -u --label expected --label "$name" "$expected" "$out/$name" >&2; then
    echo "run-demo: the $name output differs from docs/examples/demo-output.txt" >&2
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "The four demos printed the same $(wc -l < "$expected") lines, as io.BytesIO does."
fi
exit $status
