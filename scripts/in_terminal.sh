#!/usr/bin/env bash
# Runs a command with a terminal as its standard input, which a console program under Wine needs
# to get a working console: in a detached tmux session of a fixed size, on a tmux server of its own.
# The command's output goes to files, then to this script's stdout and stderr.
# Usage: scripts/in_terminal.sh COMMAND [ARGS...]; exits with the command's status.
set -uo pipefail

# The size the console tests expect to find; any size works for them.
readonly COLUMNS_OF_TERMINAL=100
readonly ROWS_OF_TERMINAL=30
# How often the end of the command is looked for; the caller bounds the whole run.
readonly POLL_S=0.2
# A tmux session that vanished without a status file still gets this to write it.
readonly LAST_LOOK_S=1

[[ $# -gt 0 ]] || {
  sed -n '2,5s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

dir=$(mktemp -d)
server="netcat-chat-terminal-$$"
cleanup() {
  tmux -L "$server" kill-server >/dev/null 2>&1
  # tmux leaves its socket behind when the last session has ended by itself.
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$server"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

command_line=$(printf '%q ' "$@")
# Standard input stays the terminal; output goes to files, never to the pane.
tmux -L "$server" new-session -d -c "$PWD" -x "$COLUMNS_OF_TERMINAL" -y "$ROWS_OF_TERMINAL" \
  "$command_line >'$dir/out' 2>'$dir/err'; echo \$? >'$dir/status.tmp'; mv '$dir/status.tmp' '$dir/status'" \
  </dev/null >/dev/null 2>&1 || {
  echo "in_terminal.sh: cannot start tmux" >&2
  exit 1
}
while [[ ! -f $dir/status ]] && tmux -L "$server" has-session >/dev/null 2>&1; do
  sleep "$POLL_S"
done
[[ -f $dir/status ]] || sleep "$LAST_LOOK_S"

cat "$dir/out" 2>/dev/null
cat "$dir/err" >&2 2>/dev/null
if [[ -f $dir/status ]]; then
  exit "$(cat "$dir/status")"
fi
echo "in_terminal.sh: the tmux session ended before the command did" >&2
exit 1
