// End-to-end tests of the --connect client at a chat with a password (docs/ACCESS.md): typed unseen
// in a real terminal (tmux), or answered from --password-file, and again after a server restart;
// piped, as nc.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "chat/protocol.hpp"
#include "e2e/client_terminal.hpp"
#include "e2e/fixture.hpp"
#include "e2e/restarting_server.hpp"
#include "e2e/temp_log.hpp"
#include "support/process.hpp"
#include "support/tmux.hpp"

namespace e2e {
namespace {

constexpr int kColumns = 100;
constexpr int kRows = 30;
const std::string kPassword = "correct horse battery";
const std::string kPasswordPromptShown = "[ENTER THE PASSWORD]:";  // capture-pane drops the space

// A file of the test's own holding `first_line` and a line end, readable by its owner only (the
// server refuses a password file that every user may read), or by everyone: a client's copy may
// be, since only its owner runs it.
struct PasswordFile {
  explicit PasswordFile(const std::string& first_line, bool everyone_may_read = false)
      : everyone_may_read_(everyone_may_read) {
    write(first_line);
  }
  void write(const std::string& first_line) {
    {
      std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
      out << first_line << "\n";
    }
    namespace fs = std::filesystem;
    fs::perms mode = fs::perms::owner_read | fs::perms::owner_write;
    if (everyone_may_read_) mode |= fs::perms::group_read | fs::perms::others_read;
    fs::permissions(file.path, mode);
  }
  const std::string& path() const { return file.path; }

  TempLog file;

 private:
  bool everyone_may_read_;
};

// A server with a password that can be stopped and started again on the same port.
class PasswordServer {
 public:
  PasswordServer() : password_(kPassword), server_({"--password-file", password_.path()}) {}

  std::uint16_t port() const { return server_.port(); }
  PasswordFile& passwordFile() { return password_; }
  void stop() { server_.stop(); }
  void start() { server_.start(); }

 private:
  PasswordFile password_;  // before the server, which reads it as it starts
  RestartingServer server_;
};

// An nc user of the chat, past the password and the name prompts.
std::unique_ptr<ChatClient> member(std::uint16_t port, const std::string& name) {
  auto client = std::make_unique<ChatClient>();
  BOOST_REQUIRE(client->connect("127.0.0.1", port));
  const std::string asked = client->readUntil(chat::protocol::kPasswordPrompt);
  BOOST_REQUIRE_MESSAGE(asked.find(chat::protocol::kPasswordPrompt) != std::string::npos,
                        "no password prompt: " << shown(asked));
  BOOST_REQUIRE(client->send(kPassword + "\n"));
  const std::string named = client->readUntil(chat::protocol::kNamePrompt);
  BOOST_REQUIRE_MESSAGE(named == chat::protocol::kNamePrompt,
                        "after the password: " << shown(named));
  const std::string joined = client->join(name);
  BOOST_REQUIRE_MESSAGE(joined.find("][" + name + "]:") != std::string::npos,
                        name << " did not join: " << shown(joined));
  return client;
}

// Alice's client in tmux, started with `extra` options.
struct Typist {
  Typist(std::uint16_t port, const std::vector<std::string>& extra = {})
      : terminal(clientInShell(port, extra), kColumns, kRows) {
    BOOST_REQUIRE_MESSAGE(terminal.started(), "tmux did not start");
  }

  // Types the name at the name prompt and waits to be in the chat.
  void join() {
    BOOST_REQUIRE_MESSAGE(terminal.waitForText("[ENTER YOUR NAME]:"),
                          "no name prompt" << rowsShown(terminal));
    terminal.type("Alice");
    terminal.keys({"Enter"});
    BOOST_REQUIRE_MESSAGE(waitForInput(""), "no chat prompt" << rowsShown(terminal));
  }
  bool waitForInput(const std::string& typed) {
    return terminal.waitFor(
        [&](TmuxTerminal& t) { return maskTimestamps(t.cursorRow()) == prompt("Alice") + typed; });
  }
  int timesShown(const std::string& needle) {
    const std::string all = terminal.textWithScrollback();
    int count = 0;
    for (std::size_t at = all.find(needle); at != std::string::npos;
         at = all.find(needle, at + needle.size())) {
      ++count;
    }
    return count;
  }
  // Says something and checks that `listener` (named `listener_name`) hears it.
  void say(const std::string& text, ChatClient& listener, const std::string& listener_name) {
    terminal.type(text);
    terminal.keys({"Enter"});
    const std::string heard = listener.readUntil("][Alice]:" + text + "\n");
    BOOST_CHECK_MESSAGE(heard.find("][Alice]:" + text + "\n") != std::string::npos,
                        listener_name << " got " << shown(heard) << rowsShown(terminal));
  }

