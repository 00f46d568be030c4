#!/usr/bin/env bash
# Benchmarks netcat-chat against `ncat -l --chat` and a raw relay; writes docs/BENCHMARKS.md.
#
#   scripts/bench.sh [--smoke | --client | --web | --build]
#
# The benchmark is scripts/bench.py (its --help says what each mode does); this installs the
# Python it needs and runs it with the same arguments.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"
# python3-minimal alone has /usr/bin/python3 but not all of the standard library; pydoc3 comes
# with the full python3.
ensure_packages pydoc3=python3
exec python3 "$ROOT/scripts/bench.py" "$@"
