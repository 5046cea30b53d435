#!/usr/bin/env bash
# test-install.sh BUILD-DIR: installs BUILD-DIR into a temporary DESTDIR, then
# checks the installed copy alone, with every search path pointing into it:
#   - Python (/usr/bin/python3, or IO_PYTHON) loads the installed typelib,
#     library and gi override, and runs the demo;
#   - GJS loads the installed typelib, library and override (found in
#     $XDG_DATA_DIRS/gjs-1.0/overrides), and runs the demo;
#   - pkg-config finds libstream-1, and a C program compiled and linked with
#     its flags (the demo) runs; its girdir, typelibdir and vapidir
#     variables name the directories the GIR, typelib and VAPI went to;
#   - valac compiles the Vala demo with --pkg libstream-1 from the installed
#     VAPI (and its .deps), and it runs.
# Every demo must print docs/examples/demo-output.txt.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD-DIR" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
python=${IO_PYTHON:-/usr/bin/python3}
examples="$root/docs/examples"
expected="$examples/demo-output.txt"

destdir=$(realpath "$(mktemp -d)")
trap 'rm -rf "$destdir"' EXIT
work=$destdir
# shellcheck source=tests/install/common.sh
. "$here/common.sh"

install_build

gir=$(installed Io-1.gir)
typelib=$(installed Io-1.typelib)
library=$(installed libstream-1.so.0)
override=$(installed gi/overrides/Io.py)
gjs_override=$(installed overrides/Io.js)
vapi=$(installed libstream-1.vapi)
pc=$(installed libstream-1.pc)
for file in "$gir" "$typelib" "$library" "$override" "$gjs_override" "$vapi" "$(dirname "$vapi")/libstream-1.deps" "$pc"; do
  [ -e "$file" ] || fail "$file was not installed"
done

step "the override lies where $python searches"
# For a prefix the interpreter searches (the default /usr/local, or /usr),
# the override must land in one of its package directories, so that an
# installed libstream works without PYTHONPATH.
prefix=$(meson introspect "$build" --buildoptions |
         "$python" -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
searched=$("$python" "$root/bindings/python/site-dir.py" "$prefix")
site=$(dirname "$(dirname "$(dirname "$override")")")
if [ -n "$searched" ]; then
  [ "${site#"$destdir"}" = "$searched" ] ||
    fail "the override went to ${site#"$destdir"}, but $python searches $searched"
  echo "${site#"$destdir"}"
else
  echo "$prefix is not searched by $python: PYTHONPATH is needed there"
fi

# Only the installed copy is on the search paths.
GI_TYPELIB_PATH=$(dirname "$typelib")
LD_LIBRARY_PATH=$(dirname "$library")
PYTHONPATH=$(dirname "$(dirname "$(dirname "$override")")")
export GI_TYPELIB_PATH LD_LIBRARY_PATH PYTHONPATH
export PYTHONDONTWRITEBYTECODE=1
unset IO_SOURCE_ROOT IO_BUILD_ROOT

step "Python against the installed copy"
# The accelerator is installed when it was built (with Python's and
# PyGObject's headers), next to the override.
# (The plan is captured first: with pipefail, grep -q leaving early could
# fail meson with SIGPIPE and turn the answer into "not built".)
accel=
plan=$(meson introspect "$build" --installed)
if grep -q '/gi/overrides/_ioaccel' <<< "$plan"; then
  accel=accel
fi
"$python" "$here/check-installed.py" "$destdir" $accel
expect_demo Python "$python" "$examples/demo.py"

step "GJS against the installed copy"
# GJS searches DATADIR/gjs-1.0 for each data directory of $XDG_DATA_DIRS;
# an override installed elsewhere (-Dgjs_override_dir) is found through
# GJS_PATH.
gjs_search_dir=$(dirname "$(dirname "$gjs_override")")
if [ "$(basename "$gjs_search_dir")" = gjs-1.0 ]; then
  gjs_env=(env -u GJS_PATH "XDG_DATA_DIRS=$(dirname "$gjs_search_dir")")
else
  gjs_env=(env "GJS_PATH=$gjs_search_dir")
fi
"${gjs_env[@]}" gjs -m "$here/check-installed.js" "$destdir"
expect_demo GJS "${gjs_env[@]}" gjs -m "$examples/demo.js"

use_installed_pc "$pc"

step "a C program built with those flags"
# shellcheck disable=SC2086 # the flags are words
cc -o "$destdir/demo-c" "$examples/demo.c" $pc_flags
expect_demo C "$destdir/demo-c"

step "pkg-config --variable=girdir/typelibdir/vapidir libstream-1"
for pair in "girdir $gir" "typelibdir $typelib" "vapidir $vapi"; do
  variable=${pair%% *}
  file=${pair#* }
  value=$(pkg-config --variable="$variable" libstream-1)
  [ -n "$value" ] || fail "libstream-1.pc has no $variable"
  [ "$(realpath -m "$value")" = "$(realpath "$(dirname "$file")")" ] \
    || fail "$variable is $value, but $(basename "$file") went to $(dirname "$file")"
  echo "$variable=$value"
done

step "a Vala program built with valac --pkg libstream-1 from the installed VAPI"
valac --quiet --vapidir "$(pkg-config --variable=vapidir libstream-1)" --pkg libstream-1 \
  -X -w -o "$destdir/demo-vala" "$examples/demo.vala"
expect_demo Vala "$destdir/demo-vala"

echo
echo "The installed typelib, override, library, pkg-config file and VAPI all work."