  TmuxTerminal terminal;
};

// Asks with /list until Alice is among those online; false after the timeout.
bool aliceIsOnline(ChatClient& asker, const std::string& asker_name) {
  constexpr std::int64_t kPollMs = 50;
  const std::int64_t deadline = net::monotonicMs() + kScreenTimeoutMs;
  while (net::monotonicMs() < deadline) {
    if (!asker.send("/list\n")) return false;
    const std::string reply = asker.readUntil("][" + asker_name + "]:");
    const std::size_t list = reply.find("Online (");
    if (list != std::string::npos && reply.find("Alice", list) != std::string::npos) return true;
    pauseMs(kPollMs);
  }
  return false;
}

bool skipUnlessNative() { return skipWithoutTmux() || serverRunsUnderRunner(); }

std::unique_ptr<Process> startPiped(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--connect"};
  full.insert(full.end(), args.begin(), args.end());
  std::string error;
  auto client = Process::start(serverCommand(full), true, error);
  BOOST_REQUIRE_MESSAGE(client, "client did not start: " << error);
  return client;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_client_password)

BOOST_AUTO_TEST_CASE(a_typed_password_never_shows_and_answers_again_after_a_restart,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  PasswordServer server;
  Typist alice(server.port());
  BOOST_REQUIRE_MESSAGE(alice.terminal.waitForText(kPasswordPromptShown),
                        rowsShown(alice.terminal));
  alice.terminal.type(kPassword);
  // Nothing of it shows, not even as many stars: the cursor stays right after the prompt.
  const bool unseen = alice.terminal.waitFor([](TmuxTerminal& t) {
    return t.cursorRow() == kPasswordPromptShown &&
           t.cursor().x == static_cast<int>(chat::protocol::kPasswordPrompt.size());
  });
  BOOST_CHECK_MESSAGE(unseen,
                      "cursor at " << alice.terminal.cursor().x << rowsShown(alice.terminal));
  alice.terminal.keys({"Enter"});
  alice.join();
  auto bob = member(server.port(), "Bob");
  alice.say("hello Bob", *bob, "Bob");
  // Up walks back through the message and the name, never to the password.
  alice.terminal.keys({"Up", "Up", "Up"});
  BOOST_CHECK_MESSAGE(alice.waitForInput("Alice"), rowsShown(alice.terminal));
  alice.terminal.keys({"C-u"});
  BOOST_REQUIRE(alice.waitForInput(""));

  server.stop();
  alice.terminal.waitForText("Reconnecting to ");
  bob.reset();
  server.start();
  auto carol = member(server.port(), "Carol");
  BOOST_REQUIRE_MESSAGE(aliceIsOnline(*carol, "Carol"),
                        "Alice did not come back" << rowsShown(alice.terminal));
  BOOST_CHECK(alice.waitForInput(""));
  alice.say("back without being asked", *carol, "Carol");
  const std::string all = alice.terminal.textWithScrollback();
  BOOST_CHECK_MESSAGE(all.find(kPassword) == std::string::npos, "the password shows:\n" << all);
  BOOST_CHECK_MESSAGE(alice.timesShown(kPasswordPromptShown) == 1, "asked again:\n" << all);
  BOOST_CHECK_EQUAL(alice.timesShown("Welcome to TCP-Chat!"), 1);
}

BOOST_AUTO_TEST_CASE(a_password_file_joins_without_typing_and_again_after_a_restart,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  PasswordServer server;
  const PasswordFile copy(kPassword, true);
  Typist alice(server.port(), {"--password-file", copy.path()});
  alice.join();
  auto bob = member(server.port(), "Bob");
  alice.say("joined without typing it", *bob, "Bob");
  server.stop();
  alice.terminal.waitForText("Reconnecting to ");
  bob.reset();
  server.start();
  auto carol = member(server.port(), "Carol");
  BOOST_REQUIRE_MESSAGE(aliceIsOnline(*carol, "Carol"),
                        "Alice did not come back" << rowsShown(alice.terminal));
  alice.say("and back again", *carol, "Carol");
  const std::string all = alice.terminal.textWithScrollback();
  BOOST_CHECK_MESSAGE(all.find(kPassword) == std::string::npos, "the password shows:\n" << all);
  BOOST_CHECK_MESSAGE(alice.timesShown("[ENTER THE PASSWORD]") == 0, "the prompt shows:\n" << all);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_ends_the_client_without_another_try,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  PasswordServer server;
  Typist alice(server.port());
  BOOST_REQUIRE_MESSAGE(alice.terminal.waitForText(kPasswordPromptShown),
                        rowsShown(alice.terminal));
  alice.terminal.type("not the password");
  alice.terminal.keys({"Enter"});
  BOOST_REQUIRE_MESSAGE(alice.terminal.waitForText("[exit 0]"), rowsShown(alice.terminal));
  const std::string screen = alice.terminal.text();
  BOOST_CHECK_MESSAGE(
      screen.find(kPasswordPromptShown +
                  "\nWrong password.\nConnection closed by the server.\n[exit 0]") !=
          std::string::npos,
      rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(screen.find("not the password") == std::string::npos,
                      rowsShown(alice.terminal));
  checkSaneTerminal(alice.terminal);
}

BOOST_AUTO_TEST_CASE(a_password_changed_while_away_ends_the_client_rather_than_guess_again,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  PasswordServer server;
  Typist alice(server.port(), {"--password-file", server.passwordFile().path()});
  alice.join();
  server.stop();
  alice.terminal.waitForText("Reconnecting to ");
  // The client read its file at the start; the server reads the new one.
  server.passwordFile().write("a new password");
  server.start();
  BOOST_REQUIRE_MESSAGE(alice.terminal.waitForText("[exit 1]"), rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(
      alice.terminal.text().find("Cannot rejoin: Wrong password.") != std::string::npos,
      rowsShown(alice.terminal));
  checkSaneTerminal(alice.terminal);
}

BOOST_AUTO_TEST_CASE(a_server_that_asks_for_a_password_only_after_a_restart_ends_the_client,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  std::string error;
  auto open = ServerProcess::start({"--rate", "0"}, error);
  BOOST_REQUIRE_MESSAGE(open, "the server did not start: " << error);
  const std::uint16_t port = open->port();
  Typist alice(port);
  alice.join();
  BOOST_REQUIRE(open->stop(StopSignal::Terminate).exitedWith(0));
  alice.terminal.waitForText("Reconnecting to ");
  const PasswordFile password(kPassword);
  auto closed = ServerProcess::startExactly(
      {std::to_string(port), "--password-file", password.path(), "--rate", "0"}, port, error);
  BOOST_REQUIRE_MESSAGE(closed, "the server did not start again: " << error);
  BOOST_REQUIRE_MESSAGE(alice.terminal.waitForText("[exit 1]"), rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(
      alice.terminal.text().find("Cannot rejoin: the server asks for a password "
                                 "now; start the client again to give it.") != std::string::npos,
      rowsShown(alice.terminal));
  checkSaneTerminal(alice.terminal);
}

BOOST_AUTO_TEST_CASE(piped_the_first_line_is_the_password_as_for_nc,
                     *nativeServerOnly("drives the native client through pipes")) {
  PasswordServer server;
  auto bob = member(server.port(), "Bob");
  auto carol = startPiped({"127.0.0.1", std::to_string(server.port())});
  BOOST_REQUIRE(carol->writeStdin(kPassword + "\nCarol\nhello from a pipe\n"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  CHECK_RECEIVES(*bob, messageTo("Bob", "Carol", "hello from a pipe"));
  carol->closeStdin();
  const auto status = carol->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit once the server closed");
  BOOST_CHECK_MESSAGE(status->exitedWith(0), status->describe());
}

BOOST_AUTO_TEST_CASE(piped_with_a_password_file_the_first_line_is_the_name,
                     *nativeServerOnly("drives the native client through pipes")) {
  PasswordServer server;
  auto bob = member(server.port(), "Bob");
  auto carol = startPiped({"127.0.0.1", std::to_string(server.port()), "--password-file",
                           server.passwordFile().path()});
  // Written before the prompt can have come: the client holds it back until it has answered.
  BOOST_REQUIRE(carol->writeStdin("Carol\nhello from a pipe\n"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  CHECK_RECEIVES(*bob, messageTo("Bob", "Carol", "hello from a pipe"));
  carol->closeStdin();
  const auto status = carol->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit once the server closed");
  BOOST_CHECK_MESSAGE(status->exitedWith(0), status->describe());
  const std::string out = carol->standardOutput();
  BOOST_CHECK_MESSAGE(out.find(kPassword) == std::string::npos, shown(out));
  BOOST_CHECK_MESSAGE(out.find(std::string(chat::protocol::kPasswordPrompt) +
                               std::string(chat::protocol::kNamePrompt)) != std::string::npos,
                      shown(out));
}

BOOST_AUTO_TEST_CASE(a_password_file_that_cannot_be_used_stops_the_client_at_once,
                     *nativeServerOnly("runs the native client")) {
  TempLog missing;
  PasswordFile empty("");
  PasswordFile too_long(std::string(257, 'p'));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {missing.path, "cannot read the password file " + missing.path + ": "},
      {empty.path(), "the password file " + empty.path() +
                         " has an empty first line; the password is that line\n"},
      {too_long.path(), "the password in " + too_long.path() + " is longer than 256 bytes\n"},
  };
  for (const auto& [path, why] : cases) {
    // Port 9 of loopback (discard) is never tried: the file is checked before connecting.
    auto client = startPiped({"127.0.0.1", "9", "--password-file", path});
    const auto status = client->waitForExit(kReadTimeoutMs);
    BOOST_REQUIRE_MESSAGE(status, "the client did not exit");
    BOOST_CHECK_MESSAGE(status->exitedWith(1), status->describe());
    // The line names the file and why; the system's reason ends the first one.
    const std::string said = client->standardError();
    BOOST_CHECK_MESSAGE(said.rfind("netcat-chat: " + why, 0) == 0 && said.back() == '\n' &&
                            said.find('\n') == said.size() - 1,
                        shown(said));
    BOOST_CHECK_EQUAL(client->standardOutput(), "");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
