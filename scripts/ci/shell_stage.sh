# Runs one function of a bash script as a stage of scripts/ci/run_tests.py (docs/CI.md).
# shellcheck shell=bash
# Usage: bash scripts/ci/shell_stage.sh ROWS-FILE SCRIPT FUNCTION
# The function reports each check with note_result NAME PASSED FAILED [REMARK]: one line of
# ROWS-FILE, its fields separated by tabs, which the runner reads once the function has ended.
set -uo pipefail

readonly ROWS_FILE=$1
note_result() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$ROWS_FILE"
}

: >"$ROWS_FILE"
# shellcheck source=scripts/package_checks.sh
source "$2"
"$3"
