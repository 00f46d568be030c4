#!/usr/bin/env bash
# Runs the web page's tests (tests/browser) in Debian's headless Chromium against the built server.
# Usage: scripts/browser_test.sh [node --test options]   (NETCAT_CHAT_BIN: the server to test)
# The last line is "N passed, M failed", counted from node's test runner; exit 1 if any failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

# playwright-core, pinned in tests/browser/package-lock.json, needs this node or newer.
readonly MIN_NODE_MAJOR=20

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "$0"
  exit 0
fi

fail() {
  echo "$1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

cd "$ROOT" || exit 1
ensure_packages /usr/bin/chromium=chromium node=nodejs npm=npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [[ $node_major -lt $MIN_NODE_MAJOR ]]; then
  fail "node $(node --version) is too old: the browser tests need node $MIN_NODE_MAJOR or newer."
fi

OS=$(host_os)
BIN=${NETCAT_CHAT_BIN:-$ROOT/bin/$OS/Release/netcat-chat}
if [[ ! -x $BIN ]]; then
  [[ -z ${NETCAT_CHAT_BIN:-} ]] || fail "NETCAT_CHAT_BIN is not an executable: $BIN"
  echo "Building $BIN..." >&2
  ensure_packages premake4=premake4 "g++=g++" make=make
  { premake4 --file=premake5.lua gmake && make -C "build/$OS" -j2 config=release netcat-chat; } \
    </dev/null >&2 || fail "The build failed."
fi
export NETCAT_CHAT_BIN=$BIN

# playwright-core downloads no browser; the tests drive /usr/bin/chromium.
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2) ||
  fail "npm ci in tests/browser failed."

REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT
# The spec report is for the reader; the TAP copy is where the counts come from.
(cd tests/browser && node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$REPORT" "$@" </dev/null)
status=$?

count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$REPORT" | tail -n 1; }
passed=$(count pass)
failed=$(count fail)
cancelled=$(count cancelled)
if [[ -z $passed || -z $failed ]]; then
  fail "node's test runner gave no summary (exit status $status)."
fi
failed=$((failed + ${cancelled:-0}))
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
