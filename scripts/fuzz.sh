#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang and runs each for a bounded time (Linux).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 seconds each, every target)
# Prints "fuzz-result TARGET passed|failed EXECUTIONS SECONDS" per target; exit 1 if any failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

readonly DEFAULT_SECONDS=60
# libFuzzer stops itself at -max_total_time; this is only for a run that hangs regardless.
readonly HANG_MARGIN_S=120
# One input taking longer than this is a finding (a hang), not slowness.
readonly INPUT_TIMEOUT_S=30
readonly OUT=build/fuzz
# The targets are projects of premake5.lua, built in its Fuzz configuration with clang, in a build
# directory of their own: the other builds may be running make in build/linux meanwhile.
readonly BIN=bin/linux/Fuzz
readonly BUILD_DIR=build/linux-fuzz
readonly MAKE_JOBS=2

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "$0"
  exit 0
fi
SECONDS_EACH=${1:-$DEFAULT_SECONDS}
if ! [[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]]; then
  echo "SECONDS must be a positive whole number, not '$SECONDS_EACH'" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(fuzz_input fuzz_chat fuzz_http_request fuzz_websocket
  fuzz_proxy_header fuzz_address fuzz_irc fuzz_irc_face)

# Longest input libFuzzer may build: fuzz_input needs lines beyond the 4096-byte limit.
max_len_of() {
  case "$1" in
    fuzz_input) echo 20000 ;;
    # Past the 8 KiB head bound, and past a 64 KiB message.
    fuzz_http_request) echo 10000 ;;
    fuzz_websocket) echo 70000 ;;
    # Past the 107-byte header, with the client's bytes after it.
    fuzz_proxy_header) echo 512 ;;
    fuzz_address) echo 256 ;;
    # Past the 8191 bytes of tags plus the 512 of a message.
    fuzz_irc) echo 20000 ;;
    fuzz_irc_face) echo 20000 ;;
    *) echo 16384 ;;
  esac
}

cd "$ROOT" || exit 1
ensure_packages "clang++=clang" premake4=premake4 make=make
ensure_packages "$(clang++ -print-runtime-dir)/libclang_rt.fuzzer-$(uname -m).a=libclang-rt-dev"
mkdir -p "$OUT/logs" "$OUT/artifacts"

# One make for every target asked for: the chat core is compiled once for all of them.
echo "=== fuzz: build ${TARGETS[*]}"
premake4 --file=premake5.lua --build-dir="$BUILD_DIR" --fuzz-targets gmake >"$OUT/logs/build.log" 2>&1 &&
  make -C "$BUILD_DIR" -j"$MAKE_JOBS" config=fuzz CC=clang CXX=clang++ "${TARGETS[@]}" \
    >>"$OUT/logs/build.log" 2>&1 </dev/null
build_status=$?

FAILED=0
for target in "${TARGETS[@]}"; do
  log="$OUT/logs/$target.log"
  if [[ ! -x $BIN/$target ]] || ((build_status != 0)); then
    tail -n 40 "$OUT/logs/build.log"
    echo "fuzz-result $target failed 0 0"
    FAILED=1
    continue
  fi
  : >"$log"
  # New inputs go to the first directory (ignored by git); the committed seeds stay as they are.
  work="tests/fuzz/corpus-$target"
  mkdir -p "$work"
  echo "=== fuzz $target: ${SECONDS_EACH}s"
  timeout -k 10 $((SECONDS_EACH + HANG_MARGIN_S)) "$BIN/$target" \
    -max_total_time="$SECONDS_EACH" -timeout="$INPUT_TIMEOUT_S" -max_len="$(max_len_of "$target")" \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target-" \
    "$work" "tests/fuzz/corpus/$target" >>"$log" 2>&1 </dev/null
  status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  if [[ $status -eq 0 ]]; then
    echo "fuzz-result $target passed ${executions:-0} ${elapsed:-$SECONDS_EACH}"
  else
    # The finding: libFuzzer's report and the input that caused it, saved under $OUT/artifacts.
    grep -v '^#[0-9]' "$log" | tail -n 60
    echo "fuzz-result $target failed ${executions:-0} ${elapsed:-0}"
    FAILED=1
  fi
done
exit "$FAILED"
