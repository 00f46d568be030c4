// End-to-end tests of the --connect client without a terminal (as nc: pipes in and out), and of
// how it reports a connection that fails, breaks or ends.
#include <boost/test/unit_test.hpp>

#include "e2e/fixture.hpp"
#include "support/unanswered_listener.hpp"

namespace e2e {
namespace {

const char* const kNativeOnly =
    "drives the native client through pipes; the Windows client is checked under wine apart";

std::vector<std::string> clientCommand(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--connect"};
  full.insert(full.end(), args.begin(), args.end());
  return serverCommand(full);
}

std::unique_ptr<Process> startClient(const std::vector<std::string>& args, bool pipe_stdin) {
  std::string error;
  auto client = Process::start(clientCommand(args), pipe_stdin, error);
  BOOST_REQUIRE_MESSAGE(client, "client did not start: " << error);
  return client;
}

// Polls the client's standard output until it holds `count` bytes or the time is up.
std::string outputOf(Process& client, std::size_t count) {
  const std::int64_t deadline = net::monotonicMs() + kReadTimeoutMs;
  std::string out = client.standardOutput();
  while (out.size() < count && net::monotonicMs() < deadline) {
    pauseMs(10);
    out = client.standardOutput();
  }
  return out;
}

bool ipv6LoopbackAvailable() {
  net::NetError error;
  return net::listenTcp("::1", 0, error).valid();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_client_piped)

BOOST_AUTO_TEST_CASE(piped_lines_go_to_the_server_and_its_bytes_come_out_unchanged,
                     *nativeServerOnly(kNativeOnly)) {
  ChatServer server({"--rate", "0"});
  ChatClient& bob = server.join("Bob");
  auto carol = startClient({"127.0.0.1", std::to_string(server.port())}, true);
  BOOST_REQUIRE_EQUAL(shown(outputOf(*carol, kBanner.size())), shown(kBanner));
  BOOST_REQUIRE(carol->writeStdin("Carol\nhello from a pipe\n"));
  CHECK_RECEIVES(bob, joinNoticeTo("Bob", "Carol"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Carol", "hello from a pipe"));
  BOOST_REQUIRE(bob.send("hi Carol\n"));
  CHECK_RECEIVES(bob, prompt("Bob"));
  const std::string expected =
      kBanner + prompt("Carol") + prompt("Carol") + messageTo("Carol", "Bob", "hi Carol");
  BOOST_CHECK_EQUAL(shown(maskTimestamps(outputOf(*carol, kBanner.size() + 120))), shown(expected));
  // The end of input ends the sending side; the server takes that as leaving and closes.
  carol->closeStdin();
  CHECK_RECEIVES(bob, leaveNoticeTo("Bob", "Carol"));
  const auto status = carol->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit once the server closed");
  BOOST_CHECK_MESSAGE(status->exitedWith(0), status->describe());
  BOOST_CHECK_EQUAL(shown(maskTimestamps(carol->standardOutput())), shown(expected));
  BOOST_CHECK_EQUAL(carol->standardError(), "Connection closed by the server.\n");
}

BOOST_AUTO_TEST_CASE(empty_input_leaves_at_the_name_prompt_and_exits_0,
                     *nativeServerOnly(kNativeOnly)) {
  ChatServer server;
  auto client = startClient({"127.0.0.1", std::to_string(server.port())}, false);
  const auto status = client->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit");
  BOOST_CHECK_MESSAGE(status->exitedWith(0), status->describe());
  BOOST_CHECK_EQUAL(shown(client->standardOutput()), shown(kBanner));
}

BOOST_AUTO_TEST_CASE(host_colon_port_and_bracketed_ipv6_reach_the_server,
                     *nativeServerOnly(kNativeOnly)) {
  ChatServer server;
  std::vector<std::string> targets = {"127.0.0.1:" + std::to_string(server.port())};
  if (ipv6LoopbackAvailable()) {
    targets.push_back("[::1]:" + std::to_string(server.port()));
  } else {
    BOOST_TEST_MESSAGE("skipped the IPv6 form: no IPv6 loopback here");
  }
  for (const std::string& target : targets) {
    auto client = startClient({target}, false);
    const auto status = client->waitForExit(kReadTimeoutMs);
    BOOST_REQUIRE_MESSAGE(status, "the client did not exit for " << target);
    BOOST_CHECK_MESSAGE(status->exitedWith(0), target << ": " << status->describe());
    BOOST_CHECK_EQUAL(shown(client->standardOutput()), shown(kBanner));
  }
}

BOOST_AUTO_TEST_CASE(dash_s_connects_from_the_given_local_address, *nativeServerOnly(kNativeOnly)) {
  ChatServer server;
  auto client =
      startClient({"127.0.0.1", std::to_string(server.port()), "-s", "127.0.0.2", "-4"}, true);
  BOOST_REQUIRE(client->writeStdin("Dora\n"));
  BOOST_REQUIRE_EQUAL(shown(maskTimestamps(outputOf(*client, kBanner.size() + 30))),
                      shown(kBanner + prompt("Dora")));
  BOOST_CHECK_MESSAGE(server.process().output().find("127.0.0.2") != std::string::npos,
                      "the server's log does not name 127.0.0.2:\n"
                          << server.process().output());
  client->closeStdin();
  BOOST_REQUIRE(client->waitForExit(kReadTimeoutMs));
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_one_line_on_stderr_and_exit_1) {
  const std::uint16_t port = pickFreePort();
  BOOST_REQUIRE(port != 0);
  const RunResult run = runServer({"--connect", "127.0.0.1", std::to_string(port)});
  BOOST_REQUIRE_MESSAGE(run.status, "the client did not exit: " << run.failure);
  BOOST_CHECK_MESSAGE(run.status->exitedWith(1), run.status->describe());
  BOOST_CHECK_EQUAL(run.err, "netcat-chat: cannot connect to 127.0.0.1:" + std::to_string(port) +
                                 ": Connection refused\n");
  BOOST_CHECK_EQUAL(run.out, "");
}

BOOST_AUTO_TEST_CASE(dash_w_bounds_the_time_spent_connecting, *nativeServerOnly(kNativeOnly)) {
  UnansweredListener silent;
  BOOST_REQUIRE(silent.ok());
  const std::int64_t started = net::monotonicMs();
  const RunResult run =
      runServer({"--connect", "127.0.0.1", std::to_string(silent.port()), "-w", "1"});
  const std::int64_t took = net::monotonicMs() - started;
  BOOST_REQUIRE_MESSAGE(run.status, "the client did not give up: " << run.failure);
  BOOST_CHECK_MESSAGE(run.status->exitedWith(1), run.status->describe());
  BOOST_CHECK_EQUAL(run.err, "netcat-chat: cannot connect to 127.0.0.1:" +
                                 std::to_string(silent.port()) + ": Connection timed out\n");
  BOOST_CHECK_MESSAGE(took >= 900 && took < 5000, "gave up after " << took << " ms");
}

BOOST_AUTO_TEST_CASE(a_reset_connection_is_reported_with_exit_1, *nativeServerOnly(kNativeOnly)) {
  net::NetError error;
  net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), error.message);
  auto client = startClient({"127.0.0.1", std::to_string(net::localPort(listener))}, true);
  net::Socket accepted;
  std::string peer;
  const std::int64_t deadline = net::monotonicMs() + kReadTimeoutMs;
  while (!accepted.valid() && net::monotonicMs() < deadline) {
    accepted = net::acceptConnection(listener, peer, error);
    if (!accepted.valid()) pauseMs(10);
  }
  BOOST_REQUIRE_MESSAGE(accepted.valid(), "the client never connected");
  // A reset in the middle of a session, not during the connect: once the client has shown a
  // greeting, it is past connecting for sure.
  const std::string greeting = "hello\n";
  BOOST_REQUIRE_EQUAL(net::sendSome(accepted, greeting.data(), greeting.size()).bytes,
                      greeting.size());
  BOOST_REQUIRE_EQUAL(shown(outputOf(*client, greeting.size())), shown(greeting));
  BOOST_REQUIRE(!net::resetConnection(accepted));
  const auto status = client->waitForExit(kReadTimeoutMs);
  BOOST_REQUIRE_MESSAGE(status, "the client did not exit after the reset");
  BOOST_CHECK_MESSAGE(status->exitedWith(1), status->describe());
  BOOST_CHECK_EQUAL(client->standardError(), "Connection reset by the server.\n");
}

BOOST_AUTO_TEST_CASE(a_server_option_with_connect_is_a_usage_error) {
  const RunResult run = runServer({"--connect", "127.0.0.1", "--history", "5"});
  BOOST_REQUIRE(run.status);
  BOOST_CHECK_MESSAGE(run.status->exitedWith(2), run.status->describe());
}

BOOST_AUTO_TEST_CASE(help_describes_the_client_with_an_example) {
  const RunResult run = runServer({"--help"});
  BOOST_REQUIRE(run.status);
  BOOST_CHECK(run.status->exitedWith(0));
  BOOST_CHECK(run.out.find("--connect HOST [PORT]") != std::string::npos);
  BOOST_CHECK(run.out.find("netcat-chat --connect ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
