# shellcheck shell=bash disable=SC2154 # the variables below come from the caller
# common.sh: what the install-suite scripts share; source it after setting
# $work (a scratch directory) and, for the functions that use them,
# $expected (docs/examples/demo-output.txt), $build (the build directory),
# $destdir (where it is installed) and $python (an interpreter for JSON).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

step () {
  printf '\n== %s\n' "$*"
}

fail () {
  echo "${0##*/}: $*" >&2
  exit 1
}

# expect_demo NAME COMMAND...: runs a demo and fails unless it prints
# exactly $expected.
expect_demo () {
  local name=$1
  shift
  "$@" > "$work/$name.out" || fail "the $name demo failed: $*"
  diff -u --label expected --label "$name" "$expected" "$work/$name.out" >&2 \
    || fail "the $name demo printed something else"
  echo "the $name demo printed demo-output.txt"
}

# install_build: `meson install` of $build into $destdir, without a rebuild.
install_build () {
  step "meson install --destdir $destdir"
  meson install -C "$build" --destdir "$destdir" --no-rebuild --quiet
}

# installed NAME: where the build says NAME goes, below $destdir.
installed () {
  "$python" - "$build" "$destdir" "$1" <<'PY'
import json, subprocess, sys
build, destdir, name = sys.argv[1:]
plan = json.loads(subprocess.check_output(['meson', 'introspect', build, '--installed']))
paths = [dest for dest in plan.values() if dest.endswith('/' + name)]
if len(paths) != 1:
    sys.exit(f'{name} is installed {len(paths)} times: {paths}')
print(destdir + paths[0])
PY
}

# use_installed_pc PC-FILE: points pkg-config at the installed PC-FILE and
# sets $pc_flags to `pkg-config --cflags --libs libstream-1`. The file says
# prefix=<the configured prefix>; DESTDIR moved it, so a copy points its
# prefix at the new place (what --prefix would have given).
use_installed_pc () {
  local prefix

  step "pkg-config --cflags --libs libstream-1"
  prefix=$(sed -n 's/^prefix=//p' "$1")
  mkdir -p "$destdir/pkgconfig"
  sed "s|^prefix=.*|prefix=$destdir$prefix|" "$1" > "$destdir/pkgconfig/libstream-1.pc"
  export PKG_CONFIG_PATH="$destdir/pkgconfig"
  pc_flags=$(pkg-config --cflags --libs libstream-1)
  echo "$pc_flags"
  case "$pc_flags" in
    *"-I$destdir$prefix/include/libstream-1"*) ;;
    *) fail "pkg-config gives no include dir below $destdir$prefix" ;;
  esac
}
