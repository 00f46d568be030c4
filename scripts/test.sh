#!/usr/bin/env bash
# Builds and runs every test: Linux Release and Sanitize, Windows under Wine, man page, packages.
# Usage: scripts/test.sh [--no-windows] [--no-sanitize] [--no-fuzz] [--no-package]
# The last line printed is always "N passed, M failed" (test cases, summed over all stages).
#
# The work is cut into stages, each one row of the summary: name, passed, failed, seconds. Stages
# are arranged in lanes: a lane runs its stages one after another, and the lanes run side by side,
# so that test runs that mostly wait (on sockets, on terminals, on Wine) overlap with the builds
# and with each other. Each stage writes its output to build/test-logs/NAME.log; the logs are
# printed in the order of the plan once everything has ended, then the lines that name what failed,
# then the summary, then the count.
#
# Adding a stage is a line in plan() below, in the lane whose resource it uses:
#   stage NAME [--after STAGE]... FUNCTION [ARGS...]  a function of this script, which reports
#                                                     its test cases with note_result
#   tests_stage NAME [--after STAGE]... COMMAND...    a Boost.Test binary, counted from its XML
#                                                     report (--run_test=SUITE/CASE runs a case
#                                                     that is disabled by default)
#   external_stage NAME [--after STAGE]... COMMAND... any command whose last line of output is
#                                                     "N passed, M failed"; its exit status must
#                                                     be non-zero when M is
# --after waits until that stage has ended (a stage not in the plan is not waited for) and skips
# this one if that one failed; use it for a binary or a package that another lane makes.
# docs/CI.md has the plan's lanes and the seconds each stage took.
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
# Each libFuzzer target gets this long in CI, enough to replay the corpus and try new inputs for a
# while; a campaign is scripts/fuzz.sh SECONDS.
readonly FUZZ_SECONDS=${NETCAT_CHAT_FUZZ_SECONDS:-15}
# A stage waiting for another (--after) looks this often whether it has ended.
readonly AFTER_POLL_S=1

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
# Per stage: NAME.rows (its summary rows), NAME.seconds, and NAME.done once it has ended.
STAGE_DIR=$LOG_DIR/stages
SANITIZER_LOG_DIR="$ROOT/$LOG_DIR/sanitizer"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR" "$STAGE_DIR" "$SANITIZER_LOG_DIR"

# ---------------------------------------------------------------------------------------------
# The stage machinery.

STAGES=()             # names, in the order of the plan: the order of the logs and the summary
declare -A STAGE_LANE # name -> lane
declare -A STAGE_RUN  # name -> the command, quoted for eval
declare -A STAGE_AFTER # name -> names of the stages it waits for
LANES=()
CURRENT_LANE=""
CURRENT_STAGE=""

lane() { # name: the stages declared next belong to it
  CURRENT_LANE=$1
  LANES+=("$1")
}

stage() { # name [--after stage]... function [args...]
  local name=$1 after=()
  shift
  while [[ ${1:-} == --after ]]; do
    after+=("$2")
    shift 2
  done
  STAGES+=("$name")
  STAGE_LANE[$name]=$CURRENT_LANE
  STAGE_AFTER[$name]="${after[*]}"
  STAGE_RUN[$name]=$(printf '%q ' "$@")
}

runner_stage() { # runner name [--after stage]... command...: a stage of `runner name command...`
  local runner=$1 name=$2 after=()
  shift 2
  while [[ ${1:-} == --after ]]; do
    after+=(--after "$2")
    shift 2
  done
  stage "$name" "${after[@]}" "$runner" "$name" "$@"
}

tests_stage() { runner_stage run_tests "$@"; }         # name [--after stage]... command...
external_stage() { runner_stage run_external "$@"; }   # name [--after stage]... command...

# note_result NAME PASSED FAILED [REMARK]: one row of the summary, in the current stage.
note_result() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$STAGE_DIR/$CURRENT_STAGE.rows"
}

stageFailed() { # name: how many test cases failed in it
  awk -F '\t' '{ failed += $3 } END { print failed + 0 }' "$STAGE_DIR/$1.rows" 2>/dev/null || echo 0
}

stagePassed() {
  awk -F '\t' '{ passed += $2 } END { print passed + 0 }' "$STAGE_DIR/$1.rows" 2>/dev/null || echo 0
}

planned() { [[ -n ${STAGE_LANE[$1]+x} ]]; }

