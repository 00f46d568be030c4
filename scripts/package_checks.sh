# Checks of the man page, the version number and both packages, each one counted test case.
# shellcheck shell=bash
# Run by scripts/ci/run_tests.py, one function a stage, through scripts/ci/shell_stage.sh, which
# gives them note_result; the runner sets LOG_DIR, OS, WITH_WINDOWS and KILL_GRACE_S. Its plan runs
# docs_checks and the functions at the end of this file (the zip's check in the lane whose Wine
# server is running). docs/PACKAGING.md says what each check proves.

readonly MAN_PAGE=docs/netcat-chat.1
readonly PACKAGE_DIR=build/packages
# The unit's command line listens here; the check below starts it exactly as written.
readonly SERVICE_PORT=8989
# Starting the server, a client's line reaching the log, a shutdown: each well under a second.
readonly SERVICE_DEADLINE_S=20
# A test run holds the port's lock for a server's start and stop; generous for one under Wine.
readonly PORT_LOCK_WAIT_S=60
readonly WINE_VERSION_TIMEOUT_S=120

# Lintian warnings accepted, each with its reason (docs/PACKAGING.md repeats them). Errors are
# never accepted, nor is any warning missing here. Info tags (I:) are shown, not counted.
readonly LINTIAN_ACCEPTED_WARNINGS=()

packageVersion() { bash scripts/package.sh --print-version; }

# The options in the first column of --help's option rows ("  -h, --help   this help").
helpOptions() {  # netcat-chat-binary
  "$1" --help </dev/null 2>/dev/null | optionColumn
}

# The options in the tags of the man page's OPTIONS section, from the rendered text: a tag starts
# a paragraph (or follows a subsection title) at the indent where running text may also wrap.
manOptions() {
  groff -man -Tascii -P-cbu "$MAN_PAGE" 2>/dev/null |
    awk '/^[A-Z]/ { in_options = ($0 == "OPTIONS") }
         in_options && (previous == "" || previous ~ /^   [^ ]/) && /^       -/ { print }
         { previous = $0 }' | optionColumn
}

# An option row starts with an option, or with the positional it stands beside ("PORT, -p PORT").
optionColumn() {
  grep -E '^[[:space:]]+([A-Z]+, )?-' | sed -E 's/^[[:space:]]+//; s/ {2,}.*//' |
    grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[^-]+//' | LC_ALL=C sort -u
}

check_man_renders() {
  local log="$LOG_DIR/man-render.log"
  {
    groff -man -Tutf8 -ww -z "$MAN_PAGE"
    MANWIDTH=80 man --warnings=w -l "$MAN_PAGE" >/dev/null
  } >"$log" 2>&1 </dev/null
  if [[ -s $log ]]; then
    cat "$log"
    note_result "man-page-renders" 0 1 "groff or man -l warned; see $log"
  else
    note_result "man-page-renders" 1 0 "groff -man -Tutf8 -ww and man -l: no warning"
  fi
}

check_man_options() {
  local binary="bin/$OS/Release/netcat-chat" help man only_help only_man
  if [[ ! -x $binary ]]; then
    note_result "man-page-options" 0 1 "no $binary to ask for --help"
    return
  fi
  help=$(helpOptions "$binary")
  man=$(manOptions)
  only_help=$(LC_ALL=C comm -23 <(echo "$help") <(echo "$man") | tr '\n' ' ')
  only_man=$(LC_ALL=C comm -13 <(echo "$help") <(echo "$man") | tr '\n' ' ')
  echo "=== man-page-options: --help lists $(echo "$help" | wc -l), the man page $(echo "$man" | wc -l)"
  if [[ -z $help ]]; then
    note_result "man-page-options" 0 1 "found no options in $binary --help"
  elif [[ -n $only_help || -n $only_man ]]; then
    note_result "man-page-options" 0 1 \
      "only in --help: ${only_help:-none}; only in the man page: ${only_man:-none}"
  else
    note_result "man-page-options" 1 0 "$(echo "$help" | wc -l) options, the same in both"
  fi
}

