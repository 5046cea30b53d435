#!/usr/bin/env bash
# test-oot-backend.sh BUILD-DIR: installs BUILD-DIR into a temporary DESTDIR
# and builds C code that uses the window protocol against that copy alone,
# the way a project outside libstream would (pkg-config, no private header):
#   - tests/c/oot-window-backend: a backend that lends a window, checked
#     for results, for reads that never reach its vfuncs, and for speed
#     against IoMemoryStream; it runs;
#   - docs/examples/window-backend.c, the example of
#     docs/writing-a-backend.md; it runs;
#   - the first program of docs/getting-started.md, built with the
#     pkg-config flags that page gives; it runs.
# Needs no introspection, so C-only builds run it too.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD-DIR" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
python=${IO_PYTHON:-/usr/bin/python3}

destdir=$(realpath "$(mktemp -d)")
trap 'rm -rf "$destdir"' EXIT
work=$destdir
# shellcheck source=tests/install/common.sh
. "$here/common.sh"

install_build
library=$(installed libstream-1.so.0)
use_installed_pc "$(installed libstream-1.pc)"
LD_LIBRARY_PATH=$(dirname "$library")
export LD_LIBRARY_PATH

# Warnings are errors: the public headers must be clean in a program built
# with the usual flags.
cflags=(-O2 -Wall -Wextra -Wno-unused-parameter -Werror)

"$python" "$root/docs/extract-snippets.py" c "$root/docs/getting-started.md" \
  "$work/getting-started.c"

for source in "$root/tests/c/oot-window-backend/oot-window-backend.c" \
              "$root/docs/examples/window-backend.c" "$work/getting-started.c"; do
  name=$(basename "$source" .c)
  step "$name, built with those flags, run against the installed library"
  # shellcheck disable=SC2086 # the flags are words
  cc "${cflags[@]}" -o "$work/$name" "$source" $pc_flags
  # Captured first: with pipefail, grep -q leaving early could fail ldd
  # with SIGPIPE, and the check with it.
  libraries=$(ldd "$work/$name")
  grep -q "libstream-1.so.0 => $destdir/" <<< "$libraries" ||
    fail "$name would not load the installed library"
  "$work/$name" || fail "$name failed"
done
