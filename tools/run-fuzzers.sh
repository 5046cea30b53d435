#!/usr/bin/env bash
# tools/run-fuzzers.sh: bounded libFuzzer runs of every target in tests/fuzz.
#
#   bash tools/run-fuzzers.sh [TARGET]...      (default: every target)
#
# Configures _build-rel-fuzz next to the sources with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and -fsanitize=fuzzer-no-link (so the library is
# coverage-instrumented), builds the libFuzzer executables and runs each one
# for FUZZ_SECONDS (default 40) starting from its committed corpus in
# tests/fuzz/corpus/TARGET. New inputs go to _build-rel-fuzz/corpus/TARGET,
# never into the source tree.
#
# Any crash, sanitizer report, leak, timeout or model mismatch fails the run;
# the reproducer is saved in _build-rel-fuzz/artifacts/ and the command to
# replay it is printed. Commit a reproducer into tests/fuzz/corpus/TARGET once
# the bug is fixed, so the 'fuzz' meson suite replays it in every build.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
dir="$root/_build-rel-fuzz"
seconds=${FUZZ_SECONDS:-40}
jobs=${JOBS:-2}
all_targets=(fuzz-memory-stream fuzz-readline fuzz-file-stream fuzz-text-stream)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

log () {
  printf '\n==> %s\n' "$*"
}

if ! command -v clang >/dev/null; then
  echo "run-fuzzers: clang is not installed (see tools/debian-packages.txt)" >&2
  exit 1
fi

log "Building the fuzz targets with clang in $dir"
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang meson setup "$dir" "$root" -Dsanitize_build=true -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null || exit 1
fi
ninja -C "$dir" -j "$jobs" >/dev/null || { ninja -C "$dir" -j 1; exit 1; }

mkdir -p "$dir/artifacts"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

declare -a summary=()
status=0
for target in "${targets[@]}"; do
  exe="$dir/tests/fuzz/$target"
  if [ ! -x "$exe" ]; then
    # A target whose backend is not built in this tree.
    if [ -f "$root/tests/fuzz/$target.c" ]; then
      summary+=("$target: FAILED (not built)")
      status=1
    fi
    continue
  fi
  mkdir -p "$dir/corpus/$target"
  # Reproducers of an earlier run would be reported as this run's.
  rm -f "$dir/artifacts/$target-"*
  log "$target for ${seconds}s"
  start=$(date +%s)
  if "$exe" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=4096 -len_control=0 \
       -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target-" \
       "$dir/corpus/$target" "$root/tests/fuzz/corpus/$target" \
       > "$dir/$target.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$target.log")
    summary+=("$target: OK ($(( $(date +%s) - start ))s, ${runs:-?} inputs)")
  else
    tail -n 60 "$dir/$target.log"
    summary+=("$target: FAILED, reproducer and log:")
    for artifact in "$dir/artifacts/$target-"*; do
      [ -e "$artifact" ] && summary+=("    $exe $artifact")
    done
    summary+=("    $dir/$target.log")
    status=1
  fi
done

echo
echo "run-fuzzers summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
exit $status
