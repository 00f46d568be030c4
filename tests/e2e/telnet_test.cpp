// End-to-end checks with a real inetutils telnet in a tmux window: what a telnet user sees.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>

#include "e2e/fixture.hpp"
#include "support/process.hpp"
#include "support/telnet_bytes.hpp"
#include "support/tmux.hpp"

namespace e2e {
namespace {

// A window takes a moment to show what telnet printed; every wait polls up to this long.
constexpr std::int64_t kScreenTimeoutMs = 10000;
constexpr std::int64_t kPollMs = 20;
constexpr std::int64_t kToolTimeoutMs = 10000;

// A program on PATH, or empty.
std::string onPath(const std::string& name) {
  std::istringstream dirs(environmentValue("PATH"));
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    std::error_code ignored;
    if (!dir.empty() && std::filesystem::is_regular_file(candidate, ignored)) {
      return candidate.string();
    }
  }
  return {};
}

struct Run {
  bool ok = false;
  std::string out;
};

Run run(const std::vector<std::string>& argv) {
  std::string error;
  auto process = Process::start(argv, false, error);
  if (!process) return {false, error};
  const auto status = process->waitForExit(kToolTimeoutMs);
  return {status && status->exitedWith(0), process->standardOutput()};
}

// GNU inetutils telnet: it is the one whose Ctrl-C froze the screen (it waits for the answer to
// DO TIMING-MARK); others behave differently.
std::string inetutilsTelnet() {
  const std::string named = onPath("inetutils-telnet");
  if (!named.empty()) return named;
  const std::string telnet = onPath("telnet");
  if (!telnet.empty() && run({telnet, "--version"}).out.find("inetutils") != std::string::npos) {
    return telnet;
  }
  return {};
}

std::string missingTools() {
  if (onPath("tmux").empty()) return "tmux is not installed";
  if (inetutilsTelnet().empty()) return "inetutils telnet is not installed";
  return {};
}

// Skips a case, with a printed reason, where tmux or inetutils telnet is missing.
boost::unit_test::precondition needsTmuxAndTelnet() {
  const std::string suffix = " (both are needed to drive a real telnet)";
  return boost::unit_test::precondition(
      [suffix](boost::unit_test::test_unit_id id) -> boost::test_tools::assertion_result {
        const std::string missing = missingTools();
        if (missing.empty()) return true;
        const std::string reason = missing + suffix;
        // Boost.Test names a skipped case only at a verbose log level; a skip must be seen.
        std::cout << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).full_name()
                  << " skipped: " << reason << std::endl;
        boost::test_tools::assertion_result skip(false);
        skip.message() << reason;
        return skip;
      });
}

// telnet to the server in a detached 100x30 tmux window, on a tmux server of its own so that
// nothing else on the machine is touched; the whole tmux server goes at the end. A shell runs
// telnet, prints its exit status as "[exit N]" and holds the window open, so that telnet's last
// words are not lost with its end.
class TelnetWindow {
 public:
  explicit TelnetWindow(std::uint16_t port) {
    static int count = 0;
    const std::string tag =
        "chatcmd-telnet-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
    socket_ = tag;
    session_ = tag;
    const std::string telnet = shellQuoted({inetutilsTelnet(), "127.0.0.1", std::to_string(port)});
    const Run started = tmux({"new-session", "-d", "-s", session_, "-x", "100", "-y", "30",
                              shellQuoted(thenHoldTheTerminal(telnet + "; echo \"[exit $?]\"")),
                              ";", "set-option", "-t", session_, "remain-on-exit", "on"});
    BOOST_REQUIRE_MESSAGE(started.ok, "tmux did not start telnet: " << started.out);
  }
  ~TelnetWindow() { tmux({"kill-server"}); }
  TelnetWindow(const TelnetWindow&) = delete;
  TelnetWindow& operator=(const TelnetWindow&) = delete;

  // tmux key names: "Enter", "C-c", "C-]", or literal text.
  void keys(const std::vector<std::string>& keys) {
    std::vector<std::string> args = {"send-keys", "-t", session_};
    args.insert(args.end(), keys.begin(), keys.end());
    BOOST_REQUIRE(tmux(args).ok);
  }

