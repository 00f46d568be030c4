// End-to-end tests of the terminal client coming back by itself (docs/PROTOCOL.md §14.3): the
// real server stopped and started again on the same port, the client in tmux.
#include <boost/test/unit_test.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "e2e/client_terminal.hpp"
#include "e2e/fixture.hpp"
#include "e2e/restarting_server.hpp"
#include "e2e/temp_log.hpp"
#include "net.hpp"
#include "support/chat_client.hpp"
#include "support/netns.hpp"
#include "support/tmux.hpp"

namespace e2e {
namespace {

constexpr int kColumns = 100;
constexpr int kRows = 30;
// docs/PROTOCOL.md §14.3: the first tries come 1 s, then 2 s more after the chat was lost, so a
// server that listens again soon after it stopped has the client back within this.
constexpr std::int64_t kBackWithinMs = 3000;

// A plain TCP member of the chat, as nc would be.
std::unique_ptr<ChatClient> member(std::uint16_t port, const std::string& name,
                                   const std::string& room = "") {
  auto client = std::make_unique<ChatClient>();
  BOOST_REQUIRE_MESSAGE(client->connectAndReadBanner("127.0.0.1", port), "no banner for " << name);
  const std::string joined = client->join(name);
  BOOST_REQUIRE_MESSAGE(joined.find("][" + name + "]:") != std::string::npos,
                        name << " did not join: " << shown(joined));
  if (!room.empty()) {
    BOOST_REQUIRE(client->send("/join " + room + "\n"));
    const std::string moved = client->readUntil("][" + name + "]:");
    BOOST_REQUIRE_MESSAGE(moved.find("You are now in " + room + ".\n") != std::string::npos,
                          name << " did not move: " << shown(moved));
  }
  return client;
}

// The client in tmux, joined as `name`.
struct Typist {
  Typist(std::uint16_t port, const std::string& name)
      : terminal(clientInShell(port), kColumns, kRows), me(name) {
    BOOST_REQUIRE_MESSAGE(terminal.started(), "tmux did not start");
    BOOST_REQUIRE_MESSAGE(terminal.waitForText("[ENTER YOUR NAME]:"),
                          "no name prompt" << rowsShown(terminal));
    terminal.type(name);
    terminal.keys({"Enter"});
    BOOST_REQUIRE_MESSAGE(waitForInput(""), "no chat prompt" << rowsShown(terminal));
  }

  bool waitForInput(const std::string& typed) {
    return terminal.waitFor(
        [&](TmuxTerminal& t) { return maskTimestamps(t.cursorRow()) == prompt(me) + typed; });
  }
  // Waits for `text` on the screen; the test ends, showing the screen, when it does not come.
  void requireShown(const std::string& text) {
    BOOST_REQUIRE_MESSAGE(terminal.waitForText(text), rowsShown(terminal));
  }
  // Sends a command and waits for its reply on the screen.
  void command(const std::string& line, const std::string& reply) {
    terminal.type(line);
    terminal.keys({"Enter"});
    BOOST_REQUIRE_MESSAGE(terminal.waitForText(reply),
                          "no '" << reply << "'" << rowsShown(terminal));
  }
  // How many times `needle` shows on the screen and in the rows scrolled off it.
  int timesShown(const std::string& needle) {
    const std::string all = terminal.textWithScrollback();
    int count = 0;
    for (std::size_t at = all.find(needle); at != std::string::npos;
         at = all.find(needle, at + needle.size())) {
      ++count;
    }
    return count;
  }

