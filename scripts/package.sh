#!/usr/bin/env bash
# Builds the Debian package and the Windows zip from a copy of the sources, into build/packages/.
# Usage: scripts/package.sh [--no-windows] [--reuse-windows-build] [--print-version]
# The version comes from src/version.hpp; the man page and the changelog must say the same.
# --reuse-windows-build takes bin/windows/Release/netcat-chat.exe when build/windows would make it
# with the same commands and has nothing left to do (CI's Windows build stage made it just before).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

readonly PACKAGING="$ROOT/scripts/packaging"
readonly OUT="$ROOT/build/packages"
# Everything the packages are made from is staged here, away from the everyday build.
readonly WORK="$ROOT/build/package"
readonly MINGW=x86_64-w64-mingw32
readonly MAKE_JOBS=2
readonly MAINTAINER="netcat-chat maintainers <maintainers@netcat-chat.example>"

WITH_WINDOWS=1
REUSE_WINDOWS=0
for arg in "$@"; do
  case "$arg" in
    --no-windows) WITH_WINDOWS=0 ;;
    --reuse-windows-build) REUSE_WINDOWS=1 ;;
    --print-version)
      sed -n 's/^inline constexpr std::string_view kVersion = "\([^"]*\)";$/\1/p' "$ROOT/src/version.hpp"
      exit 0
      ;;
    -h | --help)
      sed -n '2,6s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "unknown option: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

die() {
  echo "package.sh: $*" >&2
  exit 1
}

# The one number, and the two places that repeat it for readers who have no source at hand.
checkVersion() {
  VERSION=$(bash "$0" --print-version)
  [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no version in src/version.hpp"
  local man changelog
  man=$(sed -n 's/^\.TH [^"]*"netcat-chat \([^"]*\)".*/\1/p' "$ROOT/docs/netcat-chat.1")
  changelog=$(sed -n '1s/^netcat-chat (\([^)]*\)).*/\1/p' "$PACKAGING/changelog")
  [[ $man == "$VERSION" ]] || die "docs/netcat-chat.1 says version '$man', src/version.hpp '$VERSION'"
  [[ $changelog == "$VERSION" ]] ||
    die "scripts/packaging/changelog starts at '$changelog', src/version.hpp says '$VERSION'"
}

# Every file in both packages carries the date of the latest changelog entry, so the same
# sources give the same bytes.
sourceDate() {
  date -d "$(sed -n 's/^ -- .*>  //p' "$PACKAGING/changelog" | head -n 1)" +%s
}

stageSources() {
  rm -rf "$WORK"
  mkdir -p "$WORK/tree" "$OUT"
  cp -R "$ROOT/premake5.lua" "$ROOT/src" "$ROOT/platform" "$WORK/tree/"
}

# Debian's hardening flags (stack protector, fortified libc calls, full RELRO, PIE); the
# makefiles add theirs after these.
buildLinux() {
  echo "=== package: building netcat-chat for Linux"
  (
    cd "$WORK/tree"
    premake4 --file=premake5.lua gmake >/dev/null
    export DEB_BUILD_MAINT_OPTIONS=hardening=+all
    CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS)
    CFLAGS=$(dpkg-buildflags --get CXXFLAGS)
    LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
    export CPPFLAGS CFLAGS LDFLAGS
    make -C build/linux -j"$MAKE_JOBS" config=release netcat-chat </dev/null
  )
}

# make's arguments for the .exe, in the copy and in the everyday build alike.
windowsMake() {  # directory make-options...
  local directory=$1
  shift
  make -C "$directory" --no-print-directory "$@" config=release netcat-chat \
    CC="$MINGW-gcc" CXX="$MINGW-g++" AR="$MINGW-ar" </dev/null
}

