// End-to-end checks of flood control and the per-address limit (docs/netcat-chat.1;
// docs/PROTOCOL.md §10.1) against the binary.
#include <algorithm>
#include <optional>
#include <vector>

#include "e2e/fixture.hpp"

namespace e2e {
namespace {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;
// The defaults of docs/netcat-chat.1: 20 lines at once, then one every 500 ms.
constexpr int kBurst = 20;
constexpr std::int64_t kDefaultIntervalMs = 500;
// Server and test read the same monotonic clock, each rounding to its own millisecond.
constexpr std::int64_t kClockSlackMs = 5;
// "At once" on a loaded machine: far less than the 9.5 s the rate would need for 19 lines.
constexpr std::int64_t kAtOnceMs = 3000;
// The flood scenario of issue 11: 4000-byte lines for 5 s beside a reader taking 16 KiB every
// 100 ms; the others' round trip stays under 0.5 s and the server grows by less than 16 MiB.
constexpr std::size_t kFloodLineBytes = 4000;
constexpr std::int64_t kFloodMs = 5000;
constexpr std::size_t kSlowReadBytes = 16 * kKiB;
constexpr std::int64_t kSlowReadEveryMs = 100;
constexpr std::int64_t kPingEveryMs = 250;
constexpr std::int64_t kMaxRoundTripMs = 500;
constexpr std::uint64_t kMaxGrowthBytes = 16 * kMiB;

std::string numbered(int i) { return "paste line " + std::to_string(i); }

std::string pasteOf(int lines) {
  std::string out;
  for (int i = 1; i <= lines; ++i) out += numbered(i) + "\n";
  return out;
}

// Connects and names a client outside the fixture's members, for a test that reads it itself.
std::unique_ptr<ChatClient> joinLoose(ChatServer& server, const std::string& name,
                                      bool small_buffer = false) {
  auto client = std::make_unique<ChatClient>();
  const bool connected = small_buffer
                             ? client->connectWithSmallReceiveBuffer("127.0.0.1", server.port())
                             : client->connect("127.0.0.1", server.port());
  BOOST_REQUIRE_MESSAGE(connected, "connect failed: " << client->lastError().message);
  BOOST_REQUIRE_EQUAL(shown(client->readExactly(kBanner.size())), shown(kBanner));
  const std::string reply = client->join(name);
  const std::string end = "][" + name + "]:";
  BOOST_REQUIRE_MESSAGE(
      reply.size() >= end.size() && reply.substr(reply.size() - end.size()) == end,
      "no prompt for " << name << ": " << shown(reply));
  return client;
}

// Reads `paster`'s numbered lines 1..count at `reader`, each checked byte for byte; returns when
// each arrived.
std::vector<std::int64_t> readPaste(ChatClient& reader, const std::string& me,
                                    const std::string& paster, int count, std::int64_t timeout_ms) {
  std::vector<std::int64_t> arrived;
  for (int i = 1; i <= count; ++i) {
    const std::string expected = messageTo(me, paster, numbered(i));
    const std::string got = reader.readLike(expected, timeout_ms);
    BOOST_REQUIRE_EQUAL(shown(got), shown(expected));
    arrived.push_back(net::monotonicMs());
  }
  return arrived;
}

bool logHas(ChatServer& server, std::string_view text) {
  return server.process().output().find(text) != std::string::npos;
}

// The loopback addresses 127.0.0.2 and 127.0.0.3 stand in for other computers.
std::unique_ptr<ChatClient> connectFrom(ChatServer& server, const std::string& source) {
  auto client = std::make_unique<ChatClient>();
  BOOST_REQUIRE_MESSAGE(client->connectFrom(source, "127.0.0.1", server.port()),
                        "connect from " << source << " failed: " << client->lastError().message);
  return client;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_flood)

BOOST_AUTO_TEST_CASE(paste_of_thirty_lines_arrives_whole_first_at_once_then_at_the_rate) {
  ChatServer server;
  server.join("Reader");
  const std::int64_t before_name = net::monotonicMs();
  ChatClient& paster = server.join("Paster");  // the name is one line of the burst
  const std::int64_t sent = net::monotonicMs();
  BOOST_REQUIRE(paster.send(pasteOf(30)));
  const std::vector<std::int64_t> arrived = readPaste(server.member("Reader"), "Reader", "Paster",
                                                      30, 11 * kDefaultIntervalMs + kReadTimeoutMs);
  std::string prompts;
  for (int i = 0; i < 30; ++i) prompts += prompt("Paster");
  CHECK_RECEIVES(paster, prompts);
  const std::int64_t at_once_ms = arrived[kBurst - 2] - sent;
  const std::int64_t last_ms = arrived.back() - before_name;
  BOOST_TEST_MESSAGE("19 lines after " << at_once_ms << " ms, the 30th " << last_ms
                                       << " ms after the name");
  BOOST_TEST(at_once_ms < kAtOnceMs);
  // Line 20 of the paste is the 21st line: due 500 ms after the name, then one every 500 ms.
  BOOST_TEST(arrived[kBurst - 1] - before_name >= kDefaultIntervalMs - kClockSlackMs);
  BOOST_TEST(last_ms >= 11 * kDefaultIntervalMs - kClockSlackMs);
}

BOOST_AUTO_TEST_CASE(custom_rate_and_burst_pace_a_paste) {
  ChatServer server({"--rate", "4", "--burst", "5"});
  server.join("Reader");
  const std::int64_t before_name = net::monotonicMs();
  ChatClient& paster = server.join("Paster");
  const std::int64_t sent = net::monotonicMs();
  BOOST_REQUIRE(paster.send(pasteOf(10)));
  const std::vector<std::int64_t> arrived =
      readPaste(server.member("Reader"), "Reader", "Paster", 10, kReadTimeoutMs);
  BOOST_TEST(arrived[3] - sent < kAtOnceMs);  // the name and 4 lines: the burst of 5
  // Then one every 250 ms: the 10th line of the paste is due 6 intervals after the name.
  BOOST_TEST(arrived[4] - before_name >= 250 - kClockSlackMs);
  BOOST_TEST(arrived[9] - before_name >= 6 * 250 - kClockSlackMs);
}

BOOST_AUTO_TEST_CASE(rate_0_delivers_a_long_paste_at_once) {
  ChatServer server({"--rate", "0"});
  server.join("Reader");
  ChatClient& paster = server.join("Paster");
  // At the default rate these would take 90 s; here they come within one read timeout.
  BOOST_REQUIRE(paster.send(pasteOf(200)));
  std::string expected;
  for (int i = 1; i <= 200; ++i) expected += messageTo("Reader", "Paster", numbered(i));
  CHECK_RECEIVES(server.member("Reader"), expected);
}

BOOST_AUTO_TEST_CASE(flooder_beside_a_slow_reader_slows_only_itself) {
  ChatServer server;
  auto slow = joinLoose(server, "Slow", true);
  auto flooder = joinLoose(server, "Flooder");
  ChatClient& ann = server.join("Ann");
  ChatClient& ben = server.join("Ben");
  const std::optional<std::uint64_t> rss_before = server.process().residentBytes();

  std::string line(kFloodLineBytes, 'f');
  line += "\n";
  std::string outgoing;
  std::size_t flooded = 0;
  std::int64_t worst_round_trip = 0;
  int pings = 0;
  const std::int64_t start = net::monotonicMs();
  std::int64_t next_slow_read = start;
  std::int64_t next_ping = start;
  for (std::int64_t now = start; now - start < kFloodMs; now = net::monotonicMs()) {
    while (outgoing.size() < 64 * kKiB) outgoing += line;
    const std::size_t taken = flooder->sendAvailable(outgoing);
    outgoing.erase(0, taken);
    flooded += taken;
    flooder->readAvailable();
    ann.readAvailable();
    if (now >= next_slow_read) {
      slow->readSome(kSlowReadBytes);
      next_slow_read += kSlowReadEveryMs;
    }
    if (now >= next_ping) {
      const std::string text = "ping " + std::to_string(++pings);
      const std::int64_t asked = net::monotonicMs();
      BOOST_REQUIRE(ann.send(text + "\n"));
      BOOST_REQUIRE_MESSAGE(
          ben.readUntil("][Ann]:" + text + "\n").find("][Ann]:" + text) != std::string::npos,
          "Ben never got " << text);
      worst_round_trip = std::max(worst_round_trip, net::monotonicMs() - asked);
      next_ping = net::monotonicMs() + kPingEveryMs;
    }
    ben.readFor(5);  // a terminal reads as output comes; this is also the loop's pace
  }
  const std::optional<std::uint64_t> rss_after = server.process().residentBytes();
  BOOST_TEST_MESSAGE("flooder pushed " << flooded / kKiB << " KiB in " << kFloodMs
                                       << " ms; worst bystander round trip " << worst_round_trip
                                       << " ms over " << pings << " pings; server RSS "
                                       << (rss_before ? *rss_before / kKiB : 0) << " KiB before, "
                                       << (rss_after ? *rss_after / kKiB : 0) << " KiB after");
  // A flood indeed: many times the 30-odd lines (120 KB) that the allowance let through, the rest
  // waiting in TCP buffers.
  BOOST_TEST(flooded > kMiB);
  BOOST_TEST(pings >= 5);
  BOOST_TEST(worst_round_trip < kMaxRoundTripMs);
  if (rss_before && rss_after && !serverRunsUnderRunner()) {
    BOOST_TEST(*rss_after < *rss_before + kMaxGrowthBytes);
  }
  // Everyone is still there, the flooder included, and hears the last word.
  BOOST_REQUIRE(ann.send("last word\n"));
  for (ChatClient* client : {&ben, slow.get(), flooder.get()}) {
    const std::string got = client->readUntil("][Ann]:last word\n", 3 * kReadTimeoutMs);
    BOOST_TEST(got.find("][Ann]:last word\n") != std::string::npos);
    BOOST_TEST(!client->peerClosed());
  }
  BOOST_TEST(!logHas(server, "\"Slow\" left"));
  BOOST_TEST(!logHas(server, "\"Flooder\" left"));
}

BOOST_AUTO_TEST_CASE(rate_0_lets_the_same_flood_get_the_slow_reader_dropped) {
  ChatServer server({"--rate", "0"});
  auto slow = joinLoose(server, "Slow", true);
  auto flooder = joinLoose(server, "Flooder");
  std::string line(kFloodLineBytes, 'f');
  line += "\n";
  std::string outgoing;
  const std::int64_t start = net::monotonicMs();
  std::int64_t next_slow_read = start;
  // What the server still had queued for it reaches the reader long after the drop; the log
  // says at once.
  bool dropped = false;
  while (!dropped && net::monotonicMs() - start < 3 * kFloodMs) {
    while (outgoing.size() < 64 * kKiB) outgoing += line;
    outgoing.erase(0, flooder->sendAvailable(outgoing));
    flooder->readAvailable();
    if (net::monotonicMs() >= next_slow_read) {
      slow->readSome(kSlowReadBytes);
      next_slow_read += kSlowReadEveryMs;
    }
    flooder->readFor(1);
    dropped = logHas(server, "\"Slow\" left: too slow");
  }
  BOOST_TEST(dropped);
  BOOST_TEST_MESSAGE("without flood control the slow reader was dropped after "
                     << net::monotonicMs() - start << " ms");
}

BOOST_AUTO_TEST_CASE(max_per_address_refuses_one_more_from_the_same_address_only) {
  ChatServer server({"--max-per-address", "2"});
  auto first = connectFrom(server, "127.0.0.2");
  REQUIRE_RECEIVES(*first, kBanner);
  auto second = connectFrom(server, "127.0.0.2");
  REQUIRE_RECEIVES(*second, kBanner);
  auto third = connectFrom(server, "127.0.0.2");
  BOOST_TEST(shown(third->readUntilClosed()) == shown("Too many connections from your address.\n"));
  BOOST_TEST(third->peerClosed());
  auto other = connectFrom(server, "127.0.0.3");
  REQUIRE_RECEIVES(*other, kBanner);
  BOOST_REQUIRE(other->send("Other\n"));
  REQUIRE_RECEIVES(*other, prompt("Other"));
  BOOST_REQUIRE(first->send("First\n"));
  REQUIRE_RECEIVES(*first, prompt("First"));
  CHECK_RECEIVES(*other, joinNoticeTo("Other", "First"));
  // The refused one took no seat and was noted; once a seat of 127.0.0.2 is free, it is taken.
  BOOST_TEST(logHas(server, "rejected: too many connections from 127.0.0.2 (2 at once)"));
  first->close();
  CHECK_RECEIVES(*other, leaveNoticeTo("Other", "First"));
  auto again = connectFrom(server, "127.0.0.2");
  CHECK_RECEIVES(*again, kBanner);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