# Waits for the stages NAME waits for; fails, naming one, if one of them failed.
waitForStages() { # name
  local other
  for other in ${STAGE_AFTER[$1]}; do
    planned "$other" || continue
    while [[ ! -f $STAGE_DIR/$other.done ]]; do sleep "$AFTER_POLL_S"; done
    if [[ $(stageFailed "$other") -gt 0 ]]; then
      echo "$other"
      return 1
    fi
  done
}

clock() { printf '%5ds' $((SECONDS - RUN_STARTED)); }

runStage() { # name
  local name=$1 failed_before started
  CURRENT_STAGE=$name
  : >"$STAGE_DIR/$name.rows"
  if failed_before=$(waitForStages "$name"); then
    started=$SECONDS
    echo "=== $(clock) $name: started"
    # Each stage runs in this lane's shell, so the stages of one lane share what they set.
    eval "${STAGE_RUN[$name]}" >"$LOG_DIR/$name.log" 2>&1 </dev/null
    echo $((SECONDS - started)) >"$STAGE_DIR/$name.seconds"
    # A stage that reported nothing failed in a way its function did not foresee.
    [[ -s $STAGE_DIR/$name.rows ]] || note_result "$name" 0 1 "the stage reported nothing"
  else
    echo "not run: $failed_before failed" >"$LOG_DIR/$name.log"
    note_result "$name" 0 0 "not run: $failed_before failed"
  fi
  echo "=== $(clock) $name: ended, $(stagePassed "$name") passed, $(stageFailed "$name") failed"
  touch "$STAGE_DIR/$name.done"
}

runLane() { # lane
  local name
  for name in "${STAGES[@]}"; do
    [[ ${STAGE_LANE[$name]} == "$1" ]] && runStage "$name"
  done
}

LANE_PIDS=()
runPlan() {
  local lane_name pid
  for lane_name in "${LANES[@]}"; do
    runLane "$lane_name" &
    LANE_PIDS+=($!)
  done
  for pid in "${LANE_PIDS[@]}"; do wait "$pid"; done
  LANE_PIDS=()
}

stopLanes() {
  local pid
  for pid in "${LANE_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  stop_wine
}

printLogs() {
  local name
  for name in "${STAGES[@]}"; do
    echo "=== log of $name ($LOG_DIR/$name.log)"
    tr -d '\r' <"$LOG_DIR/$name.log"
  done
}

# The lines of a failed stage's log that say what failed: Boost.Test's errors and exceptions,
# node's failed cases, sanitizer reports, timeouts; the log's last lines when none does. Printed
# next to the summary so that the end of a long output names the failure as well as counting it.
readonly FAILURE_LINES_PER_STAGE=30
printFailures() {
  local name log lines count
  for name in "${STAGES[@]}"; do
    [[ $(stageFailed "$name") -gt 0 ]] || continue
    echo "=== failures in $name ($LOG_DIR/$name.log)"
    # Without carriage returns and terminal colours, each line cut to a readable length.
    log=$(tr -d '\r' <"$LOG_DIR/$name.log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c 1-400)
    lines=$(grep -E 'error: in "|fatal error|exception|Test setup error|^ *✖|^not ok|ERROR: [A-Za-z]*Sanitizer|runtime error:|timed out|no test report|failed:|FAILED' <<<"$log")
    if [[ -z $lines ]]; then
      echo "  (no line of the log names it; its last lines:)"
      lines=$(tail -n 10 <<<"$log")
    fi
    count=$(wc -l <<<"$lines")
    head -n "$FAILURE_LINES_PER_STAGE" <<<"$lines" | sed 's/^/  /'
    if ((count > FAILURE_LINES_PER_STAGE)); then
      echo "  ... and $((count - FAILURE_LINES_PER_STAGE)) more lines in the log"
    fi
  done
}

PASSED=0
FAILED=0
printSummary() {
  local name row_name passed failed remark seconds only=""
  echo "=== summary"
  printf '  %-24s %6s %6s %8s\n' stage passed failed seconds
  for name in "${STAGES[@]}"; do
    seconds=$(cat "$STAGE_DIR/$name.seconds" 2>/dev/null || echo -)
    # A stage that is one row of its own name gets that row's remark on its line; any other
    # stage lists its rows below it.
    only=""
    if [[ $(wc -l <"$STAGE_DIR/$name.rows") -eq 1 ]] && [[ $(cut -f 1 "$STAGE_DIR/$name.rows") == "$name" ]]; then
      only=$(cut -f 4 "$STAGE_DIR/$name.rows")
    fi
    printf '  %-24s %6d %6d %8s  %s\n' "$name" "$(stagePassed "$name")" "$(stageFailed "$name")" \
      "$seconds" "$only" | sed 's/ *$//'
    while IFS=$'\t' read -r row_name passed failed remark; do
      PASSED=$((PASSED + passed))
      FAILED=$((FAILED + failed))
      if [[ $row_name != "$name" ]] || [[ $(wc -l <"$STAGE_DIR/$name.rows") -gt 1 ]]; then
        printf '    %-22s %6d %6d           %s\n' "$row_name" "$passed" "$failed" "$remark" |
          sed 's/ *$//'
      fi
    done <"$STAGE_DIR/$name.rows"
  done
  echo "  all stages in $((SECONDS - RUN_STARTED)) s"
}

# ---------------------------------------------------------------------------------------------
# What the stages do.

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
  # The dead-peer tests make network namespaces, veth pairs, blackhole routes and a firewall;
  # the web page is tested in Debian's Chromium, driven from node.
  needs+=(ip=iproute2 nft=nftables ss=iproute2 /usr/bin/chromium=chromium node=nodejs npm=npm)
  if [[ $WITH_PACKAGE -eq 1 ]]; then
    needs+=(dpkg-deb=dpkg dpkg-shlibdeps=dpkg-dev lintian=lintian systemd-analyze=systemd
      readelf=binutils zip=zip unzip=unzip)
  fi
  ensure_packages "${needs[@]}"
}

