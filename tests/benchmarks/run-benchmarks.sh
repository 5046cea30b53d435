#!/bin/sh
# run-benchmarks.sh: the whole benchmark suite, as a Markdown report
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tests/benchmarks/run-benchmarks.sh BUILDDIR [--callgrind] [-- BENCH-OPTIONS]
#
# Prints the machine, then every table of bench-memory, bench-io and the
# Python layer's bench_python.py, and with --callgrind the instruction
# counts per operation. BUILDDIR should be a release build:
#   meson setup _build-bench --buildtype=release && ninja -C _build-bench
# BENCH-OPTIONS go to the two C programs (e.g. --reps 9, --only lines).
# The same programs run from `meson test -C BUILDDIR --benchmark -v`.

set -eu

if [ $# -lt 1 ]; then
  sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
build=$1
shift
callgrind=no
if [ "${1:-}" = "--callgrind" ]; then
  callgrind=yes
  shift
fi
if [ "${1:-}" = "--" ]; then
  shift
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}

echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo '```'
lscpu | grep -E '^(Model name|CPU family|Model|CPU\(s\)|Hypervisor vendor|L1d|L2|L3)' || true
grep -m1 'cpu MHz' /proc/cpuinfo || true
echo "kernel $(uname -r), $(ldd --version | head -n1)"
echo "GLib $(pkg-config --modversion glib-2.0), $(${CC:-cc} --version | head -n1)"
echo "build: $(meson introspect --buildoptions "$build" 2>/dev/null |
  "$python" -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))' 2>/dev/null || echo unknown)"
echo '```'

"$build/tests/benchmarks/bench-memory" "$@"
"$build/tests/benchmarks/bench-io" "$@"

echo
echo "#### Python layer (tests/python/bench_python.py; ratio = Io / BytesIO time)"
echo
echo '```'
GI_TYPELIB_PATH="$build/libstream" LD_LIBRARY_PATH="$build/libstream" \
  PYTHONPATH="$src/bindings/python" "$python" "$src/tests/python/bench_python.py" ||
  echo "(the Python benchmark did not run)"
echo '```'

if [ "$callgrind" = yes ]; then
  echo
  echo "#### Instructions per operation (callgrind, user space)"
  echo
  "$python" "$src/tests/benchmarks/callgrind.py" "$build/tests/benchmarks/bench-memory"
fi
