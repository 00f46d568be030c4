// End-to-end checks of the command line (docs/netcat-chat.1): arguments, exit statuses, ports,
// addresses.
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "e2e/fixture.hpp"
#include "support/port_lock.hpp"

namespace e2e {
namespace {

// A server that accepts bad arguments would listen forever; this bounds the wait for its end.
// Generous: a Windows build under Wine on a loaded machine has taken over 5 s to start and exit,
// and only a broken server ever waits this long.
constexpr std::int64_t kCliTimeoutMs = 60000;
constexpr int kUsageStatus = 2;
constexpr int kListenFailedStatus = 1;

std::vector<std::string> nonEmptyLines(const std::string& text) {
  std::vector<std::string> lines = splitLines(text);
  lines.erase(std::remove(lines.begin(), lines.end(), std::string()), lines.end());
  return lines;
}

bool hasLine(const std::string& text, std::string_view wanted) {
  const std::vector<std::string> lines = splitLines(text);
  return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

RunResult runToEnd(const std::vector<std::string>& args) {
  RunResult result = runServer(args, kCliTimeoutMs);
  BOOST_REQUIRE_MESSAGE(result.failure.empty(), "could not run the server: " << result.failure);
  BOOST_REQUIRE_MESSAGE(result.status, "the server did not exit; stdout: " << shown(result.out));
  return result;
}

void checkUsageError(const std::vector<std::string>& args) {
  BOOST_TEST_CONTEXT("arguments: " << shown([&] {
                       std::string joined;
                       for (const auto& arg : args) joined += "'" + arg + "' ";
                       return joined;
                     }())) {
    const RunResult result = runToEnd(args);
    BOOST_CHECK_MESSAGE(result.status->exitedWith(kUsageStatus), result.status->describe());
    BOOST_CHECK_MESSAGE(hasLine(result.out, kUsage), "stdout: " << shown(result.out));
    BOOST_CHECK_MESSAGE(result.out.find("Listening on") == std::string::npos,
                        "stdout: " << shown(result.out));
  }
}

// A bad option value gets the usage line plus exactly one line saying what was wrong.
void checkBadOptionValue(const std::vector<std::string>& args) {
  checkUsageError(args);
  const RunResult result = runToEnd(args);
  std::vector<std::string> lines = nonEmptyLines(result.out);
  const std::vector<std::string> err_lines = nonEmptyLines(result.err);
  lines.insert(lines.end(), err_lines.begin(), err_lines.end());
  lines.erase(std::remove(lines.begin(), lines.end(), std::string(kUsage)), lines.end());
  BOOST_CHECK_MESSAGE(lines.size() == 1,
                      "args " << args[1] << " " << (args.size() > 2 ? args[2] : "")
                              << ": besides the usage line expected one line, got stdout "
                              << shown(result.out) << " stderr " << shown(result.err));
}

std::string anyPort() { return std::to_string(pickFreePort()); }

bool ipv6LoopbackAvailable() {
  net::NetError error;
  return net::listenTcp("::1", 0, error).valid();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_cli)

BOOST_AUTO_TEST_CASE(two_positional_arguments_print_usage_and_exit_2) {
  checkUsageError({anyPort(), anyPort()});
}

BOOST_AUTO_TEST_CASE(non_numeric_port_prints_usage_and_exit_2) {
  checkUsageError({"chat"});
  checkUsageError({"89x"});
}

BOOST_AUTO_TEST_CASE(port_0_prints_usage_and_exit_2) { checkUsageError({"0"}); }

BOOST_AUTO_TEST_CASE(port_65536_and_beyond_print_usage_and_exit_2) {
  checkUsageError({"65536"});
  checkUsageError({"99999999999999999999"});
}

BOOST_AUTO_TEST_CASE(unknown_option_prints_usage_and_exit_2) {
  checkUsageError({"--frobnicate"});
  checkUsageError({anyPort(), "-z"});
}

BOOST_AUTO_TEST_CASE(bad_option_values_print_usage_and_what_was_wrong) {
  const std::string port = anyPort();
  checkBadOptionValue({port, "--max-clients", "many"});
  checkBadOptionValue({port, "--max-clients", "-1"});
  checkBadOptionValue({port, "--history", "lots"});
  checkBadOptionValue({port, "--history", "-5"});
  checkBadOptionValue({port, "--name-timeout", "soon"});
  checkBadOptionValue({port, "--name-timeout", "-1"});
}

BOOST_AUTO_TEST_CASE(malformed_web_origin_prints_usage_and_names_it) {
  const std::string web = anyPort();
  checkBadOptionValue({anyPort(), "--web", web, "--web-origin", "chat.example"});
  checkBadOptionValue({anyPort(), "--web", web, "--web-origin", "https://chat.example/"});
  const RunResult result = runToEnd({anyPort(), "--web", web, "--web-origin", "ftp://x"});
  BOOST_TEST(result.err.find("'ftp://x'") != std::string::npos, result.err);
}

BOOST_AUTO_TEST_CASE(option_without_its_value_prints_usage_and_what_was_wrong) {
  checkBadOptionValue({anyPort(), "--max-clients"});
  checkBadOptionValue({anyPort(), "--name-timeout"});
}

BOOST_AUTO_TEST_CASE(help_lists_every_option_with_defaults_and_exits_0) {
  for (const char* flag : {"-h", "--help"}) {
    BOOST_TEST_CONTEXT("flag " << flag) {
      const RunResult result = runToEnd({flag});
      BOOST_CHECK_MESSAGE(result.status->exitedWith(0), result.status->describe());
      for (const char* word : {"--max-clients", "--history", "--log", "--bind", "--name-timeout",
                               "--help", "--version", "8989", "10000", "60"}) {
        BOOST_CHECK_MESSAGE(result.out.find(word) != std::string::npos,
                            "help does not mention " << word << ": " << shown(result.out));
      }
      BOOST_CHECK(result.out.find("Listening on") == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(version_prints_one_line_and_exits_0) {
  const RunResult result = runToEnd({"--version"});
  BOOST_CHECK_MESSAGE(result.status->exitedWith(0), result.status->describe());
  BOOST_CHECK_MESSAGE(splitLines(result.out).size() == 1 && !result.out.empty() &&
                          result.out.back() == '\n' && result.out.size() > 1,
                      "stdout: " << shown(result.out));
}

BOOST_AUTO_TEST_CASE(port_in_use_is_one_line_on_stderr_naming_the_port_and_exit_1) {
  net::NetError error;
  const net::Socket occupant = net::listenTcp("", 0, error);
  BOOST_REQUIRE_MESSAGE(occupant.valid(), error.message);
  const std::string port = std::to_string(net::localPort(occupant));
  const RunResult result = runToEnd({port});
  BOOST_CHECK_MESSAGE(result.status->exitedWith(kListenFailedStatus), result.status->describe());
  const std::vector<std::string> lines = nonEmptyLines(result.err);
  BOOST_REQUIRE_MESSAGE(lines.size() == 1, "stderr: " << shown(result.err));
  BOOST_CHECK_MESSAGE(lines[0].find(port) != std::string::npos, "stderr: " << lines[0]);
  BOOST_CHECK_MESSAGE(lines[0].find("Address already in use") != std::string::npos,
                      "stderr does not give the system's reason: " << lines[0]);
  BOOST_CHECK(result.out.find("Listening on") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(second_server_on_the_same_port_exits_1) {
  ChatServer first;
  const RunResult second = runToEnd({std::to_string(first.port())});
  BOOST_CHECK_MESSAGE(second.status->exitedWith(kListenFailedStatus), second.status->describe());
  BOOST_CHECK_MESSAGE(nonEmptyLines(second.err).size() == 1, "stderr: " << shown(second.err));
  first.connect();
}

BOOST_AUTO_TEST_CASE(listens_on_8989_without_a_port_argument) {
  // The package check beside these tests in scripts/test.sh needs 8989 for a moment too.
  const FixedPortLock lock(8989);
  if (!portIsFree(8989)) {
    BOOST_TEST_MESSAGE("skipped: port 8989 is in use on this machine");
    return;
  }
  std::string error;
  auto server = ServerProcess::startExactly({}, 8989, error);
  if (!server && !portIsFree(8989)) {
    BOOST_TEST_MESSAGE("skipped: another program took port 8989 meanwhile");
    return;
  }
  BOOST_REQUIRE_MESSAGE(server, error);
  ChatClient client;
  BOOST_REQUIRE(client.connect("127.0.0.1", 8989));
  BOOST_CHECK_EQUAL(shown(client.readExactly(kBanner.size())), shown(kBanner));
  BOOST_CHECK_MESSAGE(server->stop().exitedWith(0), "asked to stop, it did not exit with status 0");
}

BOOST_AUTO_TEST_CASE(highest_port_65535_is_accepted) {
  if (!portIsFree(65535)) {
    BOOST_TEST_MESSAGE("skipped: port 65535 is in use on this machine");
    return;
  }
  std::string error;
  auto server = ServerProcess::startExactly({"65535"}, 65535, error);
  if (!server && !portIsFree(65535)) {
    BOOST_TEST_MESSAGE("skipped: another program took port 65535 meanwhile");
    return;
  }
  BOOST_REQUIRE_MESSAGE(server, error);
  ChatClient client;
  BOOST_REQUIRE(client.connect("127.0.0.1", 65535));
  BOOST_CHECK_EQUAL(shown(client.readExactly(kBanner.size())), shown(kBanner));
}

// Starts the server with exactly `args`, which must name `port` somewhere, and requires it up.
std::unique_ptr<ServerProcess> startWith(const std::vector<std::string>& args, std::uint16_t port) {
  std::string error;
  auto server = ServerProcess::startExactly(args, port, error);
  BOOST_REQUIRE_MESSAGE(server, error);
  return server;
}

BOOST_AUTO_TEST_CASE(nc_flags_p_l_and_k_serve_as_the_positional_port_does) {
  for (const char* form : {"-p", "-lkp", "-lp"}) {
    BOOST_TEST_CONTEXT("form " << form) {
      const std::uint16_t port = pickFreePort();
      auto server = startWith({"-l", "-k", form, std::to_string(port)}, port);
      ChatClient client;
      BOOST_REQUIRE(client.connect("127.0.0.1", port));
      BOOST_CHECK_EQUAL(shown(client.readExactly(kBanner.size())), shown(kBanner));
    }
  }
}

BOOST_AUTO_TEST_CASE(dash_4_listens_on_ipv4_only) {
  const std::uint16_t port = pickFreePort();
  auto server = startWith({"-4", "-p", std::to_string(port)}, port);
  ChatClient v4;
  BOOST_REQUIRE(v4.connect("127.0.0.1", port));
  BOOST_CHECK_EQUAL(shown(v4.readExactly(kBanner.size())), shown(kBanner));
  if (ipv6LoopbackAvailable()) {
    ChatClient v6;
    BOOST_CHECK_MESSAGE(!v6.connect("::1", port), "an IPv6 client reached a -4 server");
  }
}

BOOST_AUTO_TEST_CASE(dash_6_listens_on_ipv6_only) {
  if (!ipv6LoopbackAvailable()) {
    BOOST_TEST_MESSAGE("skipped: no IPv6 loopback here");
    return;
  }
  const std::uint16_t port = pickFreePort();
  auto server = startWith({"-6", std::to_string(port)}, port);
  ChatClient v6;
  BOOST_REQUIRE(v6.connect("::1", port));
  BOOST_CHECK_EQUAL(shown(v6.readExactly(kBanner.size())), shown(kBanner));
  ChatClient v4;
  BOOST_CHECK_MESSAGE(!v4.connect("127.0.0.1", port), "an IPv4 client reached a -6 server");
}

BOOST_AUTO_TEST_CASE(contradicting_or_misplaced_flags_print_usage_and_what_was_wrong) {
  const std::string port = anyPort();
  checkBadOptionValue({"-4", "-6", port});
  checkBadOptionValue({"-p", port, anyPort()});
  checkBadOptionValue({port, "-w", "3"});
  checkBadOptionValue({"--connect", "localhost", "--history", "3"});
  checkBadOptionValue({"--connect", "localhost", "-l"});
  checkBadOptionValue({port, "--rate", "fast"});
  checkBadOptionValue({port, "--burst", "0"});
  checkBadOptionValue({port, "--max-per-address", "some"});
  checkBadOptionValue({"--connect", "[::1", port});
}

BOOST_AUTO_TEST_CASE(default_bind_accepts_ipv4_and_ipv6_loopback) {
  if (!ipv6LoopbackAvailable()) {
    BOOST_TEST_MESSAGE("skipped: no IPv6 loopback here");
    return;
  }
  ChatServer server;
  server.connect("127.0.0.1");
  server.connect("::1");
  server.connect("localhost");  // `nc localhost PORT`, whichever address localhost is
}

BOOST_AUTO_TEST_CASE(bind_to_ipv4_loopback_refuses_ipv6) {
  if (!ipv6LoopbackAvailable()) {
    BOOST_TEST_MESSAGE("skipped: no IPv6 loopback here");
    return;
  }
  ChatServer server({"--bind", "127.0.0.1"});
  ChatClient over_ipv6;
  BOOST_CHECK_MESSAGE(!over_ipv6.connect("::1", server.port()), "::1 was accepted");
  server.connect("127.0.0.1");
}

BOOST_AUTO_TEST_CASE(bind_to_ipv6_loopback_refuses_ipv4) {
  if (!ipv6LoopbackAvailable()) {
    BOOST_TEST_MESSAGE("skipped: no IPv6 loopback here");
    return;
  }
  ChatServer server({"--bind", "::1"});
  ChatClient over_ipv4;
  BOOST_CHECK_MESSAGE(!over_ipv4.connect("127.0.0.1", server.port()), "127.0.0.1 was accepted");
  server.connect("::1");
}

BOOST_AUTO_TEST_CASE(bind_accepts_a_host_name) {
  ChatServer server({"--bind", "localhost"});
  server.connect("localhost");
}

BOOST_AUTO_TEST_CASE(address_that_is_not_local_fails_to_listen_with_a_reason) {
  // 192.0.2.1 is reserved for documentation (RFC 5737): valid, but no machine owns it.
  const std::string port = anyPort();
  const RunResult result = runToEnd({port, "--bind", "192.0.2.1"});
  BOOST_CHECK_MESSAGE(result.status->exitedWith(kListenFailedStatus), result.status->describe());
  const std::vector<std::string> lines = nonEmptyLines(result.err);
  BOOST_CHECK_MESSAGE(lines.size() == 1 && lines[0].find(port) != std::string::npos,
                      "stderr: " << shown(result.err));
  BOOST_CHECK(result.out.find("Listening on") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(running_out_of_file_descriptors_is_logged_and_survived,
                     *nativeServerOnly("a POSIX descriptor limit (prlimit) does not bound "
                                       "Windows sockets, which wine keeps in wineserver")) {
  if (::access("/usr/bin/prlimit", X_OK) != 0) {
    BOOST_TEST_MESSAGE("skipped: needs prlimit");
    return;
  }
  constexpr int kDescriptors = 32;
  ChatServer server({"--max-clients", "1000"},
                    {"/usr/bin/prlimit", "--nofile=" + std::to_string(kDescriptors)});
  server.join("Alice");
  server.join("Bob");
  // More connections than the server has descriptors: the kernel completes them all, the server
  // can accept only some.
  std::vector<ChatClient> crowd(2 * kDescriptors);
  for (ChatClient& client : crowd) BOOST_REQUIRE(client.connect("127.0.0.1", server.port()));
  server.say("Alice", "still served");
  server.say("Bob", "me too");
  crowd.clear();
  server.join("Carol", historyLine("Alice", "still served") + historyLine("Bob", "me too"));
  BOOST_CHECK(server.stop().exitedWith(0));
  const std::string log = server.process().output();
  BOOST_CHECK_MESSAGE(log.find("Too many open files") != std::string::npos,
                      "the accept error is not in the log: " << shown(log));
}

BOOST_AUTO_TEST_CASE(logs_join_leave_and_rejection_with_time_name_and_address) {
  ChatServer server({"--max-clients", "1"});
  const std::uint16_t alice_port = server.join("Alice").localPort();
  ChatClient rejected;
  BOOST_REQUIRE(rejected.connect("127.0.0.1", server.port()));
  const std::uint16_t rejected_port = rejected.localPort();
  BOOST_CHECK_EQUAL(shown(rejected.readUntilClosed()), shown(kChatFull));
  server.leave("Alice");
  BOOST_CHECK(server.stop().exitedWith(0));

  const std::vector<std::string> lines = splitLines(server.process().output());
  const std::string alice_address = "127.0.0.1:" + std::to_string(alice_port);
  const std::string rejected_address = "127.0.0.1:" + std::to_string(rejected_port);
  const auto count = [&lines](const std::string& a, const std::string& b) {
    return std::count_if(lines.begin() + 1, lines.end(), [&](const std::string& line) {
      return line.find(a) != std::string::npos && line.find(b) != std::string::npos &&
             !timestampsIn(line).empty();
    });
  };
  const std::string log = shown(server.process().output());
  BOOST_CHECK_MESSAGE(
      count("Alice", alice_address) >= 2,
      "no timestamped join and leave lines naming Alice and " << alice_address << ": " << log);
  BOOST_CHECK_MESSAGE(count(rejected_address, "") >= 1,
                      "no timestamped line for the rejected " << rejected_address << ": " << log);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
