// End-to-end tests of the --connect client in a real terminal (tmux) against the real server:
// what a person typing sees on the screen, where the cursor is, and what the others receive.
#include <boost/test/unit_test.hpp>
#include <iostream>

#include "e2e/fixture.hpp"
#include "support/tmux.hpp"

namespace e2e {
namespace {

constexpr int kColumns = 100;
constexpr int kRows = 30;
// The width of the prompt `[YYYY-MM-DD HH:MM:SS][Alice]:` on the screen.
constexpr int kAlicePromptWidth = 29;

// Everything here needs the native client in a terminal, and tmux to provide one.
bool skipWithoutTmux() {
  if (TmuxTerminal::available()) return false;
  std::cout << boost::unit_test::framework::current_test_case().full_name()
            << " skipped: tmux is not installed" << std::endl;
  return true;
}

std::string rowsShown(TmuxTerminal& terminal) { return "\n--- screen ---\n" + terminal.text(); }

// Printed after `stty -a`: its rows are all on the screen once this is.
const char* const kSttyDone = "[stty done]";

// The client as a person starts it in a shell; the shell then reports its exit status and runs
// `stty -a`, so a test sees both in the same terminal once the client has ended. The terminal
// stays open after that, so that nothing the shell wrote last is lost.
std::vector<std::string> clientInShell(std::uint16_t port,
                                       const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--connect", "127.0.0.1", std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  return thenHoldTheTerminal(shellQuoted(serverCommand(args)) +
                             "; echo \"[exit $?]\"; stty -a; echo \"" + kSttyDone + "\"");
}

// A client in tmux that has joined as `name`, next to a server with flood control off (these
// tests send many lines quickly on purpose).
struct Session {
  explicit Session(const std::string& name = "Alice", int columns = kColumns)
      : server({"--rate", "0"}),
        bob(server.join("Bob")),
        terminal(clientInShell(server.port()), columns, kRows) {
    BOOST_REQUIRE_MESSAGE(terminal.started(), "tmux did not start");
    BOOST_REQUIRE_MESSAGE(terminal.waitForText("[ENTER YOUR NAME]:"),
                          "no name prompt" << rowsShown(terminal));
    terminal.type(name);
    terminal.keys({"Enter"});
    BOOST_REQUIRE_MESSAGE(waitForInputRow(""), "no chat prompt" << rowsShown(terminal));
    REQUIRE_RECEIVES(bob, joinNoticeTo("Bob", name));
    me = name;
  }

  // The input row as a test compares it: the timestamp masked.
  std::string inputRow() { return maskTimestamps(terminal.cursorRow()); }
  // capture-pane drops the spaces at the end of a row, so a typed line is compared without them.
  bool inputRowIs(std::string typed) {
    while (!typed.empty() && typed.back() == ' ') typed.pop_back();
    return inputRow() == prompt(me) + typed;
  }
  bool waitForInputRow(const std::string& typed) {
    return terminal.waitFor([&](TmuxTerminal&) {
      return maskTimestamps(terminal.cursorRow()) == prompt(me.empty() ? "Alice" : me) + typed;
    });
  }
  // Waits until the input row shows `typed` and the cursor stands at `column`.
  void expectInput(const std::string& typed, int column) {
    const bool shown = terminal.waitFor(
        [&](TmuxTerminal& t) { return inputRowIs(typed) && t.cursor().x == column; });
    BOOST_CHECK_MESSAGE(shown, "expected input '" << typed << "' with the cursor at " << column
                                                  << ", cursor at " << terminal.cursor().x
                                                  << rowsShown(terminal));
  }
  bool waitForExit(int expected) {
    return terminal.waitForText("[exit " + std::to_string(expected) + "]");
  }