# Whether the everyday build's .exe is the one the copy would make: every command make would run
# for it (all of them, -B) is the same byte for byte in both, and the everyday build is up to date
# (a dry run there names no compiler, archiver or linker). Says why not on standard output.
# LDDEPS= empties the list of libraries a link waits for, which the copy's dry run cannot find
# (nothing is built there yet); no command uses it.
whyNotReuseWindows() {
  local ours theirs dry stale
  if [[ ! -f $ROOT/build/windows/Makefile || ! -f $ROOT/bin/windows/Release/netcat-chat.exe ]]; then
    echo "no Windows build in build/windows"
    return
  fi
  ours=$(windowsMake "$WORK/tree/build/windows" -n -B LDDEPS= 2>&1) ||
    { echo "make -n failed in the copy: $(tail -n 1 <<<"$ours")"; return; }
  theirs=$(windowsMake "$ROOT/build/windows" -n -B LDDEPS= 2>&1) ||
    { echo "make -n failed in build/windows: $(tail -n 1 <<<"$theirs")"; return; }
  if [[ $ours != "$theirs" ]]; then
    echo "build/windows compiles with other commands: $(diff <(echo "$ours") <(echo "$theirs") | head -n 3)"
    return
  fi
  dry=$(windowsMake "$ROOT/build/windows" -n 2>&1) ||
    { echo "make -n failed in build/windows: $(tail -n 1 <<<"$dry")"; return; }
  stale=$(grep -E "$MINGW-(g\+\+|gcc|ar)|windres" <<<"$dry" || true)
  [[ -z $stale ]] || echo "build/windows is not up to date: $(head -n 1 <<<"$stale")"
}

buildWindows() {
  local why
  (cd "$WORK/tree" && premake4 --file=premake5.lua --os=windows gmake >/dev/null)
  why="not asked for"
  [[ $REUSE_WINDOWS -eq 0 ]] || why=$(whyNotReuseWindows)
  if [[ -z $why ]]; then
    echo "=== package: netcat-chat.exe from build/windows (the same commands, up to date)"
    install -D -m 0755 "$ROOT/bin/windows/Release/netcat-chat.exe" \
      "$WORK/tree/bin/windows/Release/netcat-chat.exe"
  else
    echo "=== package: building netcat-chat.exe with MinGW-w64 (build/windows not reused: $why)"
    windowsMake "$WORK/tree/build/windows" -j"$MAKE_JOBS"
  fi
  # A Windows user has no MinGW runtime DLLs; the .exe may import only what Windows ships.
  local imports
  imports=$("$MINGW-objdump" -p "$WORK/tree/bin/windows/Release/netcat-chat.exe" |
    sed -n 's/^[[:space:]]*DLL Name: //p')
  if grep -qiE 'libstdc|libgcc|libwinpthread' <<<"$imports"; then
    die "netcat-chat.exe is not static; it imports: $(tr '\n' ' ' <<<"$imports")"
  fi
}

# dpkg-gencontrol's measure: each file rounded up to a KiB, one KiB per directory or link.
installedSize() {
  find "$1" -path "$1/DEBIAN" -prune -o -mindepth 1 -printf '%y %s\n' |
    awk '$1 == "f" { kib += int(($2 + 1023) / 1024); next } { kib += 1 } END { print kib }'
}

dependsLine() {
  mkdir -p "$WORK/shlibs/debian"
  printf 'Source: netcat-chat\n\nPackage: netcat-chat\nArchitecture: any\n' \
    >"$WORK/shlibs/debian/control"
  (cd "$WORK/shlibs" && dpkg-shlibdeps -O "$1") | sed -n 's/^shlibs:Depends=//p'
}

writeControl() {  # root architecture
  cat >"$1/DEBIAN/control" <<EOF
Package: netcat-chat
Version: $VERSION
Architecture: $2
Maintainer: $MAINTAINER
Installed-Size: $(installedSize "$1")
Depends: $(dependsLine "$1/usr/bin/netcat-chat")
Section: net
Priority: optional
Description: group chat server for nc and telnet, and a client for it
 netcat-chat is a group chat that anyone joins with nc or telnet: each person
 picks a name, and every line one of them types reaches all the others,
 stamped with the time and the name. Newcomers get the history; joins and
 leaves are announced; /commands give rooms, private messages and more.
 .
 The server is one thread around one select(), with flood control, bounded
 memory per client and a chat log that survives restarts. With --connect the
 same program is a client with a line editor that incoming messages never
 break. The package includes a sandboxed systemd service on port 8989.
EOF
}

