#!/usr/bin/env bash
# Builds and runs every test: Linux Release and Sanitize, Windows under Wine, man page, packages.
# Usage: scripts/test.sh [--no-windows] [--no-sanitize] [--no-fuzz] [--no-package]
# The last line printed is always "N passed, M failed" (test cases, summed over all runs).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"
# shellcheck source=scripts/package_checks.sh
source "$ROOT/scripts/package_checks.sh"

# One test binary run, end-to-end tests included; Wine runs are the slowest.
readonly RUN_TIMEOUT_S=${NETCAT_CHAT_TEST_TIMEOUT_S:-900}
# After the timeout's TERM, a hung run gets this long before KILL.
readonly KILL_GRACE_S=10
# A fresh Wine prefix takes seconds; a stuck one should not eat the CI budget.
readonly WINE_BOOT_TIMEOUT_S=300
readonly MAKE_JOBS=2
readonly MINGW=x86_64-w64-mingw32
# Each libFuzzer target gets this long; a longer campaign is scripts/fuzz.sh SECONDS.
readonly FUZZ_SECONDS=${NETCAT_CHAT_FUZZ_SECONDS:-30}

WITH_WINDOWS=1
WITH_SANITIZE=1
WITH_FUZZ=1
WITH_PACKAGE=1
for arg in "$@"; do
  case "$arg" in
    --no-windows) WITH_WINDOWS=0 ;;
    --no-sanitize) WITH_SANITIZE=0 ;;
    --no-fuzz) WITH_FUZZ=0 ;;
    --no-package) WITH_PACKAGE=0 ;;
    -h | --help)
      sed -n '2,4s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "unknown option: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

cd "$ROOT" || exit 1
OS=$(host_os)
LOG_DIR=build/test-logs
SANITIZER_LOG_DIR="$ROOT/$LOG_DIR/sanitizer"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR" "$SANITIZER_LOG_DIR"

PASSED=0
FAILED=0
SUMMARY=()

note_result() {  # name passed failed [remark]
  PASSED=$((PASSED + $2))
  FAILED=$((FAILED + $3))
  SUMMARY+=("$(printf '  %-22s %4d passed, %4d failed  %s' "$1" "$2" "$3" "${4:-}")")
}

install_dependencies() {
  # nc, ncat, telnet and socat are the clients the end-to-end tests drive the server with; tmux
  # is the terminal the --connect client is tested in.
  local needs=(
    premake4=premake4 "g++=g++" make=make
    /usr/include/boost/test/included/unit_test.hpp=libboost-test-dev
    nc=netcat-openbsd ncat=ncat telnet=telnet socat=socat timeout=coreutils tmux=tmux
  )
  if [[ $WITH_WINDOWS -eq 1 ]]; then
    needs+=("$MINGW-g++=g++-mingw-w64-x86-64" wine=wine wineserver=wine /usr/lib/wine/wine64=wine64)
  fi
  # The man page's checks, and scripts/package.sh with the tools that inspect its packages.
  needs+=(groff=groff-base man=man-db)
  if [[ $WITH_PACKAGE -eq 1 ]]; then
    needs+=(dpkg-deb=dpkg dpkg-shlibdeps=dpkg-dev lintian=lintian systemd-analyze=systemd
      readelf=binutils zip=zip unzip=unzip)
  fi
  ensure_packages "${needs[@]}"
}

attribute() {  # report-file name: a number from the top suite of a Boost.Test XML report
  tr -d '\r' <"$1" | sed -n "s/.*<TestSuite [^>]* $2=\"\([0-9]*\)\".*/\1/p" | head -n 1
}