  std::string screen() { return tmux({"capture-pane", "-p", "-t", session_}).out; }

  // Polls the window until it shows `text` at least `times` times.
  bool waitFor(const std::string& text, int times = 1) {
    const std::int64_t give_up = net::monotonicMs() + kScreenTimeoutMs;
    do {
      last_ = screen();
      if (count(last_, text) >= times) return true;
      pauseMs(kPollMs);
    } while (net::monotonicMs() < give_up);
    return false;
  }
  // Polls until telnet keeps the terminal in line mode (canonical input, as stty shows it).
  bool waitForLineMode() {
    const std::string tty =
        trimmed(tmux({"display-message", "-p", "-t", session_, "#{pane_tty}"}).out);
    const std::int64_t give_up = net::monotonicMs() + kScreenTimeoutMs;
    do {
      const Run stty = run({"stty", "-F", tty, "-a"});
      if (stty.ok && hasFlag(stty.out, "icanon")) return true;
      pauseMs(kPollMs);
    } while (net::monotonicMs() < give_up);
    return false;
  }
  // Polls until the shell has shown telnet's exit status; everything telnet wrote is above it.
  bool waitForExit(int status) { return waitFor("[exit " + std::to_string(status) + "]"); }
  const std::string& lastScreen() const { return last_; }

 private:
  static std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }
  // `flag` set in `stty -a` output: " icanon", not " -icanon".
  static bool hasFlag(std::string shown, const std::string& flag) {
    for (char& c : shown) {
      if (c == '\n') c = ' ';
    }
    return (" " + shown + " ").find(" " + flag + " ") != std::string::npos;
  }
  static int count(const std::string& haystack, const std::string& needle) {
    int found = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size())) {
      ++found;
    }
    return found;
  }

  Run tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-L", socket_});
    return run(args);
  }

  std::string socket_;
  std::string session_;
  std::string last_;
};

// Names Alice through telnet and waits for her prompt; Bob, already in, sees her join.
void enterAsAlice(ChatServer& server, TelnetWindow& window) {
  BOOST_REQUIRE_MESSAGE(window.waitFor("[ENTER YOUR NAME]:"), window.lastScreen());
  window.keys({"Alice", "Enter"});
  BOOST_REQUIRE_MESSAGE(window.waitFor("][Alice]:"), window.lastScreen());
  CHECK_RECEIVES(server.member("Bob"), joinNoticeTo("Bob", "Alice"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_telnet)

using namespace telnet_bytes;

BOOST_AUTO_TEST_CASE(each_request_gets_its_answer_on_the_wire_and_refusals_get_none) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  const std::pair<std::string, std::string> cases[] = {
      {cmd(kDo, kTimingMark), cmd(kWill, kTimingMark)},
      {cmd(kDo, kEcho), cmd(kWont, kEcho)},
      {cmd(kWill, kNaws), cmd(kDont, kNaws)},
      {cmd(kWont, kEcho) + cmd(kDont, kEcho) + cmd(kDont, kTimingMark), ""},
  };
  for (const auto& [sent, answer] : cases) {
    BOOST_TEST_CONTEXT("sent " << shown(sent)) {
      // The reply to /list right behind shows that nothing else came, and nothing later.
      BOOST_REQUIRE(alice.send(sent + "/list\n"));
      CHECK_RECEIVES(alice, answer + "Online (1): Alice\n" + prompt("Alice"));
    }
  }
}

BOOST_AUTO_TEST_CASE(interrupt_process_on_the_wire_is_a_quit) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  std::unique_ptr<ChatClient> bob = server.release("Bob");
  BOOST_REQUIRE(bob->send(std::string{kIac, kIp} + cmd(kDo, kTimingMark)));
  BOOST_CHECK_EQUAL(shown(bob->readUntilClosed()), shown(cmd(kWill, kTimingMark) + "Goodbye.\n"));
  BOOST_CHECK(bob->peerClosed());
  CHECK_RECEIVES(server.member("Alice"), leaveNoticeTo("Alice", "Bob"));
}