buildDeb() {
  local root="$WORK/deb" arch doc="$WORK/deb/usr/share/doc/netcat-chat"
  arch=$(dpkg --print-architecture)
  echo "=== package: netcat-chat_${VERSION}_$arch.deb"
  install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$doc" \
    "$root/lib/systemd/system" "$root/etc/default" \
    "$root/etc/fail2ban/filter.d"
  install -m 0755 "$WORK/tree/bin/linux/Release/netcat-chat" "$root/usr/bin/netcat-chat"
  strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/netcat-chat"
  gzip -9n <"$ROOT/docs/netcat-chat.1" >"$root/usr/share/man/man1/netcat-chat.1.gz"
  gzip -9n <"$PACKAGING/changelog" >"$doc/changelog.gz"
  install -m 0644 "$PACKAGING/copyright" "$doc/copyright"
  # The TLS fronts' configurations that scripts/fronts_test.py runs, and the page explaining them.
  install -d "$doc/examples"
  install -m 0644 "$PACKAGING"/examples/* "$doc/examples/"
  gzip -9n <"$ROOT/docs/TLS.md" >"$doc/TLS.md.gz"
  install -m 0644 "$PACKAGING/netcat-chat.service" "$root/lib/systemd/system/netcat-chat.service"
  install -m 0644 "$PACKAGING/netcat-chat.default" "$root/etc/default/netcat-chat"
  install -m 0644 "$PACKAGING/fail2ban/netcat-chat.conf" "$root/etc/fail2ban/filter.d/netcat-chat.conf"
  install -m 0644 "$PACKAGING/fail2ban/jail.local" "$doc/examples/fail2ban-jail.local"
  chmod 0644 "$root/usr/share/man/man1/netcat-chat.1.gz" "$doc/changelog.gz" "$doc/TLS.md.gz"
  install -m 0755 "$PACKAGING/postinst" "$PACKAGING/prerm" "$PACKAGING/postrm" "$root/DEBIAN/"
  printf '%s\n' /etc/default/netcat-chat /etc/fail2ban/filter.d/netcat-chat.conf \
    >"$root/DEBIAN/conffiles"
  chmod 0644 "$root/DEBIAN/conffiles"
  writeControl "$root" "$arch"
  # Conffiles have their sums in the control part already, as dh_md5sums leaves them out.
  (cd "$root" && find usr lib -type f | LC_ALL=C sort | xargs md5sum >DEBIAN/md5sums)
  chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
  find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
  rm -f "$OUT/netcat-chat_${VERSION}_$arch.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$OUT/netcat-chat_${VERSION}_$arch.deb"
}

crlf() { sed 's/\r$//; s/$/\r/' "$@"; }

buildZip() {
  local dir="$WORK/zip" name="netcat-chat-$VERSION-windows-x64.zip"
  echo "=== package: $name"
  mkdir -p "$dir"
  install -m 0755 "$WORK/tree/bin/windows/Release/netcat-chat.exe" "$dir/netcat-chat.exe"
  sed "s/@VERSION@/$VERSION/g" "$PACKAGING/README.txt" | crlf >"$dir/README.txt"
  crlf "$ROOT/LICENSE" >"$dir/LICENSE.txt"
  touch --date="@$SOURCE_DATE_EPOCH" "$dir"/*
  rm -f "$OUT/$name"
  (cd "$dir" && TZ=UTC zip -X -9 -q "$OUT/$name" netcat-chat.exe README.txt LICENSE.txt)
}

cd "$ROOT"
umask 022
needs=(premake4=premake4 "g++=g++" make=make dpkg-deb=dpkg dpkg-shlibdeps=dpkg-dev
  dpkg-buildflags=dpkg-dev gzip=gzip strip=binutils)
[[ $WITH_WINDOWS -eq 1 ]] && needs+=("$MINGW-g++=g++-mingw-w64-x86-64" zip=zip)
ensure_packages "${needs[@]}"
checkVersion
SOURCE_DATE_EPOCH=$(sourceDate)
export SOURCE_DATE_EPOCH
stageSources
buildLinux
buildDeb
if [[ $WITH_WINDOWS -eq 1 ]]; then
  buildWindows
  buildZip
fi
echo "=== package: done"
ls -l "$OUT"
