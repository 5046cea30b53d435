# shellcheck shell=bash disable=SC2154 # $work and $expected come from the caller
# common.sh: what the install-suite scripts share; source it after setting
# $work (a scratch directory) and $expected (docs/examples/demo-output.txt).
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