BOOST_AUTO_TEST_CASE(ctrl_c_in_telnet_says_goodbye_and_the_others_see_a_leave,
                     *needsTmuxAndTelnet()) {
  ChatServer server;
  server.join("Bob");
  TelnetWindow window(server.port());
  enterAsAlice(server, window);
  window.keys({"C-c"});
  // telnet shows nothing more until its DO TIMING-MARK is answered: the goodbye proves it was.
  BOOST_CHECK_MESSAGE(window.waitFor("Goodbye."), window.lastScreen());
  CHECK_RECEIVES(server.member("Bob"), leaveNoticeTo("Bob", "Alice"));
  // telnet ends on its own once the server has closed, and says so last, just before it exits:
  // that line is on the screen for certain only once the exit status is.
  BOOST_REQUIRE_MESSAGE(window.waitForExit(0), window.lastScreen());
  BOOST_CHECK_MESSAGE(
      window.lastScreen().find("Connection closed by foreign host.\n[exit 0]") != std::string::npos,
      window.lastScreen());
}

BOOST_AUTO_TEST_CASE(negotiation_started_from_the_telnet_prompt_does_not_freeze_it,
                     *needsTmuxAndTelnet()) {
  ChatServer server;
  server.join("Bob");
  TelnetWindow window(server.port());
  enterAsAlice(server, window);
  // ^] then "toggle options", so that telnet shows its negotiation, then "send ayt", "send ao",
  // and "mode character": DO SUPPRESS-GO-AHEAD and DO ECHO, both refused, so telnet stays in
  // line mode. Until the refusals are in, telnet has the terminal in character mode, where a
  // line typed would leave key by key and end in CR NUL; so nothing is typed before telnet has
  // shown both refusals and put the terminal back in line mode.
  int escapes = 0;
  for (const char* command : {"toggle options", "send ayt", "send ao", "mode character"}) {
    window.keys({"C-]"});
    BOOST_REQUIRE_MESSAGE(window.waitFor("telnet>", ++escapes), window.lastScreen());
    window.keys({command, "Enter"});
  }
  BOOST_REQUIRE_MESSAGE(window.waitFor("RCVD WONT SUPPRESS GO AHEAD"), window.lastScreen());
  BOOST_REQUIRE_MESSAGE(window.waitFor("RCVD WONT ECHO"), window.lastScreen());
  BOOST_REQUIRE_MESSAGE(window.waitForLineMode(), window.lastScreen());
  window.keys({"/rooms", "Enter"});
  BOOST_CHECK_MESSAGE(window.waitFor("Rooms (1): general (2, you are here)"), window.lastScreen());
  window.keys({"still here", "Enter"});
  CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", "still here"));
  server.say("Bob", "and you can read me");
  BOOST_CHECK_MESSAGE(window.waitFor("][Bob]:and you can read me"), window.lastScreen());
  window.keys({"/list", "Enter"});
  BOOST_CHECK_MESSAGE(window.waitFor("Online (2): Bob, Alice"), window.lastScreen());
}

// "send synch" sends IAC DM with the DM as TCP urgent data; the line typed next must still be
// the command it is, not a message with a stray byte in front.
BOOST_AUTO_TEST_CASE(synch_from_the_telnet_prompt_leaves_the_next_line_whole,
                     *needsTmuxAndTelnet()) {
  ChatServer server;
  server.join("Bob");
  TelnetWindow window(server.port());
  enterAsAlice(server, window);
  window.keys({"C-]"});
  BOOST_REQUIRE_MESSAGE(window.waitFor("telnet>"), window.lastScreen());
  window.keys({"send synch", "Enter"});
  window.keys({"/list", "Enter"});
  BOOST_CHECK_MESSAGE(window.waitFor("Online (2): Bob, Alice"), window.lastScreen());
  // Bob's next exchange shows that nothing reached him meanwhile.
  server.say("Bob", "nothing came before this");
  BOOST_CHECK_MESSAGE(window.waitFor("][Bob]:nothing came before this"), window.lastScreen());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