attribute() {  # report-file name: a number from the top suite of a Boost.Test XML report
  tr -d '\r' <"$1" | sed -n "s/.*<TestSuite [^>]* $2=\"\([0-9]*\)\".*/\1/p" | head -n 1
}

# A run that timed out, or exited non-zero with nothing failed, counts as at least one failure:
# sets `failed` and `remark` of the calling run_tests or run_external.
judge_exit() {  # status
  if [[ $1 -eq 124 || $1 -eq 137 ]]; then
    remark="timed out after ${RUN_TIMEOUT_S}s"
    [[ $failed -eq 0 ]] && failed=1
  elif [[ $1 -ne 0 && $failed -eq 0 ]]; then
    remark="exit status $1 with no failed test case: counted as one failure"
    failed=1
  fi
  return 0
}

# Runs one test binary under a timeout and counts its test cases from Boost.Test's XML report.
# A run that dies before reporting, or exits non-zero with nothing failed, counts as one failure.
run_tests() {  # name command...
  local name=$1
  shift
  local report="$LOG_DIR/$name.xml" output="$LOG_DIR/$name.out"
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
  judge_exit "$status"
  # Boost.Test counts cases left out by --run_test as skipped too, so the report's number is no
  # use; cases skipped on purpose print "<suite>/<case> skipped: <reason>" instead.
  local skipped
  skipped=$(tr -d '\r' <"$output" | grep -c '^[^ ]* skipped: ')
  if [[ $skipped -gt 0 && -z $remark ]]; then remark="$skipped skipped, reasons in its log"; fi
  note_result "$name" "$passed" "$failed" "$remark"
}

