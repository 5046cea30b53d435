#!/usr/bin/env bash
# tools/dev.sh: the two entry points of a fresh checkout.
#
#   bash tools/dev.sh demo   install what is missing, build, run the demo in C, Python, GJS and Vala
#   bash tools/dev.sh test   install what is missing, build, run every suite, the sanitizer and
#                            valgrind passes and the bounded fuzz runs
#
# Works as root on a fresh Debian 12 machine (or with sudo), with no input needed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/_build"
# The binding suites need Debian's interpreter, which has PyGObject; the first
# python3 on PATH may be another build without it.
python=/usr/bin/python3

usage () {
  echo "usage: bash tools/dev.sh demo|test" >&2
  exit 2
}

log () {
  printf '\n==> %s\n' "$*"
}

install_missing_packages () {
  local missing=() pkg
  while read -r pkg; do
    case "$pkg" in ''|'#'*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done < "$here/debian-packages.txt"

  if [ ${#missing[@]} -eq 0 ]; then
    log "All Debian packages are present"
    return
  fi

  log "Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq < /dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null
}

configure_and_build () {
  local options=(-Dbinding_tests=enabled "-Dpython=$python" -Ddocs=enabled)
  if [ -f "$build/build.ninja" ]; then
    log "Reconfiguring $build"
    meson configure "$build" "${options[@]}" >/dev/null
  else
    log "Configuring $build"
    meson setup "$build" "$root" "${options[@]}"
  fi
  log "Building"
  meson compile -C "$build"
}

# Prints the closing line CI reads: 'N passed, N failed' over every test run.
run_all_tests () {
  local status=0 passed=0 failed=0 counts

  log "meson test: C, Python, GJS, Vala, demo, install, docs, benchmark and fuzz-corpus suites"
  meson test -C "$build" --print-errorlogs || status=1
  counts=$("$python" - "$build/meson-logs/testlog.json" <<'EOF'
import json, sys
ok = bad = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            ok += 1
        else:
            bad += 1
print(ok, bad)
EOF
)
  passed=${counts% *}
  failed=${counts#* }

  local script
  for script in check-sanitizers.sh run-fuzzers.sh; do
    if [ -f "$here/$script" ]; then
      log "tools/$script"
      if bash "$here/$script"; then
        passed=$((passed + 1))
      else
        failed=$((failed + 1))
        status=1
      fi
    fi
  done

  echo
  echo "libstream: $passed passed, $failed failed"
  return $status
}

[ $# -eq 1 ] || usage
case "$1" in
  demo)
    install_missing_packages
    configure_and_build
    log "The demo, in C, Python, GJS and Vala"
    bash "$root/docs/examples/run-demo.sh" "$build"
    ;;
  test)
    install_missing_packages
    configure_and_build
    run_all_tests
    ;;
  *)
    usage
    ;;
esac
