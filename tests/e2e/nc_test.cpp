// End-to-end checks with real command-line clients: netcat-openbsd, ncat and telnet.
#include <unistd.h>

#include "e2e/fixture.hpp"
#include "support/process.hpp"
#include "support/tmux.hpp"

namespace e2e {
namespace {

constexpr std::int64_t kPollIntervalMs = 10;

bool installed(const char* path) { return ::access(path, X_OK) == 0; }

// Waits until the client's stdout, timestamps masked, ends with `tail`; returns that stdout.
std::string waitForOutputEnding(Process& client, const std::string& tail) {
  const std::int64_t deadline = net::monotonicMs() + kReadTimeoutMs;
  std::string out;
  for (;;) {
    out = maskTimestamps(client.standardOutput());
    const bool done =
        out.size() >= tail.size() && out.compare(out.size() - tail.size(), tail.size(), tail) == 0;
    if (done || net::monotonicMs() >= deadline) return out;
    pauseMs(kPollIntervalMs);
  }
}

// Drives one command-line client as Alice through a whole session with Bob, checking every byte
// it prints. `command` gets the port appended; `preamble` is what the tool prints before the
// server's bytes.
void chatThrough(std::vector<std::string> command, const std::string& preamble) {
  ChatServer server;
  command.push_back(std::to_string(server.port()));
  std::string error;
  auto alice = Process::start(command, true, error);
  BOOST_REQUIRE_MESSAGE(alice, error);
  std::string expected = preamble + kBanner;
  BOOST_REQUIRE_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  BOOST_REQUIRE(alice->writeStdin("Alice\n"));
  expected += prompt("Alice");
  BOOST_REQUIRE_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  ChatClient& bob = server.join("Bob");
  expected += joinNoticeTo("Alice", "Bob");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  server.say("Bob", "hello from a socket");
  expected += messageTo("Alice", "Bob", "hello from a socket");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  BOOST_REQUIRE(alice->writeStdin("hello from a terminal\n"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "hello from a terminal"));
  expected += prompt("Alice");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  // End of input makes the tool close its side: the server sees Alice leave and closes too.
  alice->closeStdin();
  CHECK_RECEIVES(bob, leaveNoticeTo("Bob", "Alice"));
  const auto status = alice->waitForExit(kReadTimeoutMs);
  BOOST_CHECK_MESSAGE(status, "the client did not exit after the server closed the connection");
  server.say("Bob", "alone now");
}

// Types `keys` one key at a time, as a person does: a tmux key name ("BSpace", "C-u", "Enter")
// or one character.
void typeOneByOne(TmuxTerminal& terminal, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const bool named = key.size() > 1;
    BOOST_REQUIRE(named ? terminal.keys({key}) : terminal.type(key));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_nc)

BOOST_AUTO_TEST_CASE(netcat_openbsd_client_joins_chats_and_leaves) {
  if (!installed("/bin/nc.openbsd")) {
    BOOST_TEST_MESSAGE("skipped: netcat-openbsd is not installed");
    return;
  }
  // -N: shut down the sending side at end of input, as Ctrl-D in a terminal would.
  chatThrough({"/bin/nc.openbsd", "-N", "127.0.0.1"}, "");
}

BOOST_AUTO_TEST_CASE(ncat_client_joins_chats_and_leaves) {
  if (!installed("/usr/bin/ncat")) {
    BOOST_TEST_MESSAGE("skipped: ncat is not installed");
    return;
  }
  chatThrough({"/usr/bin/ncat", "127.0.0.1"}, "");
}

BOOST_AUTO_TEST_CASE(telnet_client_joins_chats_and_leaves) {
  if (!installed("/usr/bin/telnet")) {
    BOOST_TEST_MESSAGE("skipped: telnet is not installed");
    return;
  }
  // telnet sends each line with CRLF and prints its own greeting first.
  chatThrough({"/usr/bin/telnet", "127.0.0.1"},
              "Trying 127.0.0.1...\nConnected to 127.0.0.1.\nEscape character is '^]'.\n");
}

// A terminal out of canonical mode hands every key to nc as it is typed, Backspace as DEL and
// Ctrl-U and Ctrl-W as themselves: the server applies them as the terminal would have.
BOOST_AUTO_TEST_CASE(keys_typed_in_a_terminal_without_line_editing_arrive_applied) {
  if (!installed("/bin/nc.openbsd") || !TmuxTerminal::available()) {
    BOOST_TEST_MESSAGE("skipped: netcat-openbsd and tmux are both needed");
    return;
  }
  ChatServer server;
  ChatClient& bob = server.join("Bob");
  TmuxTerminal terminal(
      {"sh", "-c",
       "stty -icanon && exec /bin/nc.openbsd 127.0.0.1 " + std::to_string(server.port())},
      100, 30);
  BOOST_REQUIRE(terminal.started());
  BOOST_REQUIRE_MESSAGE(terminal.waitForText("[ENTER YOUR NAME]:"), terminal.text());
  typeOneByOne(terminal, {"A", "l", "x", "BSpace", "i", "c", "e", "Enter"});
  CHECK_RECEIVES(bob, joinNoticeTo("Bob", "Alice"));
  typeOneByOne(terminal, {"H", "e", "y", "BSpace", "l", "l", "o", "Enter"});
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "Hello"));
  typeOneByOne(terminal,
               {"n", "o", "C-u", "o", "k", " ", "n", "o", "w", "C-w", "y", "e", "s", "Enter"});
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "ok yes"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
