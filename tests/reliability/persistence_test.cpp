// End-to-end tests of --log (docs/netcat-chat.1): what is written, what a restart restores, and
// crashes.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/fixture.hpp"
#include "support/reliability.hpp"

namespace {

constexpr std::size_t kStampLength = 19;  // "YYYY-MM-DD HH:MM:SS"

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The chat messages of a log: "[ts][name]:text" lines; join and leave notices are "[ts] ...".
std::vector<std::string> messagesIn(const std::vector<std::string>& lines) {
  std::vector<std::string> messages;
  for (const std::string& line : lines) {
    if (line.size() > kStampLength + 2 && line[0] == '[' &&
        line.compare(kStampLength + 1, 2, "][") == 0) {
      messages.push_back(line);
    }
  }
  return messages;
}

// The chat line a client saw in `received`, which ends with "\n[ts][from]:text\n".
std::string lastChatLine(const std::string& received) {
  const std::string body = received.substr(0, received.size() - 1);
  return body.substr(body.rfind('\n') + 1);
}

// A newcomer's history: the lines it receives between its name and its first prompt.
std::vector<std::string> historySeenBy(std::uint16_t port, const std::string& name) {
  e2e::ChatClient client;
  BOOST_REQUIRE(client.connectAndReadBanner("127.0.0.1", port));
  const std::string got = client.join(name);
  const std::string prompt_end = "][" + name + "]:";
  BOOST_REQUIRE_MESSAGE(rel::endsWith(got, prompt_end), "no prompt after the history");
  const std::size_t prompt = 1 + kStampLength + prompt_end.size();
  return linesOf(got.substr(0, got.size() - prompt));
}

std::string numbered(int i) { return "message " + std::to_string(i); }

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_persistence)

BOOST_AUTO_TEST_CASE(messages_are_logged_as_the_lines_clients_saw_and_restored_exactly) {
  rel::TemporaryDirectory dir;
  const std::string log = dir.path() + "/chat.log";
  std::vector<std::string> seen;
  {
    auto server = e2e::startServer({"--log", log});
    e2e::ChatClient alice, bob;
    BOOST_REQUIRE(rel::joinAs(alice, server->port(), "alice"));
    BOOST_REQUIRE(rel::joinAs(bob, server->port(), "bob"));
    for (const std::string& text :
         std::vector<std::string>{"hello world", "  spaced \xc3\xa9t\xc3\xa9 ", "[not] a name"}) {
      BOOST_REQUIRE(alice.send(text + "\n"));
      std::string got;
      BOOST_REQUIRE(rel::readTo(bob, "]:" + text + "\n", &got));
      seen.push_back(lastChatLine(got));
    }
    BOOST_CHECK(server->stop().exitedWith(0));
  }
  const std::vector<std::string> logged = messagesIn(linesOf(readFile(log)));
  BOOST_CHECK_EQUAL_COLLECTIONS(logged.begin(), logged.end(), seen.begin(), seen.end());

  auto again = e2e::startServer({"--log", log});
  const std::vector<std::string> history = historySeenBy(again->port(), "carol");
  BOOST_CHECK_EQUAL_COLLECTIONS(history.begin(), history.end(), seen.begin(), seen.end());
}

BOOST_AUTO_TEST_CASE(kill_9_then_restart_loses_no_received_message_and_duplicates_none) {
  // Enough that the crash comes while most of them are still on their way.
  constexpr int kSent = 20000;
  constexpr int kReceivedBeforeKill = 100;
  rel::TemporaryDirectory dir;
  const std::string log = dir.path() + "/chat.log";
  std::vector<std::string> received;
  {
    // History holds every message sent, however many arrive before the kill on a fast machine.
    // Alice's burst goes at the speed of the socket, not of flood control.
    auto server =
        e2e::startServer({"--log", log, "--history", std::to_string(kSent), "--rate", "0"});
    e2e::ChatClient alice, bob;
    BOOST_REQUIRE(rel::joinAs(alice, server->port(), "alice"));
    BOOST_REQUIRE(rel::joinAs(bob, server->port(), "bob"));
    std::string burst;
    for (int i = 0; i < kSent; ++i) burst += numbered(i) + "\n";
    alice.sendAvailable(burst);
    std::string got;
    BOOST_REQUIRE(rel::readTo(bob, "]:" + numbered(kReceivedBeforeKill) + "\n", &got));
    server->stop(e2e::StopSignal::Kill);
    // Everything bob's socket got before the crash, whole lines only.
    got += bob.readAvailable();
    for (const std::string& line : linesOf(got)) {
      const std::size_t text = line.find("]:message ");
      if (text != std::string::npos && line.back() != ':')
        received.push_back(line.substr(text + 2));
    }
    if (got.back() != '\n' && !received.empty()) received.pop_back();
  }
  auto again = e2e::startServer({"--log", log, "--history", std::to_string(kSent)});
  const std::vector<std::string> history = historySeenBy(again->port(), "carol");
  std::vector<std::string> texts;
  for (const std::string& line : history) {
    texts.push_back(line.substr(line.find("]:", kStampLength) + 2));
  }
  // The log holds what was sent, in order, nothing missing or twice, up to where the crash cut
  // it, and at least everything bob was sent.
  BOOST_REQUIRE_GE(texts.size(), received.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    BOOST_REQUIRE_EQUAL(texts[i], numbered(static_cast<int>(i)));
  }
  for (std::size_t i = 0; i < received.size(); ++i) {
    BOOST_REQUIRE_EQUAL(received[i], numbered(static_cast<int>(i)));
  }
  BOOST_TEST_MESSAGE("kill -9 after " << received.size() << " of " << kSent
                                      << " messages reached bob; the log kept " << texts.size());
}

