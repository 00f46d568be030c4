# Shared by the scripts: find missing tools and install them on Debian/Ubuntu, or say what to install.
# shellcheck shell=bash
# Source it; it defines functions only.

# Each argument is PROBE=PACKAGE: a command name, or an absolute path that must exist.
# As root with apt-get, installs what is missing; otherwise prints the packages and exits 1.
ensure_packages() {
  local missing=() pair probe package
  for pair in "$@"; do
    probe=${pair%%=*}
    package=${pair#*=}
    if ! probe_present "$probe" && [[ " ${missing[*]} " != *" $package "* ]]; then
      missing+=("$package")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing tools. Install these packages (Debian/Ubuntu names) and try again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  apt_install "${missing[@]}"
  for pair in "$@"; do
    probe=${pair%%=*}
    if ! probe_present "$probe"; then
      echo "Still missing after installing ${pair#*=}: $probe" >&2
      exit 1
    fi
  done
}

probe_present() {
  if [[ $1 == /* ]]; then [[ -e $1 ]]; else command -v "$1" >/dev/null 2>&1; fi
}

# The package lists are fetched at most once per script run: they are slow and rarely stale.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z ${NETCAT_CHAT_APT_UPDATED:-} ]]; then
    echo "Updating package lists..." >&2
    apt-get update -qq </dev/null >&2 || return 1
    NETCAT_CHAT_APT_UPDATED=1
  fi
  echo "Installing: $*" >&2
  # Recommends would pull in a desktop's worth of packages for Wine and nothing we need.
  apt-get install -y -qq --no-install-recommends "$@" </dev/null >&2
}

# premake's name for the machine we build on.
host_os() {
  case "$(uname -s)" in
    Darwin) echo macosx ;;
    MINGW* | MSYS* | CYGWIN*) echo windows ;;
    *) echo linux ;;
  esac
}
