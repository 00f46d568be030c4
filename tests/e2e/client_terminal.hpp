// What the suites that drive the --connect client in tmux share: the client started from a shell
// that then shows its exit status and `stty -a`, and the checks of a terminal given back sane.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "support/server_process.hpp"
#include "support/tmux.hpp"

namespace e2e {

// Everything here needs the native client in a terminal, and tmux to provide one.
inline bool skipWithoutTmux() {
  if (TmuxTerminal::available()) return false;
  std::cout << boost::unit_test::framework::current_test_case().full_name()
            << " skipped: tmux is not installed" << std::endl;
  return true;
}

inline std::string rowsShown(TmuxTerminal& terminal) {
  return "\n--- screen ---\n" + terminal.text();
}

// Printed after `stty -a`: its rows are all on the screen once this is.
inline const char* const kSttyDone = "[stty done]";

// A command as a person starts it in a shell; the shell then reports its exit status and runs
// `stty -a`, so a test sees both in the same terminal once the command has ended. The terminal
// stays open after that, so that nothing the shell wrote last is lost.
inline std::vector<std::string> commandInShell(const std::vector<std::string>& command) {
  return thenHoldTheTerminal(shellQuoted(command) + "; echo \"[exit $?]\"; stty -a; echo \"" +
                             kSttyDone + "\"");
}

// The client started that way.
inline std::vector<std::string> clientInShell(std::uint16_t port,
                                              const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--connect", "127.0.0.1", std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  return commandInShell(serverCommand(args));
}

// What `stty -a` shows of a terminal fit for a shell: line editing, echo, signals, newline
// translation both ways.
inline void checkSaneTerminal(TmuxTerminal& terminal) {
  // Waiting for stty's first row would not do: its last rows may not have arrived yet.
  BOOST_REQUIRE_MESSAGE(terminal.waitForText(kSttyDone), "no stty output" << rowsShown(terminal));
  std::string shown = " " + terminal.text() + " ";
  for (char& c : shown) {
    if (c == '\n') c = ' ';
  }
  for (const char* flag : {"icanon", "echo", "isig", "icrnl", "opost", "onlcr", "iexten"}) {
    BOOST_CHECK_MESSAGE(shown.find(std::string(" ") + flag + " ") != std::string::npos &&
                            shown.find(std::string(" -") + flag + " ") == std::string::npos,
                        "stty -a does not show " << flag << " on" << rowsShown(terminal));
  }
}

inline const char* const kNativeOnly =
    "the terminal client is driven natively in tmux; the Windows console is checked apart";

}  // namespace e2e
