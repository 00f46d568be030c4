#!/usr/bin/env bash
# Builds the server (Release, for this machine) and runs it: scripts/run.sh [PORT] [OPTIONS].
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

ensure_packages premake4=premake4 "g++=g++" make=make

OS=$(host_os)
cd "$ROOT"
# Everything the build says goes to stderr: the server's stdout belongs to whoever runs it.
premake4 --file=premake5.lua gmake >&2
make -C "build/$OS" -j2 config=release netcat-chat >&2
exec "$ROOT/bin/$OS/Release/netcat-chat" "$@"
