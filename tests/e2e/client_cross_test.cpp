// End-to-end checks of --connect with piped stdin and stdout across builds: the program under
// test (netcat-chat.exe under Wine in scripts/test.sh) as the client of the native server, and
// the native client against the program under test as the server.
#include <cstdlib>

#include "e2e/fixture.hpp"
#include "support/process.hpp"

namespace e2e {
namespace {

constexpr std::int64_t kPollIntervalMs = 10;
constexpr int kExitDone = 0;
constexpr std::string_view kClosedByServer = "Connection closed by the server.\n";

// For its lifetime, the server and client commands that the fixture builds name the netcat-chat
// built next to this test program, not the program under test (NETCAT_CHAT_BIN, run through
// NETCAT_CHAT_RUNNER).
class NativeProgram {
 public:
  NativeProgram() : runner_(environmentValue(kRunner)), binary_(environmentValue(kBinary)) {
    ::unsetenv(kRunner);
    ::unsetenv(kBinary);
  }
  ~NativeProgram() {
    if (!runner_.empty()) ::setenv(kRunner, runner_.c_str(), 1);
    if (!binary_.empty()) ::setenv(kBinary, binary_.c_str(), 1);
  }
  NativeProgram(const NativeProgram&) = delete;
  NativeProgram& operator=(const NativeProgram&) = delete;

 private:
  static constexpr const char* kRunner = "NETCAT_CHAT_RUNNER";
  static constexpr const char* kBinary = "NETCAT_CHAT_BIN";
  std::string runner_;
  std::string binary_;
};

std::vector<std::string> clientOf(const ChatServer& server) {
  return serverCommand({"--connect", "127.0.0.1", std::to_string(server.port())});
}

bool endsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// Waits until the client's stdout, timestamps masked, ends with `tail`; returns that stdout.
std::string waitForOutputEnding(Process& client, const std::string& tail) {
  const std::int64_t deadline = net::monotonicMs() + kReadTimeoutMs;
  for (;;) {
    const std::string out = maskTimestamps(client.standardOutput());
    if (endsWith(out, tail) || net::monotonicMs() >= deadline) return out;
    pauseMs(kPollIntervalMs);
  }
}

// Bob is in the room and has spoken; Alice (the client `command` runs) gets her whole stdin at
// once and then its end, as `type script.txt | netcat-chat.exe --connect ...` gives it. A pipe
// that is written to later would not do under Wine: there a piped stdin cannot be watched, only
// read, so the client passes on the server's bytes between reads.
void chatFromAScript(ChatServer& server, const std::vector<std::string>& command) {
  ChatClient& bob = server.join("Bob");
  server.say("Bob", "hi, whoever comes next");

  std::string error;
  auto alice = Process::start(command, true, error);
  BOOST_REQUIRE_MESSAGE(alice, error);
  const std::string said = "caf\xc3\xa9 from a pipe, \xe4\xb8\xad\xe6\x96\x87";
  BOOST_REQUIRE(alice->writeStdin("Alice\n" + said + "\n"));
  alice->closeStdin();

  CHECK_RECEIVES(bob, joinNoticeTo("Bob", "Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", said));
  CHECK_RECEIVES(bob, leaveNoticeTo("Bob", "Alice"));

  const auto status = alice->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit after the server closed the connection");
  BOOST_TEST(status->exitedWith(kExitDone), status->describe());
  // The server's bytes, unchanged: banner, history, and a prompt after the name and the line.
  const std::string expected =
      kBanner + historyLine("Bob", "hi, whoever comes next") + prompt("Alice") + prompt("Alice");
  BOOST_TEST(shown(maskTimestamps(alice->standardOutput())) == shown(expected));
  BOOST_TEST(shown(consoleText(alice->standardError())) == shown(std::string(kClosedByServer)));
  server.say("Bob", "alone now");
}

// Alice's client answers as she goes: the banner before her name, Bob's words while she waits.
void chatLineByLine(ChatServer& server, const std::vector<std::string>& command) {
  std::string error;
  auto alice = Process::start(command, true, error);
  BOOST_REQUIRE_MESSAGE(alice, error);
  std::string expected = kBanner;
  BOOST_REQUIRE_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  BOOST_REQUIRE(alice->writeStdin("Alice\n"));
  expected += prompt("Alice");
  BOOST_REQUIRE_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  ChatClient& bob = server.join("Bob");
  expected += joinNoticeTo("Alice", "Bob");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  server.say("Bob", "hello from a socket, \xe4\xb8\xad\xe6\x96\x87");
  expected += messageTo("Alice", "Bob", "hello from a socket, \xe4\xb8\xad\xe6\x96\x87");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  BOOST_REQUIRE(alice->writeStdin("hello from a pipe\n"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "hello from a pipe"));
  expected += prompt("Alice");
  BOOST_CHECK_EQUAL(shown(waitForOutputEnding(*alice, expected)), shown(expected));

  alice->closeStdin();
  CHECK_RECEIVES(bob, leaveNoticeTo("Bob", "Alice"));
  const auto status = alice->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit after the server closed the connection");
  BOOST_TEST(status->exitedWith(kExitDone), status->describe());
  BOOST_TEST(shown(consoleText(alice->standardError())) == shown(std::string(kClosedByServer)));
  server.say("Bob", "alone now");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_client_cross)

BOOST_AUTO_TEST_CASE(client_under_test_chats_from_a_script_with_the_native_server) {
  const std::unique_ptr<ChatServer> server = [] {
    NativeProgram native;
    return std::make_unique<ChatServer>();
  }();
  chatFromAScript(*server, clientOf(*server));
}

BOOST_AUTO_TEST_CASE(native_client_chats_from_a_script_with_the_server_under_test) {
  ChatServer server;
  NativeProgram native;
  chatFromAScript(server, clientOf(server));
}

BOOST_AUTO_TEST_CASE(native_client_chats_line_by_line_with_the_server_under_test) {
  ChatServer server;
  NativeProgram native;
  chatLineByLine(server, clientOf(server));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