# src/version.hpp is the one place; the man page, the changelog and --version must agree with it.
check_version() {
  local version man changelog printed binary="bin/$OS/Release/netcat-chat" problems=()
  version=$(packageVersion)
  man=$(sed -n 's/^\.TH [^"]*"netcat-chat \([^"]*\)".*/\1/p' "$MAN_PAGE")
  changelog=$(sed -n '1s/^netcat-chat (\([^)]*\)).*/\1/p' scripts/packaging/changelog)
  printed=$("$binary" --version 2>&1 </dev/null)
  [[ -n $version ]] || problems+=("no version in src/version.hpp")
  [[ $man == "$version" ]] || problems+=("man page says '$man'")
  [[ $changelog == "$version" ]] || problems+=("changelog says '$changelog'")
  [[ $printed == "netcat-chat $version" ]] || problems+=("--version says '$printed'")
  local stale
  stale=$(grep -oE 'netcat-chat[_-][0-9]+\.[0-9]+\.[0-9]+' README.md | grep -v -e "_${version}\$" -e "-${version}\$" |
    sort -u | tr '\n' ' ')
  [[ -z $stale ]] || problems+=("README.md names packages of another version: $stale")
  if [[ ${#problems[@]} -eq 0 ]]; then
    note_result "version" 1 0 "$version in version.hpp, man page, changelog, --version, README"
  else
    note_result "version" 0 1 "src/version.hpp says '$version'; ${problems[*]}"
  fi
}

docs_checks() {
  check_man_renders
  check_man_options
  check_version
}

# ---------------------------------------------------------------------------------------------

# What scripts/package.sh makes: the .deb, and the zip unless --no-windows.
packagePaths() {
  local version
  version=$(packageVersion)
  DEB="$PACKAGE_DIR/netcat-chat_${version}_$(dpkg --print-architecture).deb"
  ZIP=""
  [[ $WITH_WINDOWS -eq 1 ]] && ZIP="$PACKAGE_DIR/netcat-chat-$version-windows-x64.zip"
}

# The Windows build stage has just made the .exe with the commands the package's copy would run:
# package.sh takes it instead of compiling it again, after checking exactly that.
check_package_build() {
  local log="$LOG_DIR/package-build.out" args=() exe=""
  if [[ $WITH_WINDOWS -eq 1 ]]; then args+=(--reuse-windows-build); else args+=(--no-windows); fi
  echo "=== package: scripts/package.sh ${args[*]}"
  packagePaths
  if ! bash scripts/package.sh "${args[@]}" >"$log" 2>&1 </dev/null; then
    tail -n 40 "$log"
    note_result "package-build" 0 1 "scripts/package.sh failed; see $log"
    return 1
  fi
  grep '^=== package: ' "$log"
  if [[ $WITH_WINDOWS -eq 1 ]]; then
    exe=" (.exe compiled again)"
    grep -q '^=== package: netcat-chat.exe from build/windows' "$log" && exe=" (.exe of build/windows)"
  fi
  note_result "package-build" 1 0 "$(basename "$DEB")${ZIP:+, $(basename "$ZIP")$exe}"
}

# What is in the .deb, whose it is and with which mode; what is in the zip, with which endings.
check_package_contents() {
  local problems=() listing line path expected
  packagePaths
  listing=$(dpkg-deb -c "$DEB")
  for expected in \
    "-rwxr-xr-x ./usr/bin/netcat-chat" \
    "-rw-r--r-- ./usr/share/man/man1/netcat-chat.1.gz" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/copyright" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/changelog.gz" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/TLS.md.gz" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/examples/nginx-netcat-chat.conf" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/examples/Caddyfile" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/examples/stunnel-netcat-chat.conf" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/examples/stunnel-netcat-chat-client.conf" \
    "-rw-r--r-- ./lib/systemd/system/netcat-chat.service" \
    "-rw-r--r-- ./etc/default/netcat-chat" \
    "-rw-r--r-- ./etc/fail2ban/filter.d/netcat-chat.conf" \
    "-rw-r--r-- ./usr/share/doc/netcat-chat/examples/fail2ban-jail.local"; do
    path=${expected#* }
    line=$(awk -v p="$path" '$6 == p' <<<"$listing")
    [[ -n $line ]] || { problems+=("no $path"); continue; }
    [[ $line == "${expected%% *} root/root "* ]] || problems+=("$line")
  done
  if awk '$2 != "root/root"' <<<"$listing" | grep -q .; then problems+=("files not root/root"); fi
  local unpacked="$LOG_DIR/deb-root" example
  rm -rf "$unpacked" && dpkg-deb -x "$DEB" "$unpacked"
  # The examples are the very files scripts/fronts_test.py runs.
  for example in scripts/packaging/examples/*; do
    cmp -s "$example" "$unpacked/usr/share/doc/netcat-chat/examples/${example##*/}" ||
      problems+=("examples/${example##*/} differs from $example")
  done
  zcat "$unpacked/usr/share/doc/netcat-chat/TLS.md.gz" 2>/dev/null | cmp -s - docs/TLS.md ||
    problems+=("TLS.md.gz is not docs/TLS.md")
  if readelf -S "$unpacked/usr/bin/netcat-chat" | grep -q '\.symtab'; then
    problems+=("/usr/bin/netcat-chat is not stripped")
  fi
  # gzip -n: no file name and no time stamp in the header (bytes 4 to 8).
  if [[ $(od -An -tx1 -j3 -N5 "$unpacked/usr/share/man/man1/netcat-chat.1.gz" | tr -d ' ') != 0000000000 ]]; then
    problems+=("man page not gzipped with -n")
  fi
  head -n 1 "$unpacked/usr/share/doc/netcat-chat/copyright" |
    grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/$' ||
    problems+=("copyright is not in the machine-readable format")
  dpkg-deb -f "$DEB" Installed-Size Depends | grep -q '^Depends: libc6' ||
    problems+=("no Depends on libc6")
  if [[ -n $ZIP ]]; then
    local names file
    names=$(unzip -Z1 "$ZIP" | LC_ALL=C sort | tr '\n' ' ')
    [[ $names == "LICENSE.txt README.txt netcat-chat.exe " ]] || problems+=("zip holds: $names")
    for file in README.txt LICENSE.txt; do
      if unzip -p "$ZIP" "$file" | grep -q $'[^\r]$\|^$'; then problems+=("$file has lines without CRLF"); fi
    done
    unzip -p "$ZIP" README.txt | grep -q 'netcat-chat.exe --connect 192.168.1.20 2525' ||
      problems+=("README.txt does not show --connect")
    unzip -p "$ZIP" README.txt | grep -q 'Firewall' || problems+=("README.txt does not mention the firewall")
  fi
  if [[ ${#problems[@]} -eq 0 ]]; then
    note_result "package-contents" 1 0 "paths, root:root, modes, stripped, gzip -9n, DEP-5, TLS examples${ZIP:+, zip with CRLF text}"
  else
    note_result "package-contents" 0 1 "$(printf '%s; ' "${problems[@]}")"
  fi
}

check_lintian() {
  local log="$LOG_DIR/lintian.out" errors warnings unaccepted=() tag
  packagePaths
  echo "=== lintian $DEB"
  lintian --pedantic --display-info --tag-display-limit 0 "$DEB" >"$log" 2>&1 </dev/null
  grep -E '^[EWIPX]: ' "$log"
  errors=$(grep -c '^E: ' "$log")
  warnings=$(grep -c '^W: ' "$log")
  while read -r tag; do
    [[ -z $tag ]] && continue
    if [[ " ${LINTIAN_ACCEPTED_WARNINGS[*]} " != *" $tag "* ]]; then unaccepted+=("$tag"); fi
  done < <(sed -n 's/^W: [^:]*: \([^ ]*\).*/\1/p' "$log")
  if [[ $errors -gt 0 || ${#unaccepted[@]} -gt 0 ]]; then
    note_result "lintian" 0 1 "$errors error(s), warnings not accepted: ${unaccepted[*]:-none}; see $log"
  else
    note_result "lintian" 1 0 "no error, $warnings warning(s), $(grep -c '^[IP]: ' "$log") info/pedantic tag(s)"
  fi
}

# Root with dpkg is needed from here on; elsewhere the checks say so and count as skipped.
canInstall() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "not root"
  elif ! command -v dpkg >/dev/null 2>&1; then
    echo "no dpkg"
  fi
}

# man-db keeps a formatted copy of a page it shows (to this check, or to systemd-analyze, which
# looks up the unit's Documentation=) in its cache. One made by these checks is removed again, so
# that the removal check sees what the package leaves, not what the checks made.
readonly MAN_CAT_PAGE=/var/cache/man/cat1/netcat-chat.1.gz
HAD_CAT_PAGE=0
dropCatPageMadeHere() {
  if [[ $HAD_CAT_PAGE -eq 0 ]]; then rm -f "$MAN_CAT_PAGE"; fi
}

check_install() {
  local log="$LOG_DIR/dpkg-install.out" version problems=()
  [[ -e $MAN_CAT_PAGE ]] && HAD_CAT_PAGE=1
  version=$(packageVersion)
  packagePaths
  echo "=== dpkg -i $DEB"
  # Container images often tell dpkg to leave out man pages; this one is under test.
  if ! dpkg -i --path-include=/usr/share/man/man1/netcat-chat.1.gz "$DEB" >"$log" 2>&1 </dev/null; then
    cat "$log"
    note_result "package-install" 0 1 "dpkg -i failed; see $log"
    return 1
  fi
  local printed
  printed=$(/usr/bin/netcat-chat --version 2>&1 </dev/null)
  [[ $printed == "netcat-chat $version" ]] || problems+=("/usr/bin/netcat-chat --version says '$printed'")
  MANWIDTH=80 man netcat-chat >"$LOG_DIR/man.txt" 2>"$LOG_DIR/man.err" </dev/null
  dropCatPageMadeHere
  if ! grep -q '^NETCAT-CHAT(1)' "$LOG_DIR/man.txt" || ! grep -q '^SYNOPSIS' "$LOG_DIR/man.txt"; then
    problems+=("man netcat-chat shows no page")
  fi
  [[ -s $LOG_DIR/man.err ]] && problems+=("man netcat-chat: $(head -n 1 "$LOG_DIR/man.err")")
  if [[ ${#problems[@]} -eq 0 ]]; then
    note_result "package-install" 1 0 "dpkg -i; --version says $version; man netcat-chat renders"
  else
    note_result "package-install" 0 1 "$(printf '%s; ' "${problems[@]}")"
  fi
}

check_unit() {
  local log="$LOG_DIR/systemd-analyze.out" exposure
  echo "=== systemd-analyze verify /lib/systemd/system/netcat-chat.service"
  systemd-analyze verify /lib/systemd/system/netcat-chat.service >"$log" 2>&1 </dev/null
  local status=$?
  dropCatPageMadeHere
  if [[ $status -eq 0 && ! -s $log ]]; then
    exposure=$(systemd-analyze security --offline=true /lib/systemd/system/netcat-chat.service \
      2>/dev/null </dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]* [A-Z]*\).*/\1/p')
    note_result "systemd-analyze-verify" 1 0 "no complaint; exposure ${exposure:-unknown}"
  else
    cat "$log"
    note_result "systemd-analyze-verify" 0 1 "see $log"
  fi
}

# The unit's ExecStart as written (with an empty $OPTIONS), started by hand: it must listen,
# write a client's message to its log, and shut down cleanly on SIGTERM. With a password file,
# $PASSWORD_OPTION is what the unit's password lines make of it, and the client answers the
# password first.
check_service_command_line() {  # [row-name password-file]
  local row=${1:-service-command-line} password_file=${2:-}
  local unit=/lib/systemd/system/netcat-chat.service command out="$LOG_DIR/$row.out"
  local chat_log=/var/lib/netcat-chat/chat.log had_log=0 pid deadline status problems=()
  # shellcheck disable=SC2016  # $OPTIONS is the unit's text, taken out rather than expanded
  command=$(sed -n 's/^ExecStart=//p' "$unit" | sed 's/ *\$OPTIONS//')
  if [[ -n $password_file ]]; then
    command=${command//\$PASSWORD_OPTION/--password-file=$password_file}
  else
    command=${command//\$PASSWORD_OPTION/}
  fi
  [[ -e $chat_log ]] && had_log=1
  # The e2e runs beside this one in scripts/test.sh listen on 8989 in one test; each side holds
  # this lock (tests/support/port_lock.hpp) while it uses the port, so they take turns.
  local lock
  exec {lock}>"/tmp/netcat-chat-port-$SERVICE_PORT.lock"
  flock -w "$PORT_LOCK_WAIT_S" "$lock" || problems+=("port $SERVICE_PORT's lock was not free for ${PORT_LOCK_WAIT_S}s")
  echo "=== service command line: $command"
  # shellcheck disable=SC2086  # the command line is split into words as systemd splits it
  $command >"$out" 2>&1 </dev/null &
  pid=$!
  deadline=$((SECONDS + SERVICE_DEADLINE_S))
  until grep -q "^Listening on the port :$SERVICE_PORT" "$out" || ((SECONDS > deadline)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q "^Listening on the port :$SERVICE_PORT" "$out"; then
    if exec 3<>"/dev/tcp/127.0.0.1/$SERVICE_PORT"; then
      [[ -n $password_file ]] && head -n 1 "$password_file" >&3
      printf 'package check\nhello from the package check\n' >&3
      until grep -q '\]\[package check\]:hello from the package check$' "$chat_log" 2>/dev/null ||
        ((SECONDS > deadline)); do sleep 0.1; done
      grep -q '\]\[package check\]:hello from the package check$' "$chat_log" 2>/dev/null ||
        problems+=("the message did not reach $chat_log")
      # Leave as a user would, reading until the server closes, so that it logs an ordinary leave.
      printf '/quit\n' >&3
      timeout "$SERVICE_DEADLINE_S" cat <&3 >/dev/null
      exec 3>&-
    else
      problems+=("cannot connect to port $SERVICE_PORT")
    fi
  else
    problems+=("no 'Listening on the port :$SERVICE_PORT': $(head -n 2 "$out" | tr '\n' ' ')")
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  exec {lock}>&-
  [[ $status -eq 0 ]] || problems+=("exit status $status after SIGTERM")
  [[ $had_log -eq 0 ]] && rm -f "$chat_log"
  if [[ ${#problems[@]} -eq 0 ]]; then
    note_result "$row" 1 0 "listened on $SERVICE_PORT, logged a message${password_file:+ after the password}, exit 0 on SIGTERM"
  else
    cat "$out"
    note_result "$row" 0 1 "$(printf '%s; ' "${problems[@]}")"
  fi
}

# The password through systemd's credentials, as the unit's comment says: its drop-in lines pass
# systemd-analyze verify, and the command line those lines make runs with the file where systemd
# would put it (a directory of the service's own, the file readable by its owner alone).
check_service_password() {
  local unit=/lib/systemd/system/netcat-chat.service work log="$LOG_DIR/service-password.out"
  work=$(mktemp -d)
  mkdir -p "$work/units/netcat-chat.service.d" "$work/credentials"
  cp "$unit" "$work/units/"
  sed -n 's/^#   //p' "$unit" >"$work/units/netcat-chat.service.d/password.conf"
  echo "=== the unit's password drop-in:"
  cat "$work/units/netcat-chat.service.d/password.conf"
  if grep -q '^LoadCredential=password:' "$work/units/netcat-chat.service.d/password.conf" &&
    systemd-analyze verify "$work/units/netcat-chat.service" >"$log" 2>&1 </dev/null &&
    [[ ! -s $log ]]; then
    note_result "service-password-drop-in" 1 0 "LoadCredential and PASSWORD_OPTION verify"
  else
    cat "$log"
    note_result "service-password-drop-in" 0 1 "see $log"
  fi
  dropCatPageMadeHere
  printf 'a password from systemd\n' >"$work/credentials/password"
  chmod 0400 "$work/credentials/password"
  check_service_command_line service-password "$work/credentials/password"
  rm -rf "$work"
}

# Everything the package put anywhere, except the chat log's directory, which is the users'.
leftovers() {
  find /etc /usr /var /run -xdev \( -path /var/lib/netcat-chat -o -path /var/lib/private/netcat-chat \) \
    -prune -o -name '*netcat-chat*' -print 2>/dev/null | grep -v '^/var/lib/netcat-chat$'
}

check_remove() {
  local log="$LOG_DIR/dpkg-remove.out" problems=() left why
  why=$(canInstall)
  if [[ -n $why ]]; then
    note_result package-remove 0 0 "skipped: $why"
    return
  fi
  echo "=== dpkg -r netcat-chat; dpkg -P netcat-chat"
  if ! dpkg -r netcat-chat >"$log" 2>&1 </dev/null; then problems+=("dpkg -r failed"); fi
  # After -r only the conffiles and the mask of the unit may stay: dpkg keeps conffiles until purge.
  left=$(leftovers | grep -v -x -e /etc/default/netcat-chat -e /etc/systemd/system/netcat-chat.service \
    -e /etc/fail2ban/filter.d/netcat-chat.conf \
    -e /var/lib/systemd/deb-systemd-helper-masked/netcat-chat.service \
    -e '/var/lib/systemd/deb-systemd-helper-enabled/.*netcat-chat.*' -e '/var/lib/dpkg/info/netcat-chat\..*' \
    -e '/etc/systemd/system/.*\.wants/netcat-chat.service' | tr '\n' ' ')
  [[ -z $left ]] || problems+=("after dpkg -r: $left")
  if ! dpkg -P netcat-chat >>"$log" 2>&1 </dev/null; then problems+=("dpkg -P failed"); fi
  left=$(leftovers | tr '\n' ' ')
  [[ -z $left ]] || problems+=("after dpkg -P: $left")
  if dpkg-query -W netcat-chat >/dev/null 2>&1; then problems+=("dpkg still knows netcat-chat"); fi
  if [[ ${#problems[@]} -eq 0 ]]; then
    note_result "package-remove" 1 0 "dpkg -r and -P leave only /var/lib/netcat-chat"
  else
    cat "$log"
    note_result "package-remove" 0 1 "$(printf '%s; ' "${problems[@]}")"
  fi
}

# Run where the runner's Wine server is up (its wine lane).
check_zip_under_wine() {
  local dir="$LOG_DIR/windows-zip" version printed
  version=$(packageVersion)
  packagePaths
  rm -rf "$dir" && mkdir -p "$dir"
  unzip -q "$ZIP" -d "$dir"
  echo "=== wine $dir/netcat-chat.exe --version"
  timeout -k "$KILL_GRACE_S" "$WINE_VERSION_TIMEOUT_S" wine "$dir/netcat-chat.exe" --version \
    >"$dir/version.out" 2>"$dir/version.err" </dev/null
  printed=$(tr -d '\r' <"$dir/version.out")
  if [[ $printed == "netcat-chat $version" ]]; then
    note_result "zip-exe-under-wine" 1 0 "the zip's netcat-chat.exe --version says $version"
  else
    cat "$dir/version.err"
    note_result "zip-exe-under-wine" 0 1 "--version said '$printed'"
  fi
}

# The stages of the package lane, in this order; e2e-installed (the runner's e2e_installed, the
# tests binary against /usr/bin/netcat-chat) runs between the last two.
package_build() {
  check_package_build
}

package_inspect() {
  check_package_contents
  check_lintian
}

package_install() {
  local why name
  why=$(canInstall)
  if [[ -n $why ]]; then
    echo "=== dpkg -i, systemd-analyze, the service's command line: skipped ($why)"
    for name in package-install systemd-analyze-verify service-command-line \
      service-password-drop-in service-password; do
      note_result "$name" 0 0 "skipped: $why"
    done
  elif check_install; then
    check_unit
    check_service_command_line
    check_service_password
  else
    dpkg -P netcat-chat >/dev/null 2>&1 </dev/null
  fi
}