# Runs one test binary under a timeout and counts its test cases from Boost.Test's XML report.
# A run that dies before reporting, or exits non-zero with nothing failed, counts as one failure.
run_tests() {  # name command...
  local name=$1
  shift
  local report="$LOG_DIR/$name.xml" output="$LOG_DIR/$name.log"
  echo "=== $name: $*"
  # Output goes to a file, never a pipe: a Wine server started by the run would hold a pipe open.
  timeout -k "$KILL_GRACE_S" "$RUN_TIMEOUT_S" "$@" \
    --report_format=XML --report_level=short --report_sink="$report" >"$output" 2>&1 </dev/null
  local status=$?
  tr -d '\r' <"$output"

  local passed failed remark=""
  passed=$(attribute "$report" test_cases_passed 2>/dev/null)
  if [[ -z $passed ]]; then
    note_result "$name" 0 1 "no test report (exit status $status)"
    return
  fi
  passed=$((passed + $(attribute "$report" test_cases_passed_with_warnings)))
  # An aborted test case is also counted as failed; the larger of the two guards against a
  # Boost.Test version that keeps them apart.
  local aborted
  failed=$(attribute "$report" test_cases_failed)
  aborted=$(attribute "$report" test_cases_aborted)
  [[ ${aborted:-0} -gt ${failed:-0} ]] && failed=$aborted
  if [[ $status -eq 124 || $status -eq 137 ]]; then
    remark="timed out after ${RUN_TIMEOUT_S}s"
    [[ $failed -eq 0 ]] && failed=1
  elif [[ $status -ne 0 && $failed -eq 0 ]]; then
    remark="exit status $status with no failed test case: counted as one failure"
    failed=1
  fi
  # Boost.Test counts cases left out by --run_test as skipped too, so the report's number is no
  # use; cases skipped on purpose print "<suite>/<case> skipped: <reason>" instead.
  local skipped
  skipped=$(tr -d '\r' <"$output" | grep -c '^[^ ]* skipped: ')
  if [[ $skipped -gt 0 && -z $remark ]]; then remark="$skipped skipped, reasons above"; fi
  note_result "$name" "$passed" "$failed" "$remark"
}

# Sanitizer reports go to files so that those of server processes started by the end-to-end
# tests are caught too; any file at all is a failure.
check_sanitizer_reports() {
  local reports
  reports=$(find "$SANITIZER_LOG_DIR" -type f 2>/dev/null)
  if [[ -n $reports ]]; then
    echo "=== sanitizer reports:"
    find "$SANITIZER_LOG_DIR" -type f -exec cat {} +
    note_result "sanitizer-reports" 0 1 "$(echo "$reports" | wc -l) report file(s) in $SANITIZER_LOG_DIR"
  fi
}

build() {  # name make-directory config [make variables...]
  local name=$1 dir=$2 config=$3
  shift 3
  echo "=== build $name"
  if ! make -C "$dir" -j"$MAKE_JOBS" config="$config" "$@" </dev/null; then
    note_result "build-$name" 0 1 "build failed"
    return 1
  fi
}

has_e2e_suites() {  # tests-binary
  "$1" --list_content >"$LOG_DIR/list-content.txt" 2>&1 </dev/null
  grep -q '^e2e_' "$LOG_DIR/list-content.txt"
}

linux_runs() {
  premake4 --file=premake5.lua gmake </dev/null || {
    note_result "premake-$OS" 0 1 "premake failed"
    return
  }
  if build "$OS-release" "build/$OS" release; then
    run_tests "$OS-release" "bin/$OS/Release/tests"
  fi
  [[ $WITH_SANITIZE -eq 1 ]] || return
  if build "$OS-sanitize" "build/$OS" sanitize; then
    ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$SANITIZER_LOG_DIR/asan" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$SANITIZER_LOG_DIR/ubsan" \
      run_tests "$OS-sanitize" "bin/$OS/Sanitize/tests"
    check_sanitizer_reports
  fi
}

# A short fuzzing run of every target, one test case each: passed when it found nothing.
fuzz_runs() {
  local output="$LOG_DIR/fuzz.log" target verdict executions elapsed found=0
  echo "=== fuzz: ${FUZZ_SECONDS}s per target"
  bash scripts/fuzz.sh "$FUZZ_SECONDS" >"$output" 2>&1 </dev/null
  grep -v '^fuzz-result ' "$output" | tail -n 80
  while read -r _ target verdict executions elapsed; do
    found=1
    if [[ $verdict == passed ]]; then
      note_result "fuzz-$target" 1 0 "$executions executions in ${elapsed}s"
    else
      note_result "fuzz-$target" 0 1 "found a failure; see $output and build/fuzz/artifacts"
    fi
  done < <(grep '^fuzz-result ' "$output")
  [[ $found -eq 1 ]] || note_result "fuzz" 0 1 "scripts/fuzz.sh reported nothing; see $output"
}