  TmuxTerminal terminal;
  std::string me;
};

// Asks with /list until `name` is among those online in `asker`'s room; false after the timeout.
bool waitUntilOnline(ChatClient& asker, const std::string& name, const std::string& asker_name,
                     std::int64_t timeout_ms = kScreenTimeoutMs) {
  constexpr std::int64_t kPollMs = 50;
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (net::monotonicMs() < deadline) {
    if (!asker.send("/list\n")) return false;
    std::string reply = asker.readUntil("Online (");
    reply += asker.readUntil("][" + asker_name + "]:");
    const std::size_t list = reply.find("Online (");
    if (list != std::string::npos && (reply.find(": " + name + ",", list) != std::string::npos ||
                                      reply.find(", " + name + "\n", list) != std::string::npos ||
                                      reply.find(", " + name + ",", list) != std::string::npos ||
                                      reply.find(": " + name + "\n", list) != std::string::npos)) {
      return true;
    }
    pauseMs(kPollMs);
  }
  return false;
}

bool skipUnlessNative() { return skipWithoutTmux() || serverRunsUnderRunner(); }

// Says why a test needs what it cannot have here, as "<suite>/<case> skipped: <reason>".
bool skipWithoutNamespaces() {
  if (skipUnlessNative()) return true;
  const std::string why_not = netnsUnavailableReason();
  if (why_not.empty()) return false;
  std::cout << boost::unit_test::framework::current_test_case().full_name()
            << " skipped: " << why_not << std::endl;
  return true;
}

// Seconds of silence before the client checks its server; small, so that a loss shows soon.
constexpr int kClientKeepaliveS = 2;
// The client's tries while its network is gone wait this long for an answer each.
constexpr int kConnectTimeoutS = 2;
// A loss is found within 2x the keepalive, then come tries at 1, 2, 4, 8 s: generous bounds for
// a loaded machine.
constexpr std::int64_t kLossTimeoutMs = 30000;
constexpr std::int64_t kRejoinTimeoutMs = 60000;
// A peer acknowledges within its delayed-ACK time (tens of ms); generous for a loaded machine.
constexpr std::int64_t kAcknowledgedTimeoutMs = 10000;
constexpr std::uint16_t kNetnsPort = 2525;  // inside namespaces of the test's own: always free

// A server and Bob in one namespace, Alice's terminal client in another, joined; the client's
// network can vanish and come back.
struct TwoNetworks {
  explicit TwoNetworks(int server_keepalive_s) {
    BOOST_REQUIRE_MESSAGE(hosts.ok(), hosts.error());
    std::string error;
    server = ServerProcess::startExactly({std::to_string(kNetnsPort), "--keepalive",
                                          std::to_string(server_keepalive_s), "--rate", "0"},
                                         kNetnsPort, error, hosts.server().runInside());
    BOOST_REQUIRE_MESSAGE(server, "the server did not start: " << error);
    {
      Netns::Inside inside(hosts.server());
      BOOST_REQUIRE(inside.ok());
      bob = member(kNetnsPort, "Bob");
    }
    const std::vector<std::string> client = {"--connect",
                                             TwoHosts::kServerAddress,
                                             std::to_string(kNetnsPort),
                                             "-w",
                                             std::to_string(kConnectTimeoutS),
                                             "--keepalive",
                                             std::to_string(kClientKeepaliveS)};
    terminal = std::make_unique<TmuxTerminal>(
        hosts.client().runInside(commandInShell(serverCommand(client))), kColumns, kRows);
    BOOST_REQUIRE(terminal->started());
    BOOST_REQUIRE_MESSAGE(terminal->waitForText("[ENTER YOUR NAME]:"), rowsShown(*terminal));
    terminal->type("Alice");
    terminal->keys({"Enter"});
    const std::string joined = bob->readUntil("Alice has joined our chat...\n");
    BOOST_REQUIRE_MESSAGE(joined.find("Alice has joined our chat...") != std::string::npos,
                          shown(joined) << rowsShown(*terminal));
  }

  // The client's network vanishes until the client says it lost the server and waits to try
  // again; then it comes back.
  //
  // Nothing crosses either way meanwhile, as when Wi-Fi drops. Were the server's packets still
  // to reach the client, a server that gave the connection up first would reset it, and the
  // client would be told of the loss instead of finding it by itself.
  //
  // First the server's last bytes to the client (its prompt) must have been acknowledged: bytes
  // still unacknowledged when the network goes are retransmitted, and one retransmission that
  // happens to come after the network is back reaches a client system that has given the
  // connection up; its reset frees the name before the client is back, or not, by chance.
  void loseTheNetworkForAWhile() {
    std::string error;
    BOOST_REQUIRE_MESSAGE(hosts.server().awaitAllAcknowledged(kNetnsPort, TwoHosts::kClientAddress,
                                                              kAcknowledgedTimeoutMs, error),
                          error);
    BOOST_REQUIRE_MESSAGE(hosts.blackholeClient(error) && hosts.blackholeServer(error), error);
    const std::string target =
        std::string(TwoHosts::kServerAddress) + ":" + std::to_string(kNetnsPort);
    const bool lost = terminal->waitForText("Connection to " + target + " lost: no answer for ",
                                            kLossTimeoutMs) &&
                      terminal->waitForText("Reconnecting to " + target, kLossTimeoutMs);
    const bool back_up = hosts.restoreServer(error) && hosts.restoreClient(error);
    BOOST_REQUIRE_MESSAGE(back_up, error);
    BOOST_REQUIRE_MESSAGE(lost, "the client did not notice" << rowsShown(*terminal));
  }