BOOST_AUTO_TEST_CASE(torn_last_line_is_cut_and_not_restored) {
  rel::TemporaryDirectory dir;
  const std::string log = dir.path() + "/chat.log";
  std::string before;
  {
    auto server = e2e::startServer({"--log", log});
    e2e::ChatClient alice, bob;
    BOOST_REQUIRE(rel::joinAs(alice, server->port(), "alice"));
    BOOST_REQUIRE(rel::joinAs(bob, server->port(), "bob"));
    BOOST_REQUIRE(alice.send("before\n"));
    std::string got;
    BOOST_REQUIRE(rel::readTo(bob, "]:before\n", &got));
    before = lastChatLine(got);
    BOOST_CHECK(server->stop().exitedWith(0));
  }
  {
    std::ofstream torn(log, std::ios::binary | std::ios::app);
    torn << "[2020-01-20 15:48:41][eve]:torn in the mid";
  }
  auto again = e2e::startServer({"--log", log});
  const std::vector<std::string> history = historySeenBy(again->port(), "carol");
  BOOST_CHECK_EQUAL_COLLECTIONS(history.begin(), history.end(), &before, &before + 1);
  e2e::ChatClient dave, erin;
  BOOST_REQUIRE(rel::joinAs(dave, again->port(), "dave"));
  BOOST_REQUIRE(rel::joinAs(erin, again->port(), "erin"));
  BOOST_REQUIRE(dave.send("after\n"));
  std::string got;
  BOOST_REQUIRE(rel::readTo(erin, "]:after\n", &got));
  BOOST_CHECK(again->stop().exitedWith(0));
  const std::string text = readFile(log);
  BOOST_CHECK(text.find("torn") == std::string::npos);
  const std::vector<std::string> messages = messagesIn(linesOf(text));
  const std::vector<std::string> expected{before, lastChatLine(got)};
  BOOST_CHECK_EQUAL_COLLECTIONS(messages.begin(), messages.end(), expected.begin(), expected.end());
}

BOOST_AUTO_TEST_CASE(history_option_limits_what_is_reloaded) {
  constexpr int kMessages = 6;
  constexpr int kKept = 2;
  rel::TemporaryDirectory dir;
  const std::string log = dir.path() + "/chat.log";
  std::vector<std::string> seen;
  {
    auto server = e2e::startServer({"--log", log});
    e2e::ChatClient alice, bob;
    BOOST_REQUIRE(rel::joinAs(alice, server->port(), "alice"));
    BOOST_REQUIRE(rel::joinAs(bob, server->port(), "bob"));
    for (int i = 0; i < kMessages; ++i) {
      BOOST_REQUIRE(alice.send(numbered(i) + "\n"));
      std::string got;
      BOOST_REQUIRE(rel::readTo(bob, "]:" + numbered(i) + "\n", &got));
      seen.push_back(lastChatLine(got));
    }
    BOOST_CHECK(server->stop().exitedWith(0));
  }
  auto again = e2e::startServer({"--log", log, "--history", std::to_string(kKept)});
  const std::vector<std::string> history = historySeenBy(again->port(), "carol");
  BOOST_CHECK_EQUAL_COLLECTIONS(history.begin(), history.end(), seen.end() - kKept, seen.end());
}

BOOST_AUTO_TEST_CASE(unusable_log_path_exits_1_with_one_clear_line) {
  rel::TemporaryDirectory dir;
  for (const std::string& path : {dir.path(), dir.path() + "/no/such/dir/chat.log"}) {
    const e2e::RunResult run = e2e::runServer({std::to_string(e2e::pickFreePort()), "--log", path});
    BOOST_REQUIRE_MESSAGE(run.status, "the server did not end: " << run.failure);
    BOOST_CHECK_MESSAGE(run.status->exitedWith(1), run.status->describe());
    BOOST_CHECK(run.out.find("Listening") == std::string::npos);
    const std::string& err = run.err;
    BOOST_CHECK_MESSAGE(err.find(path) != std::string::npos,
                        "stderr does not name " << path << ": " << err);
    BOOST_CHECK_EQUAL(linesOf(err).size(), 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
