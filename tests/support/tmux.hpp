// A real terminal for end-to-end tests of the client: a detached tmux session of a fixed size,
// driven with send-keys and read with capture-pane (POSIX only: tmux_posix.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace e2e {

// Generous: the client redraws in well under a millisecond, but the machine may be loaded.
inline constexpr std::int64_t kScreenTimeoutMs = 10000;

struct Cursor {
  int x = -1;
  int y = -1;
  bool operator==(const Cursor& other) const { return x == other.x && y == other.y; }
};

enum class PaneSignal { Terminate, HangUp };

class TmuxTerminal {
 public:
  // True when a tmux program can be run here; tests skip with a reason otherwise.
  static bool available();

  // Runs `command` (argv words; run through sh, each word quoted) in a new detached session of
  // `columns` x `rows` on a tmux server of its own. The pane stays after the command ends.
  TmuxTerminal(const std::vector<std::string>& command, int columns, int rows);
  ~TmuxTerminal();  // ends the tmux server and everything in it
  TmuxTerminal(const TmuxTerminal&) = delete;
  TmuxTerminal& operator=(const TmuxTerminal&) = delete;

  bool started() const { return started_; }
  // tmux key names: "Enter", "Left", "C-c", "BSpace", ...
  bool keys(const std::vector<std::string>& names);
  // Text typed as it is (send-keys -l), UTF-8 included.
  bool type(const std::string& text);
  bool resize(int columns, int rows);

  // The visible rows, trailing spaces removed.
  std::vector<std::string> rows();
  Cursor cursor();
  // The row the cursor is on.
  std::string cursorRow();
  // The whole pane as text, for failure messages.
  std::string text();
  // The pane with all the rows scrolled off its top before it, oldest first.
  std::string textWithScrollback();
  // Polls until `done` holds for the screen (rows) or the timeout passes; returns whether it
  // did. Failing tests print the last screen.
  bool waitFor(const std::function<bool(TmuxTerminal&)>& done,
               std::int64_t timeout_ms = kScreenTimeoutMs);
  bool waitForText(const std::string& needle, std::int64_t timeout_ms = kScreenTimeoutMs);
  // Sends `which` to the process that the pane's command (a shell) is running now.
  bool signalCommand(PaneSignal which);

 private:
  // Runs tmux with `args` on this terminal's server; returns its standard output and sets `ok`
  // when it succeeded.
  std::string run(const std::vector<std::string>& args, bool& ok);

  std::string socket_name_;
  std::string config_path_;
  std::string socket_path_;
  bool started_ = false;
};

// A command for sh: each word in single quotes.
std::string shellQuoted(const std::vector<std::string>& words);

// The pane command that runs `commands` (a line for sh) and then keeps the terminal open, so
// that what they wrote last is on the screen for certain. tmux closes a pane's terminal as soon as
// it reaps the pane's process, and whatever that process wrote which tmux had not read yet is
// dropped (remain-on-exit keeps the screen, not the unread bytes); a loaded machine makes that
// window wide. A test therefore waits for a marker the commands print last, such as
// `echo "[exit $?]"`: the terminal keeps order, so all that came before it is shown too.
// SIGINT is trapped, so that a Ctrl-C meant for the command (telnet turns it into a telnet
// command) does not end the shell as well; the command itself gets SIGINT's default back.
std::vector<std::string> thenHoldTheTerminal(const std::string& commands);

}  // namespace e2e
