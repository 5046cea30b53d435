#!/usr/bin/env bash
# tools/check-sanitizers.sh: the C suites under the sanitizers and valgrind.
#
#   bash tools/check-sanitizers.sh [asan|tsan|valgrind]...   (default: all three)
#
# Each pass configures its own build directory next to the sources
# (_build-rel-asan, _build-rel-tsan, _build-rel-valgrind; -Dsanitize_build=true
# builds only the library and the C suites), builds it and runs:
#   asan      the 'c' and 'fuzz' suites (the fuzz corpus replayed) with
#             AddressSanitizer + UndefinedBehaviorSanitizer, leak detection on,
#             the first error fatal;
#   tsan      the 'c' suites with ThreadSanitizer (test-threads drives streams
#             from several threads; see docs/concurrency.md);
#   valgrind  the 'c' and 'fuzz' suites under memcheck, every definite leak
#             and every memory error fatal.
# Exits non-zero if any pass fails and prints one summary line per pass.
# JOBS (default 2) bounds the build and test parallelism.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jobs=${JOBS:-2}
passes=("$@")
[ ${#passes[@]} -gt 0 ] || passes=(asan tsan valgrind)

declare -a summary=()
status=0

log () {
  printf '\n==> %s\n' "$*"
}

# setup_build DIR MESON-OPTIONS...: configure DIR once, build it.
setup_build () {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$root" "$@" >/dev/null || return 1
  fi
  ninja -C "$dir" -j "$jobs" >/dev/null || { ninja -C "$dir" -j 1; return 1; }
}

# ran_tests LOG: fails if the meson test log LOG lists no test (a suite
# renamed away must not pass silently).
ran_tests () {
  if [ ! -s "$1" ]; then
    echo "no test ran (no $1)" >&2
    return 1
  fi
}

# record NAME START-SECONDS RESULT
record () {
  local elapsed=$(( $(date +%s) - $2 ))
  if [ "$3" -eq 0 ]; then
    summary+=("$1: OK (${elapsed}s)")
  else
    summary+=("$1: FAILED (${elapsed}s)")
    status=1
  fi
}

run_asan () {
  local dir="$root/_build-rel-asan" start result=0
  start=$(date +%s)
  log "AddressSanitizer + UndefinedBehaviorSanitizer: $dir"
  setup_build "$dir" -Dsanitize_build=true -Dbuildtype=debug \
    -Db_sanitize=address,undefined -Db_lundef=false || { record asan "$start" 1; return; }
  # No allocator_may_return_null: the hostile-input tests (a write at 2^62)
  # must end in G_IO_ERROR_NO_SPACE without asking malloc() for the size at
  # all, which ASan's allocator would refuse by aborting.
  local asan="detect_leaks=1:halt_on_error=1:abort_on_error=1"
  asan+=":strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
  ASAN_OPTIONS="$asan" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    meson test -C "$dir" --suite c --suite fuzz --num-processes "$jobs" --print-errorlogs \
      || result=1
  ran_tests "$dir/meson-logs/testlog.json" || result=1
  record "asan+ubsan (suites c, fuzz)" "$start" $result
}

run_tsan () {
  local dir="$root/_build-rel-tsan" start result=0
  start=$(date +%s)
  log "ThreadSanitizer: $dir"
  setup_build "$dir" -Dsanitize_build=true -Dbuildtype=debug \
    -Db_sanitize=thread -Db_lundef=false || { record tsan "$start" 1; return; }
  # GLib is not built with TSan: G_SLICE=always-malloc keeps its slice
  # magazines (synchronised where TSan cannot see) out of the picture.
  # tools/tsan.supp: GLib's own handoffs, under locks TSan cannot see.
  G_SLICE=always-malloc \
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tsan.supp" \
    meson test -C "$dir" --suite c --num-processes "$jobs" --print-errorlogs || result=1
  ran_tests "$dir/meson-logs/testlog.json" || result=1
  record "tsan (suite c)" "$start" $result
}

run_valgrind () {
  local dir="$root/_build-rel-valgrind" start result=0 wrapper
  start=$(date +%s)
  log "valgrind memcheck: $dir"
  if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed (see tools/debian-packages.txt)" >&2
    record valgrind "$start" 1
    return
  fi
  setup_build "$dir" -Dsanitize_build=true -Dbuildtype=debug -Db_sanitize=none \
    || { record valgrind "$start" 1; return; }
  # No suppressions of GLib's: only definite leaks count, and GLib's
  # one-time type and quark allocations stay reachable (docs/reliability.md).
  # tools/valgrind.supp has the one false report of glibc's loader.
  wrapper="valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite"
  wrapper+=" --suppressions=$root/tools/valgrind.supp"
  wrapper+=" --errors-for-leak-kinds=definite --track-origins=yes --num-callers=30"
  # G_SLICE=always-malloc lets memcheck see every block; gc-friendly clears
  # freed memory so stale pointers do not hide leaks.
  G_SLICE=always-malloc G_DEBUG=gc-friendly \
    meson test -C "$dir" --suite c --suite fuzz --num-processes "$jobs" --print-errorlogs \
      --timeout-multiplier 10 --wrapper "$wrapper" || result=1
  ran_tests "$dir/meson-logs/testlog-valgrind.json" || result=1
  record "valgrind memcheck (suites c, fuzz)" "$start" $result
}

for pass in "${passes[@]}"; do
  case "$pass" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    valgrind) run_valgrind ;;
    *) echo "unknown pass: $pass (asan, tsan or valgrind)" >&2; exit 2 ;;
  esac
done

echo
echo "check-sanitizers summary:"
printf '  %s\n' "${summary[@]}"
exit $status