# One Wine server for the whole run, started here with its output in a file: wine processes
# that the tests start then attach to it instead of spawning one that inherits their pipes.
start_wine() {
  export WINEPREFIX="$ROOT/build/windows/wine-prefix"
  export WINEDEBUG=-all
  export WINEDLLOVERRIDES="mscoree,mshtml="
  mkdir -p "$WINEPREFIX"
  trap stop_wine EXIT
  wineserver -p >"$LOG_DIR/wineserver.log" 2>&1 </dev/null
  if [[ ! -f $WINEPREFIX/system.reg ]]; then
    echo "=== creating a Wine prefix in $WINEPREFIX"
    timeout -k "$KILL_GRACE_S" "$WINE_BOOT_TIMEOUT_S" wineboot -i >"$LOG_DIR/wineboot.log" 2>&1 </dev/null
  fi
}

stop_wine() {
  [[ -n ${WINEPREFIX:-} ]] && wineserver -k >/dev/null 2>&1 </dev/null
  return 0
}

windows_runs() {
  # MinGW must see Boost without the rest of /usr/include, whose glibc headers would shadow its own.
  mkdir -p build/windows/boost-include
  ln -sfn /usr/include/boost build/windows/boost-include/boost
  premake4 --file=premake5.lua --os=windows gmake </dev/null || {
    note_result "premake-windows" 0 1 "premake failed"
    return
  }
  build windows-release build/windows release \
    CC="$MINGW-gcc" CXX="$MINGW-g++" AR="$MINGW-ar" || return
  start_wine
  run_tests windows-wine wine bin/windows/Release/tests.exe
  # The console cases skip themselves above, with no terminal for Wine to make a console of.
  run_tests windows-console bash scripts/in_terminal.sh wine bin/windows/Release/tests.exe \
    --run_test=terminal

  local linux_tests="bin/$OS/Release/tests"
  if [[ ! -x $linux_tests ]]; then
    note_result "e2e-wine" 0 1 "no $linux_tests to drive the .exe with"
  elif has_e2e_suites "$linux_tests"; then
    NETCAT_CHAT_BIN="$ROOT/bin/windows/Release/netcat-chat.exe" NETCAT_CHAT_RUNNER=wine \
      run_tests e2e-wine "$linux_tests" --run_test='e2e_*'
  else
    echo "=== e2e-wine: the tests binary has no e2e_* suite; nothing to run against the .exe"
  fi
  stop_wine
}

# The benchmark in miniature, one test case: it fails on lost, duplicated or reordered messages,
# never on speed.
bench_smoke() {
  local output="$LOG_DIR/bench-smoke.log"
  echo "=== bench-smoke: scripts/bench.sh --smoke"
  if timeout "$RUN_TIMEOUT_S" bash scripts/bench.sh --smoke >"$output" 2>&1 </dev/null; then
    note_result "bench-smoke" 1 0 "$(grep -c '^RESULT ' "$output") load runs, no loss, duplicate or reordering"
  else
    tail -n 40 "$output"
    note_result "bench-smoke" 0 1 "see $output"
  fi
}

install_dependencies
linux_runs
[[ $OS == linux ]] && docs_checks
[[ $OS == linux ]] && bench_smoke
[[ $WITH_FUZZ -eq 1 && $OS == linux ]] && fuzz_runs
[[ $WITH_WINDOWS -eq 1 ]] && windows_runs
# After the Windows runs, whose Wine prefix the zip's check reuses.
[[ $WITH_PACKAGE -eq 1 && $OS == linux ]] && package_checks

echo "=== summary"
printf '%s\n' "${SUMMARY[@]}"
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