  ChatServer server;
  ChatClient& bob;
  TmuxTerminal terminal;
  std::string me;
};

int countRowsContaining(TmuxTerminal& terminal, const std::string& needle) {
  int count = 0;
  for (const std::string& row : terminal.rows()) {
    if (row.find(needle) != std::string::npos) ++count;
  }
  return count;
}

// What `stty -a` shows of a terminal fit for a shell: line editing, echo, signals, newline
// translation both ways.
void checkSaneTerminal(TmuxTerminal& terminal) {
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

const char* const kNativeOnly =
    "the terminal client is driven natively in tmux; the Windows console is checked apart";

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_client_terminal)

BOOST_AUTO_TEST_CASE(a_half_typed_line_survives_incoming_messages, *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  s.terminal.type("half typed");
  s.expectInput("half typed", kAlicePromptWidth + 10);
  s.terminal.keys({"Left", "Left", "Left"});
  s.expectInput("half typed", kAlicePromptWidth + 7);
  for (const char* text : {"first message", "second message", "third message"}) {
    BOOST_REQUIRE(s.bob.send(std::string(text) + "\n"));
    REQUIRE_RECEIVES(s.bob, prompt("Bob"));
  }
  BOOST_CHECK_MESSAGE(s.terminal.waitForText("][Bob]:third message"), rowsShown(s.terminal));
  s.expectInput("half typed", kAlicePromptWidth + 7);
  // The messages sit right above the input row, one row each, with no empty prompts between;
  // the input row is the last row of the screen.
  const Cursor at = s.terminal.cursor();
  BOOST_CHECK_EQUAL(at.y, kRows - 1);
  const std::vector<std::string> rows = s.terminal.rows();
  BOOST_REQUIRE(at.y >= 3);
  BOOST_CHECK_EQUAL(maskTimestamps(rows[at.y - 3]), prompt("Bob") + "first message");
  BOOST_CHECK_EQUAL(maskTimestamps(rows[at.y - 2]), prompt("Bob") + "second message");
  BOOST_CHECK_EQUAL(maskTimestamps(rows[at.y - 1]), prompt("Bob") + "third message");
  s.terminal.keys({"End", "Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "half typed"));
  // The sent line stays on screen as prompt and text, and the next prompt is below it.
  BOOST_CHECK(s.waitForInputRow(""));
  const std::vector<std::string> after = s.terminal.rows();
  BOOST_CHECK_EQUAL(maskTimestamps(after[s.terminal.cursor().y - 1]),
                    prompt("Alice") + "half typed");
}

BOOST_AUTO_TEST_CASE(the_screen_shows_messages_not_rows_of_empty_prompts,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  s.terminal.keys({"Enter", "Enter"});  // empty lines: the server only sends fresh prompts
  for (int i = 0; i < 5; ++i) {
    BOOST_REQUIRE(s.bob.send("note " + std::to_string(i) + "\n"));
    REQUIRE_RECEIVES(s.bob, prompt("Bob"));
  }
  BOOST_REQUIRE_MESSAGE(s.terminal.waitForText("][Bob]:note 4"), rowsShown(s.terminal));
  BOOST_CHECK(s.waitForInputRow(""));
  BOOST_CHECK_EQUAL(countRowsContaining(s.terminal, "][Alice]:"), 1);
}

BOOST_AUTO_TEST_CASE(editing_keys_change_the_line_as_a_shell_would,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  const int p = kAlicePromptWidth;
  s.terminal.type("wrld");
  s.terminal.keys({"Left", "Left", "Left"});
  s.terminal.type("o");
  s.expectInput("world", p + 2);
  s.terminal.keys({"Home"});
  s.terminal.type("hello ");
  s.expectInput("hello world", p + 6);
  s.terminal.keys({"End"});
  s.terminal.type(" again");
  s.expectInput("hello world again", p + 17);
  s.terminal.keys({"C-w"});
  s.expectInput("hello world ", p + 12);
  s.terminal.keys({"BSpace"});
  s.expectInput("hello world", p + 11);
  s.terminal.keys({"C-a", "Right", "Right", "Right", "Right", "Right", "C-k"});
  s.expectInput("hello", p + 5);
  s.terminal.keys({"C-a", "DC"});
  s.expectInput("ello", p);
  s.terminal.keys({"C-e"});
  s.terminal.type("!");
  s.expectInput("ello!", p + 5);
  s.terminal.keys({"Left", "C-u"});
  s.expectInput("!", p);
  s.terminal.keys({"C-h", "End", "C-h"});
  s.expectInput("", p);
  s.terminal.type("sent");
  s.terminal.keys({"C-l"});
  s.expectInput("sent", p + 4);
  s.terminal.keys({"Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "sent"));
}

BOOST_AUTO_TEST_CASE(utf8_and_wide_characters_put_the_cursor_where_they_end,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  const int p = kAlicePromptWidth;
  // a (1), 日 (2), 本 (2), 😀 (2), é (1)
  s.terminal.type("a\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80\xc3\xa9");
  s.expectInput("a\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80\xc3\xa9", p + 8);
  s.terminal.keys({"Left", "Left"});
  s.expectInput("a\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80\xc3\xa9", p + 5);
  s.terminal.keys({"BSpace"});
  s.expectInput("a\xe6\x97\xa5\xf0\x9f\x98\x80\xc3\xa9", p + 3);
  s.terminal.keys({"Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "a\xe6\x97\xa5\xf0\x9f\x98\x80\xc3\xa9"));
  BOOST_REQUIRE(
      s.bob.send("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xe4\xb8\x96\xe7\x95\x8c\n"));
  CHECK_RECEIVES(s.bob, prompt("Bob"));
  BOOST_CHECK_MESSAGE(
      s.terminal.waitForText(
          "][Bob]:\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xe4\xb8\x96\xe7\x95\x8c"),
      rowsShown(s.terminal));
}

BOOST_AUTO_TEST_CASE(up_and_down_replay_this_sessions_lines, *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  const int p = kAlicePromptWidth;
  s.terminal.type("first");
  s.terminal.keys({"Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "first"));
  s.terminal.type("second");
  s.terminal.keys({"Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "second"));
  BOOST_REQUIRE(s.waitForInputRow(""));
  s.terminal.type("draft");
  s.terminal.keys({"Up"});
  s.expectInput("second", p + 6);
  s.terminal.keys({"Up"});
  s.expectInput("first", p + 5);
  s.terminal.keys({"Down"});
  s.expectInput("second", p + 6);
  s.terminal.keys({"Down"});
  s.expectInput("draft", p + 5);
  s.terminal.keys({"Up", "Up", "Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", "first"));
}

BOOST_AUTO_TEST_CASE(a_flood_of_300_lines_never_breaks_the_line_being_typed,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  constexpr int kFlood = 300;
  Session s;
  s.terminal.type("typing along");
  s.expectInput("typing along", kAlicePromptWidth + 12);
  std::string flood;
  for (int i = 0; i < kFlood; ++i) flood += "flood line " + std::to_string(i) + "\n";
  BOOST_REQUIRE(s.bob.send(flood));
  s.terminal.type(" and more");
  BOOST_REQUIRE_MESSAGE(s.terminal.waitForText("][Bob]:flood line 299"), rowsShown(s.terminal));
  s.expectInput("typing along and more", kAlicePromptWidth + 21);
  // Every row above the input row is one flood line, in order, none broken by the prompt.
  const Cursor at = s.terminal.cursor();
  const std::vector<std::string> rows = s.terminal.rows();
  for (int back = 1; back <= at.y; ++back) {
    BOOST_CHECK_EQUAL(maskTimestamps(rows[at.y - back]),
                      prompt("Bob") + "flood line " + std::to_string(kFlood - back));
  }
  s.terminal.keys({"Enter"});
  const std::string bob_got = s.bob.readUntil("][Alice]:typing along and more\n");
  BOOST_CHECK(bob_got.find("][Alice]:typing along and more\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_line_wider_than_the_screen_keeps_the_cursor_in_view_when_resized,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  std::string text;
  for (int i = 0; i < 80; ++i) text += static_cast<char>('a' + i % 26);
  s.terminal.type(text);
  // 29 + 80 columns do not fit in 100: the row shows the end, the cursor in the last column.
  auto showsEndAt = [&](int columns) {
    return s.terminal.waitFor([&](TmuxTerminal& t) {
      const std::string row = t.cursorRow();
      const Cursor at = t.cursor();
      const std::size_t tail = std::min(text.size(), static_cast<std::size_t>(columns - 1));
      return at.x == columns - 1 && static_cast<int>(row.size()) == columns - 1 &&
             row.compare(row.size() - tail, tail, text, text.size() - tail, tail) == 0;
    });
  };
  BOOST_CHECK_MESSAGE(showsEndAt(kColumns), rowsShown(s.terminal));
  s.terminal.keys({"Home"});
  s.expectInput(text.substr(0, kColumns - 1 - kAlicePromptWidth), kAlicePromptWidth);
  s.terminal.keys({"End"});
  BOOST_REQUIRE(s.terminal.resize(60, kRows));
  BOOST_CHECK_MESSAGE(showsEndAt(60), rowsShown(s.terminal));
  BOOST_REQUIRE(s.terminal.resize(120, kRows));
  s.expectInput(text, kAlicePromptWidth + 80);
  s.terminal.keys({"Enter"});
  CHECK_RECEIVES(s.bob, messageTo("Bob", "Alice", text));
}

BOOST_AUTO_TEST_CASE(ctrl_c_leaves_cleanly_and_the_terminal_is_sane_afterwards,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  s.terminal.type("never sent");
  s.expectInput("never sent", kAlicePromptWidth + 10);
  s.terminal.keys({"C-c"});
  BOOST_CHECK_MESSAGE(s.waitForExit(0), rowsShown(s.terminal));
  CHECK_RECEIVES(s.bob, leaveNoticeTo("Bob", "Alice"));
  checkSaneTerminal(s.terminal);
}

BOOST_AUTO_TEST_CASE(ctrl_d_on_an_empty_line_leaves, *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  s.terminal.type("x");
  s.terminal.keys({"C-d"});  // not empty: nothing happens
  s.expectInput("x", kAlicePromptWidth + 1);
  s.terminal.keys({"BSpace", "C-d"});
  BOOST_CHECK_MESSAGE(s.waitForExit(0), rowsShown(s.terminal));
  CHECK_RECEIVES(s.bob, leaveNoticeTo("Bob", "Alice"));
  checkSaneTerminal(s.terminal);
}

BOOST_AUTO_TEST_CASE(the_server_shutting_down_ends_the_client_with_status_0,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  Session s;
  s.terminal.type("half");
  s.expectInput("half", kAlicePromptWidth + 4);
  const ExitStatus server_status = s.server.stop();
  BOOST_CHECK(server_status.exitedWith(0));
  BOOST_CHECK_MESSAGE(s.waitForExit(0), rowsShown(s.terminal));
  const std::string shown = s.terminal.text();
  BOOST_CHECK(shown.find("Server is shutting down.\nConnection closed by the server.\n[exit 0]") !=
              std::string::npos);
  checkSaneTerminal(s.terminal);
}

BOOST_AUTO_TEST_CASE(sigterm_and_sighup_leave_cleanly_and_restore_the_terminal,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutTmux()) return;
  for (const PaneSignal which : {PaneSignal::Terminate, PaneSignal::HangUp}) {
    Session s;
    s.terminal.type("typed");
    s.expectInput("typed", kAlicePromptWidth + 5);
    BOOST_REQUIRE(s.terminal.signalCommand(which));
    BOOST_CHECK_MESSAGE(s.waitForExit(0), rowsShown(s.terminal));
    CHECK_RECEIVES(s.bob, leaveNoticeTo("Bob", "Alice"));
    checkSaneTerminal(s.terminal);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
