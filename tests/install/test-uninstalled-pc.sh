#!/usr/bin/env bash
# test-uninstalled-pc.sh BUILD-DIR: compiles the C demo with the flags of
# BUILD-DIR/meson-uninstalled/libstream-1-uninstalled.pc, the way a project
# builds against a libstream checkout it has not installed, and runs it.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD-DIR" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
expected="$root/docs/examples/demo-output.txt"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/install/common.sh
. "$here/common.sh"

step "pkg-config --cflags --libs libstream-1 (uninstalled)"
flags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --cflags --libs libstream-1)
echo "$flags"
case "$flags" in
  *"-L$build/libstream"*) ;;
  *) fail "pkg-config did not use $build/meson-uninstalled" ;;
esac

step "the C demo built with those flags"
# shellcheck disable=SC2086 # the flags are words
cc -o "$work/demo" "$root/docs/examples/demo.c" $flags
LD_LIBRARY_PATH="$build/libstream" expect_demo C "$work/demo"