# Runs a command whose last line of output is "N passed, M failed" under a timeout, and counts
# that. No such line, a timeout, or a non-zero exit status with nothing failed is one failure.
run_external() {  # name command...
  local name=$1
  shift
  local output="$LOG_DIR/$name.out" status last passed failed remark=""
  echo "=== $name: $*"
  timeout -k "$KILL_GRACE_S" "$RUN_TIMEOUT_S" "$@" >"$output" 2>&1 </dev/null
  status=$?
  tr -d '\r' <"$output"
  last=$(tr -d '\r' <"$output" | sed '/^[[:space:]]*$/d' | tail -n 1)
  if [[ ! $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    note_result "$name" 0 1 "no 'N passed, M failed' line at the end (exit status $status)"
    return
  fi
  passed=${BASH_REMATCH[1]}
  failed=${BASH_REMATCH[2]}
  judge_exit "$status"
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

# premake writes the makefiles of one target OS; it runs before any make there, never beside one.
generate() {  # os-for-premake
  local name=premake-$1 args=()
  [[ $1 == "$OS" ]] || args=(--os="$1")
  premake4 --file=premake5.lua "${args[@]}" gmake </dev/null || {
    note_result "$name" 0 1 "premake failed"
    return 1
  }
}

build() {  # name make-directory config [make variables...]
  local name=$1 dir=$2 config=$3
  shift 3
  echo "=== build $name"
  if make -C "$dir" -j"$MAKE_JOBS" config="$config" "$@" </dev/null; then
    note_result "$name" 0 0
  else
    note_result "$name" 0 1 "build failed"
  fi
}

# Every configuration is built once, here; the stages that run its binaries wait for this one.
# Only Release builds the benchmark's load generator and relay: bench-smoke runs them.
build_linux() {  # config
  local targets=()
  [[ $1 == release ]] || targets=(netcat-chat tests)
  generate "$OS" || return
  build "build-$OS-$1" "build/$OS" "$1" "${targets[@]}"
}

build_windows() {
  # MinGW must see Boost without the rest of /usr/include, whose glibc headers would shadow its own.
  mkdir -p build/windows/boost-include
  ln -sfn /usr/include/boost build/windows/boost-include/boost
  generate windows || return
  build build-windows-release build/windows release netcat-chat tests \
    CC="$MINGW-gcc" CXX="$MINGW-g++" AR="$MINGW-ar"
}

has_e2e_suites() {  # tests-binary listing-file
  "$1" --list_content >"$2" 2>&1 </dev/null
  grep -q '^e2e_' "$2"
}

sanitize_tests() {
  ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$SANITIZER_LOG_DIR/asan" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$SANITIZER_LOG_DIR/ubsan" \
    run_tests "$OS-sanitize" "bin/$OS/Sanitize/tests"
  check_sanitizer_reports
}

# A short fuzzing run of every target, one test case each: passed when it found nothing.
fuzz_runs() {
  local output="$LOG_DIR/fuzz.out" target verdict executions elapsed found=0
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

# One Wine server for all the Windows stages, started here with its output in a file: wine
# processes that the tests start then attach to it instead of spawning one that inherits their
# pipes. The prefix is made afresh on a new machine, as a user's would be.
export WINEPREFIX="$ROOT/build/windows/wine-prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
# The persistent server writes the registry files only when it ends, so a prefix made here has
# no system.reg yet; wineboot's status says whether it was made.
start_wine() {
  mkdir -p "$WINEPREFIX"
  wineserver -p >>"$LOG_DIR/wineserver.log" 2>&1 </dev/null
  [[ -f $WINEPREFIX/system.reg ]] && return 0
  echo "=== creating a Wine prefix in $WINEPREFIX"
  timeout -k "$KILL_GRACE_S" "$WINE_BOOT_TIMEOUT_S" wineboot -i >"$LOG_DIR/wineboot.log" 2>&1 </dev/null
}

# Ends the Wine server of the wine lane, if it started one (the lane runs in a shell of its own).
stop_wine() {
  [[ $WITH_WINDOWS -eq 1 && -d $WINEPREFIX ]] && wineserver -k >/dev/null 2>&1 </dev/null
  return 0
}

wine_prefix() {
  local status
  start_wine
  status=$?
  if [[ $status -eq 0 ]]; then
    note_result wine-prefix 0 0
  else
    note_result wine-prefix 0 1 "wineboot -i: exit status $status; see $LOG_DIR/wineboot.log"
  fi
}

windows_console() {
  # The console cases skip themselves in windows-wine, with no terminal for Wine to make a
  # console of; here they get one.
  run_tests windows-console bash scripts/in_terminal.sh wine bin/windows/Release/tests.exe \
    --run_test=terminal
}

# The Linux end-to-end suites, driving another build of the server: the .exe under Wine, or the
# installed package's binary.
e2e_against() {  # name server-binary [runner]
  local name=$1 binary=$2 runner=${3:-} tests="bin/$OS/Release/tests"
  if [[ ! -x $tests ]]; then
    note_result "$name" 0 1 "no $tests to drive $binary with"
  elif has_e2e_suites "$tests" "$LOG_DIR/$name.list"; then
    NETCAT_CHAT_BIN=$binary NETCAT_CHAT_RUNNER=$runner run_tests "$name" "$tests" --run_test='e2e_*'
  else
    note_result "$name" 0 0 "the tests binary has no e2e_* suite; nothing to run"
  fi
}

# The benchmark in miniature, one test case: it fails on lost, duplicated or reordered messages,
# never on speed.
# Runs scripts/bench.sh ARGS with its output in NAME.out; on failure shows the output's end and
# notes the row NAME as failed. Returns whether it passed.
bench_row() { # name args...
  local name=$1
  shift
  local output="$LOG_DIR/$name.out"
  echo "=== $name: scripts/bench.sh $*"
  timeout "$RUN_TIMEOUT_S" bash scripts/bench.sh "$@" >"$output" 2>&1 </dev/null && return 0
  tail -n 40 "$output"
  note_result "$name" 0 1 "see $output"
  return 1
}

bench_smoke() {
  bench_row bench-smoke --smoke &&
    note_result "bench-smoke" 1 0 "$(grep -c '^RESULT ' "$LOG_DIR/bench-smoke.out") load runs, no loss, duplicate or reordering"
  # The full run's own builds (with symbols, without the gather pause), which nothing else
  # compiles: a change that breaks them shows here, not at the next full benchmark.
  bench_row bench-builds --build &&
    note_result "bench-builds" 1 0 "the full benchmark's two extra builds compile"
  return 0
}

# ---------------------------------------------------------------------------------------------
# The plan: which stage runs in which lane, after what. The order here is the order of the logs
# and of the summary. docs/CI.md explains the lanes and records what each stage costs.

plan() {
  local release="build-$OS-release" sanitize="build-$OS-sanitize"
  local linux_tests="bin/$OS/Release/tests"

  # The compilers, one configuration after another, each with both cores.
  lane build
  stage "$release" build_linux release
  [[ $WITH_WINDOWS -eq 1 ]] && stage build-windows-release build_windows
  [[ $WITH_SANITIZE -eq 1 ]] && stage "$sanitize" build_linux sanitize
  [[ $WITH_FUZZ -eq 1 && $OS == linux ]] && stage fuzz fuzz_runs

  # The native test runs, which mostly wait on sockets and terminals.
  lane native
  tests_stage "$OS-release" --after "$release" "$linux_tests"
  [[ $OS == linux ]] && stage docs --after "$release" docs_checks
  # After the sanitize build too: bench.sh runs premake and make in build/linux.
  [[ $OS == linux ]] && stage bench-smoke --after "$release" --after "$sanitize" bench_smoke

  lane sanitize
  [[ $WITH_SANITIZE -eq 1 ]] && stage "$OS-sanitize" --after "$sanitize" sanitize_tests

  # A vanished peer at the default --keepalive takes two minutes of waiting, alone in its lane.
  lane dead-peer
  [[ $OS == linux ]] && tests_stage "$OS-dead-peer-default" --after "$release" \
    "$linux_tests" --run_test=e2e_dead_peer_default

  # The web page in headless Chromium beside raw TCP clients.
  lane browser
  [[ $OS == linux ]] && external_stage browser --after "$release" bash scripts/browser_test.sh

  # Wine: one prefix and one Wine server, so its stages take turns.
  lane wine
  if [[ $WITH_WINDOWS -eq 1 ]]; then
    stage wine-prefix wine_prefix
    tests_stage windows-wine --after build-windows-release wine bin/windows/Release/tests.exe
    stage windows-console --after build-windows-release windows_console
    stage e2e-wine --after build-windows-release --after "$release" \
      e2e_against e2e-wine "$ROOT/bin/windows/Release/netcat-chat.exe" wine
    [[ $WITH_PACKAGE -eq 1 && $OS == linux ]] &&
      stage zip-exe-under-wine --after package check_zip_under_wine
  fi

  # The packages: built from a copy of the sources with the packaging's own flags, installed,
  # tested as installed, removed.
  lane package
  if [[ $WITH_PACKAGE -eq 1 && $OS == linux ]]; then
    # After the Windows build, so that the two builds of the package do not slow that one.
    stage package --after "$release" --after build-windows-release package_build
    stage package-checks --after package package_inspect
    stage package-install --after package package_install
    stage e2e-installed --after package-install --after "$release" check_e2e_installed
    stage package-remove --after package-install check_remove
  fi
}

# ---------------------------------------------------------------------------------------------

RUN_STARTED=$SECONDS
trap stopLanes EXIT
install_dependencies
plan
runPlan
stop_wine
printLogs
printFailures
printSummary
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
