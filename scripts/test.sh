#!/usr/bin/env bash
# Builds and runs every test: Linux Release and Sanitize, Windows under Wine, man page, packages.
# Usage: scripts/test.sh [--no-windows] [--no-sanitize] [--no-fuzz] [--no-package]
# The last line printed is always "N passed, M failed" (test cases, summed over all stages).
#
# This installs what is missing, then scripts/ci/run_tests.py runs the plan of stages (docs/CI.md).
# Packages are installed here, before any lane starts, so that two lanes never run apt at once.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

readonly MINGW=x86_64-w64-mingw32
with_windows=1
with_package=1
only_runner=0
for arg in "$@"; do
  case "$arg" in
    --no-windows) with_windows=0 ;;
    --no-package) with_package=0 ;;
    --no-sanitize | --no-fuzz) ;;
    # --help, or a mistake: the runner answers it, with nothing installed but itself.
    *) only_runner=1 ;;
  esac
done

# python3-minimal alone has /usr/bin/python3 but not the standard library the runner uses
# (xml, unittest, concurrent); pydoc3 comes with the full python3.
needs=(pydoc3=python3)
if [[ $only_runner -eq 0 ]]; then
  # nc, ncat, telnet and socat are the clients the end-to-end tests drive the server with; tmux
  # is the terminal the --connect client is tested in.
  needs+=(premake4=premake4 "g++=g++" make=make
    /usr/include/boost/test/included/unit_test.hpp=libboost-test-dev
    nc=netcat-openbsd ncat=ncat telnet=telnet socat=socat timeout=coreutils tmux=tmux)
  if [[ $with_windows -eq 1 ]]; then
    needs+=("$MINGW-g++=g++-mingw-w64-x86-64" wine=wine wineserver=wine /usr/lib/wine/wine64=wine64)
  fi
  # The man page's checks, and scripts/package.sh with the tools that inspect its packages.
  needs+=(groff=groff-base man=man-db)
  # The dead-peer tests make network namespaces, veth pairs, blackhole routes and a firewall;
  # the web page is tested in Debian's Chromium, driven from node.
  needs+=(ip=iproute2 nft=nftables ss=iproute2 /usr/bin/chromium=chromium node=nodejs npm=npm)
  # The TLS fronts the package has configurations for, run for real with a test certificate;
  # fail2ban-regex checks the package's filter against a log the server wrote.
  needs+=(nginx=nginx-light caddy=caddy stunnel4=stunnel4 openssl=openssl
    fail2ban-regex=fail2ban)
  # Real IRC clients beside nc users (scripts/irc_clients_test.py); WeeChat is driven through the
  # fifo plugin, which weechat-plugins holds.
  needs+=(weechat-headless=weechat-headless ii=ii
    "/usr/lib/$(uname -m)-linux-gnu/weechat/plugins/fifo.so=weechat-plugins")
  if [[ $with_package -eq 1 ]]; then
    needs+=(dpkg-deb=dpkg dpkg-shlibdeps=dpkg-dev lintian=lintian systemd-analyze=systemd
      readelf=binutils zip=zip unzip=unzip)
  fi
fi
ensure_packages "${needs[@]}"
exec python3 "$ROOT/scripts/ci/run_tests.py" "$@"