  TwoHosts hosts;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<ChatClient> bob;
  std::unique_ptr<TmuxTerminal> terminal;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_client_reconnect)

BOOST_AUTO_TEST_CASE(a_restarted_server_has_the_client_back_in_its_room_with_its_typing,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  RestartingServer server;
  auto bob = member(server.port(), "Bob");
  for (const char* text : {"general one", "general two"}) {
    BOOST_REQUIRE(bob->send(std::string(text) + "\n"));
    BOOST_REQUIRE(bob->readUntil("][Bob]:").find("][Bob]:") != std::string::npos);
  }
  Typist alice(server.port(), "Alice");
  BOOST_REQUIRE(alice.terminal.waitForText("][Bob]:general two"));
  alice.command("/join games", "You are now in games.");
  auto carol = member(server.port(), "Carol", "games");
  BOOST_REQUIRE(carol->send("games before\n"));
  alice.requireShown("][Carol]:games before");
  alice.terminal.type("half typed");
  BOOST_REQUIRE(alice.waitForInput("half typed"));

  server.stop();
  alice.requireShown("Reconnecting to " + server.target() + " in 1 s (Ctrl-C to leave)");
  bob.reset();
  carol.reset();
  server.start();
  const std::int64_t listening = net::monotonicMs();
  // Dave speaks in games at once: Alice's first try comes a second after the chat was lost, so
  // she is most likely still away; back already or not, she must see the line once.
  auto dave = member(server.port(), "Dave", "games");
  BOOST_REQUIRE(dave->send("said while away\n"));
  // Back in games, Alice's screen shows the server's answer to her /join a second time.
  const bool back = alice.terminal.waitFor(
      [&](TmuxTerminal&) { return alice.timesShown("You are now in games.") == 2; });
  const std::int64_t back_after = net::monotonicMs() - listening;
  BOOST_REQUIRE_MESSAGE(back, "Alice did not come back to games" << rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(back_after <= kBackWithinMs,
                      "Alice came back " << back_after << " ms after the server listened");
  BOOST_TEST_MESSAGE("back " << back_after << " ms after the server listened");
  BOOST_REQUIRE(dave->send("/list\n"));
  const std::string list = dave->readUntil("Online (");
  const std::string members = dave->readUntil("\n");
  BOOST_CHECK_MESSAGE(members == "2): Dave, Alice\n" || members == "2): Alice, Dave\n",
                      "games holds " << shown(list + members));

  BOOST_CHECK_MESSAGE(alice.waitForInput("half typed"), rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(alice.terminal.waitForText("][Dave]:said while away"),
                      rowsShown(alice.terminal));
  alice.terminal.keys({"Enter"});
  const std::string got = dave->readUntil("][Alice]:half typed\n");
  BOOST_CHECK_MESSAGE(got.find("][Alice]:half typed\n") != std::string::npos, shown(got));
  BOOST_CHECK(alice.waitForInput(""));
  // Every line shows once: the replayed history of games, the other room's not at all anew.
  for (const char* line : {"][Bob]:general one", "][Bob]:general two", "][Carol]:games before",
                           "][Dave]:said while away"}) {
    BOOST_CHECK_MESSAGE(alice.timesShown(line) == 1, "'" << line << "' shows "
                                                         << alice.timesShown(line) << " times"
                                                         << "\n--- all ---\n"
                                                         << alice.terminal.textWithScrollback());
  }
  BOOST_CHECK_EQUAL(alice.timesShown("Welcome to TCP-Chat!"), 1);
  BOOST_CHECK_EQUAL(alice.timesShown("[ENTER YOUR NAME]:"), 1);
}

BOOST_AUTO_TEST_CASE(a_name_changed_before_the_restart_is_the_name_it_comes_back_with,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  RestartingServer server;
  Typist alice(server.port(), "Alice");
  alice.terminal.type("/name Carol");
  alice.terminal.keys({"Enter"});
  alice.me = "Carol";
  BOOST_REQUIRE_MESSAGE(alice.waitForInput(""), rowsShown(alice.terminal));
  server.stop();
  alice.requireShown("Reconnecting to " + server.target());
  server.start();
  auto bob = member(server.port(), "Bob");
  BOOST_CHECK_MESSAGE(waitUntilOnline(*bob, "Carol", "Bob"), rowsShown(alice.terminal));
  BOOST_CHECK(alice.waitForInput(""));
  alice.terminal.type("still me");
  alice.terminal.keys({"Enter"});
  const std::string got = bob->readUntil("][Carol]:still me\n");
  BOOST_CHECK_MESSAGE(got.find("][Carol]:still me\n") != std::string::npos, shown(got));
}

BOOST_AUTO_TEST_CASE(a_client_refused_at_the_name_prompt_exits_as_before,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  ChatServer server({"--max-clients", "1"});
  ChatClient& bob = server.join("Bob");
  TmuxTerminal terminal(clientInShell(server.port()), kColumns, kRows);
  BOOST_REQUIRE(terminal.started());
  BOOST_CHECK_MESSAGE(terminal.waitForText("[exit 0]"), rowsShown(terminal));
  const std::string screen = terminal.text();
  BOOST_CHECK_MESSAGE(
      screen.find("Chat is full. Try again later.\nConnection closed by the server.\n[exit 0]") !=
          std::string::npos,
      rowsShown(terminal));
  BOOST_CHECK(screen.find("Reconnecting") == std::string::npos);
  checkSaneTerminal(terminal);
  BOOST_CHECK(bob.connected());
}

BOOST_AUTO_TEST_CASE(ctrl_c_while_it_waits_leaves_with_the_terminal_restored,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipUnlessNative()) return;
  RestartingServer server;
  Typist alice(server.port(), "Alice");
  alice.terminal.type("kept");
  BOOST_REQUIRE(alice.waitForInput("kept"));
  server.stop();
  // Past the first try: the client has been refused once and waits 2 s for the next.
  alice.requireShown("Reconnecting to " + server.target() + " in 2 s (Ctrl-C to leave)");
  BOOST_CHECK_MESSAGE(alice.terminal.text().find("Cannot connect to " + server.target() + ": ") !=
                          std::string::npos,
                      rowsShown(alice.terminal));
  BOOST_CHECK_MESSAGE(alice.waitForInput("kept"), rowsShown(alice.terminal));
  const std::int64_t pressed = net::monotonicMs();
  alice.terminal.keys({"C-c"});
  BOOST_CHECK_MESSAGE(alice.terminal.waitForText("[exit 0]"), rowsShown(alice.terminal));
  BOOST_TEST_MESSAGE("left " << net::monotonicMs() - pressed << " ms after Ctrl-C");
  checkSaneTerminal(alice.terminal);
}

BOOST_AUTO_TEST_CASE(a_connection_lost_in_a_network_that_vanished_rejoins_once_it_is_back,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutNamespaces()) return;
  TwoNetworks net(kClientKeepaliveS);
  net.terminal->type("typed before");
  net.loseTheNetworkForAWhile();
  // The server may not have given the old connection up yet: the client then waits for the name.
  const std::string rejoined =
      net.bob->readUntil("Alice has joined our chat...\n", kRejoinTimeoutMs);
  BOOST_CHECK_MESSAGE(rejoined.find("\nAlice has joined our chat...\n") != std::string::npos,
                      shown(rejoined) << rowsShown(*net.terminal));
  net.terminal->keys({"Enter"});
  const std::string got = net.bob->readUntil("][Alice]:typed before\n");
  BOOST_CHECK_MESSAGE(got.find("][Alice]:typed before\n") != std::string::npos,
                      shown(got) << rowsShown(*net.terminal));
  net.terminal->keys({"C-c"});
  BOOST_CHECK_MESSAGE(net.terminal->waitForText("[exit 0]"), rowsShown(*net.terminal));
}

BOOST_AUTO_TEST_CASE(a_name_still_held_by_the_old_connection_is_tried_again_until_free,
                     *nativeServerOnly(kNativeOnly)) {
  if (skipWithoutNamespaces()) return;
  // The server checks its clients only after a minute: it still holds Alice's old connection
  // when she comes back.
  constexpr int kServerKeepaliveS = 60;
  TwoNetworks net(kServerKeepaliveS);
  net.loseTheNetworkForAWhile();
  const std::string taken = "The name Alice is still taken";
  BOOST_REQUIRE_MESSAGE(net.terminal->waitForText(taken, kRejoinTimeoutMs),
                        rowsShown(*net.terminal));
  // Bob's message goes to the old connection too; the client's system, which knows it no more,
  // answers with a reset, and the server frees the name.
  BOOST_REQUIRE(net.bob->send("wake the ghost\n"));
  const std::string left = net.bob->readUntil("Alice has left our chat...\n");
  BOOST_REQUIRE_MESSAGE(left.find("\nAlice has left our chat...\n") != std::string::npos,
                        shown(left) << rowsShown(*net.terminal));
  const std::string rejoined =
      net.bob->readUntil("Alice has joined our chat...\n", kRejoinTimeoutMs);
  BOOST_CHECK_MESSAGE(rejoined.find("\nAlice has joined our chat...\n") != std::string::npos,
                      shown(rejoined) << rowsShown(*net.terminal));
  const std::string all = net.terminal->textWithScrollback();
  BOOST_CHECK_MESSAGE(all.find(taken) == all.rfind(taken), "said more than once:\n" << all);
  BOOST_CHECK(net.terminal->waitForText("][Bob]:wake the ghost"));
  net.terminal->keys({"C-c"});
  BOOST_CHECK_MESSAGE(net.terminal->waitForText("[exit 0]"), rowsShown(*net.terminal));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
