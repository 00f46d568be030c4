// End-to-end abuse tests (docs/PROTOCOL.md §10.2): one client misbehaves, the others are served,
// memory bounded.
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "e2e/fixture.hpp"
#include "fuzz/utf8_check.hpp"
#include "support/reliability.hpp"

namespace {

constexpr std::size_t kMiB = 1024 * 1024;
// docs/PROTOCOL.md §10.2: "answers every other client on time": a message from one bystander to
// another arrives within this, measured while the abuse goes on.
constexpr std::int64_t kServedWithinMs = 1000;
// The server's peak resident memory under any abuse here. Its own limits add up to far less
// (1 MiB of output per client, 4 KiB of input per client, 64 KiB read buffer); AddressSanitizer
// keeps freed memory in quarantine and shadows all of it, so that build gets more room.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kPeakMemoryKiB = 512 * 1024;
#else
constexpr std::uint64_t kPeakMemoryKiB = 64 * 1024;
#endif

// Abusers send megabytes of lines to try the filters and the bounds on memory; flood control would
// pace them to 2 lines a second, so it is off here, and has tests of its own (e2e_flood).
std::vector<std::string> withoutFloodControl(std::vector<std::string> options) {
  options.insert(options.end(), {"--rate", "0"});
  return options;
}

// A running server, two bystanders who measure how fast they are served, and what they saw.
class Abuse {
 public:
  explicit Abuse(const std::vector<std::string>& options = {})
      : server_(e2e::startServer(withoutFloodControl(options))) {
    BOOST_REQUIRE(rel::joinAs(alice_, port(), "alice"));
    BOOST_REQUIRE(rel::joinAs(bob_, port(), "bob"));
  }

  ~Abuse() {
    BOOST_CHECK_MESSAGE(server_->running(), "the server ended: " << server_->errors());
    BOOST_TEST_MESSAGE("slowest bystander round trip " << slowest_ms_ << " ms");
  }

  e2e::ServerProcess& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  e2e::ChatClient& bob() { return bob_; }

  // A marker message each way between the bystanders, each within kServedWithinMs.
  void checkServed() {
    passMarker(alice_, bob_, bob_seen_);
    passMarker(bob_, alice_, alice_seen_);
  }

  // Every byte the bystanders received is printable UTF-8: nothing an abuser sent could drive
  // their terminals.
  void checkBystandersSawOnlyText() {
    alice_seen_ += alice_.readAvailable();
    bob_seen_ += bob_.readAvailable();
    for (const std::string* seen : {&alice_seen_, &bob_seen_}) {
      BOOST_CHECK(fuzz::isStrictUtf8(*seen));
      BOOST_CHECK(!fuzz::hasControl(*seen, '\n'));
    }
  }

  // Bystanders read what has come, as a person's terminal does; one that stopped reading for
  // long enough would rightly be dropped as too slow (docs/PROTOCOL.md §10.2).
  void bystandersRead() {
    alice_seen_ += alice_.readAvailable();
    bob_seen_ += bob_.readAvailable();
  }

  const std::string& bobSaw() const { return bob_seen_; }
  // Bob reads up to `token`, which must come in time; what he read is kept for the checks.
  bool bobReads(const std::string& token) {
    std::string got;
    const bool arrived = rel::readTo(bob_, token, &got);
    bob_seen_ += got;
    return arrived;
  }

  // Peak resident memory so far is within kPeakMemoryKiB (skipped where /proc is not the
  // server's own, under Wine).
  void checkMemory(const char* what) {
    const auto peak = rel::statusKiB(*server_, "VmHWM");
    if (!peak) return;
    BOOST_TEST_MESSAGE(what << ": server peak VmHWM " << *peak << " KiB");
    BOOST_CHECK_LE(*peak, kPeakMemoryKiB);
  }

 private:
  void passMarker(e2e::ChatClient& from, e2e::ChatClient& to, std::string& to_seen) {
    const std::string marker = "served-" + std::to_string(++markers_);
    const std::int64_t start = net::monotonicMs();
    BOOST_REQUIRE(from.send(marker + "\n"));
    std::string got;
    BOOST_REQUIRE_MESSAGE(rel::readTo(to, "]:" + marker + "\n", &got),
                          "a bystander was not served: no " << marker);
    to_seen += got;
    const std::int64_t took = net::monotonicMs() - start;
    slowest_ms_ = std::max(slowest_ms_, took);
    BOOST_CHECK_LE(took, kServedWithinMs);
  }

  std::unique_ptr<e2e::ServerProcess> server_;
  e2e::ChatClient alice_;
  e2e::ChatClient bob_;
  std::string alice_seen_;
  std::string bob_seen_;
  int markers_ = 0;
  std::int64_t slowest_ms_ = 0;
};

std::string randomBytes(std::mt19937& random, std::size_t count) {
  std::string bytes(count, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
  return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_abuse)

BOOST_AUTO_TEST_CASE(fifty_megabyte_line_without_newline_is_refused_and_others_are_served) {
  constexpr std::size_t kTotal = 50 * kMiB;
  constexpr std::size_t kSlice = kMiB;
  constexpr std::size_t kCheckEvery = 5 * kMiB;
  Abuse abuse;
  e2e::ChatClient zed;
  BOOST_REQUIRE(rel::joinAs(zed, abuse.port(), "zed"));
  const std::string slice(kSlice, 'z');
  for (std::size_t sent = 0; sent < kTotal; sent += kSlice) {
    BOOST_REQUIRE_MESSAGE(zed.send(slice), "the server stopped reading after " << sent);
    if ((sent + kSlice) % kCheckEvery == 0) abuse.checkServed();
  }
  BOOST_REQUIRE(zed.send("\n"));
  BOOST_CHECK(rel::readTo(zed, "Message too long (max 4096 bytes); not sent.\n"));
  BOOST_CHECK(rel::readTo(zed, "[zed]:"));
  BOOST_REQUIRE(zed.send("still here\n"));
  BOOST_CHECK(abuse.bobReads("][zed]:still here\n"));
  BOOST_CHECK(abuse.bobSaw().find("zzzz") == std::string::npos);
  abuse.checkMemory("50 MB line");
}

BOOST_AUTO_TEST_CASE(client_that_never_reads_is_dropped_while_others_get_20_megabytes) {
  constexpr std::size_t kTotal = 20 * kMiB;
  constexpr std::size_t kLineBytes = 4000;
  constexpr int kLinesPerBatch = 64;
  Abuse abuse;
  e2e::ChatClient lurker;
  BOOST_REQUIRE(rel::joinAs(lurker, abuse.port(), "lurker"));
  e2e::ChatClient carol;
  BOOST_REQUIRE(rel::joinAs(carol, abuse.port(), "carol"));
  bool lurker_left = false;
  int line = 0;
  for (std::size_t sent = 0; sent < kTotal;) {
    std::string batch;
    for (int i = 0; i < kLinesPerBatch; ++i, ++line) {
      std::string text = "bulk-" + std::to_string(line) + " ";
      text.resize(kLineBytes, 'b');
      batch += text + "\n";
    }
    BOOST_REQUIRE(carol.send(batch));
    sent += batch.size();
    std::string got;
    BOOST_REQUIRE_MESSAGE(
        rel::readTo(abuse.bob(), "]:bulk-" + std::to_string(line - 1) + " ", &got),
        "bob did not get the bulk messages up to " << line - 1);
    lurker_left = lurker_left || got.find("\nlurker has left our chat...\n") != std::string::npos;
    carol.readAvailable();
    if (line % (kLinesPerBatch * 8) == 0) abuse.checkServed();
  }
  BOOST_CHECK_MESSAGE(lurker_left, "the client that never read was not dropped as too slow");
  abuse.checkServed();
  abuse.checkMemory("20 MB to a client that never reads");
}

BOOST_AUTO_TEST_CASE(five_hundred_rapid_connect_close_cycles_leave_no_descriptor_behind) {
  constexpr int kCycles = 500;
  Abuse abuse;
  const auto baseline = rel::openDescriptors(abuse.server());
  for (int i = 0; i < kCycles; ++i) {
    e2e::ChatClient churn;
    BOOST_REQUIRE_MESSAGE(churn.connect("127.0.0.1", abuse.port()), "connect " << i << " failed");
    switch (i % 4) {
      case 0:
        churn.close();
        break;
      case 1:
        churn.reset();
        break;
      case 2:
        churn.readUntil("]: ");  // the name prompt, or "Chat is full" and the close
        churn.close();
        break;
      default:
        churn.send("half a na");
        churn.reset();
        break;
    }
    if (i % 50 == 49) abuse.checkServed();
  }
  abuse.checkServed();
  if (baseline) {
    // Closed sockets leave the server's loop within its two-second closing grace.
    const std::int64_t deadline = net::monotonicMs() + e2e::kReadTimeoutMs;
    auto now_open = rel::openDescriptors(abuse.server());
    while (now_open != baseline && net::monotonicMs() < deadline) {
      abuse.checkServed();
      now_open = rel::openDescriptors(abuse.server());
    }
    BOOST_CHECK_EQUAL(now_open.value_or(0), *baseline);
  }
  abuse.checkMemory("500 connect/close cycles");
}

BOOST_AUTO_TEST_CASE(connections_silent_at_the_name_prompt_are_timed_out_and_free_their_slots) {
  constexpr int kRounds = 3;
  constexpr int kSilent = 8;  // the slots left beside the two bystanders
  // One second of --name-timeout, plus the loop turn that notices it and a slow machine.
  constexpr std::int64_t kTimeoutSlackMs = 4000;
  Abuse abuse({"--name-timeout", "1", "--max-clients", "10"});
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::unique_ptr<e2e::ChatClient>> silent;
    const std::int64_t start = net::monotonicMs();
    for (int i = 0; i < kSilent; ++i) {
      silent.push_back(std::make_unique<e2e::ChatClient>());
      BOOST_REQUIRE(silent.back()->connectAndReadBanner("127.0.0.1", abuse.port()));
    }
    abuse.checkServed();
    for (auto& client : silent) {
      BOOST_CHECK(
          rel::readTo(*client, "Timed out waiting for a name.\n", nullptr, 1000 + kTimeoutSlackMs));
      client->readUntilClosed(kTimeoutSlackMs);
      BOOST_CHECK(client->peerClosed());
    }
    BOOST_CHECK_LE(net::monotonicMs() - start, 1000 + kTimeoutSlackMs);
    abuse.checkServed();
  }
  e2e::ChatClient late;
  BOOST_CHECK(rel::joinAs(late, abuse.port(), "late"));
  abuse.checkMemory("silent connections at the name prompt");
}

BOOST_AUTO_TEST_CASE(random_binary_from_named_and_unnamed_clients_reaches_no_one_as_control) {
  constexpr std::size_t kBytesEach = 2 * kMiB;
  constexpr std::size_t kChunk = 16 * 1024;
  constexpr std::size_t kCheckEvery = 256 * 1024;
  Abuse abuse;
  std::mt19937 random(20200120);
  std::vector<std::unique_ptr<e2e::ChatClient>> noisy;
  for (int i = 0; i < 4; ++i) {
    noisy.push_back(std::make_unique<e2e::ChatClient>());
    if (i < 2) {
      BOOST_REQUIRE(rel::joinAs(*noisy.back(), abuse.port(), "noise" + std::to_string(i)));
    } else {
      BOOST_REQUIRE(noisy.back()->connect("127.0.0.1", abuse.port()));
    }
  }
  for (std::size_t sent = 0; sent < kBytesEach; sent += kChunk) {
    for (auto& client : noisy) {
      // A client the server closed (it typed "/quit" by chance, or its line made it leave) is
      // simply left behind.
      if (client->connected() && !client->peerClosed()) {
        client->sendAvailable(randomBytes(random, kChunk));
      }
      client->readAvailable();
      abuse.bystandersRead();
    }
    if ((sent + kChunk) % kCheckEvery == 0) abuse.checkServed();
  }
  abuse.checkServed();
  abuse.checkBystandersSawOnlyText();
  abuse.checkMemory("random binary");
}

BOOST_AUTO_TEST_CASE(ansi_and_telnet_floods_are_stripped_and_others_are_served) {
  constexpr std::size_t kBytesEach = 2 * kMiB;
  constexpr std::size_t kCheckEvery = 256 * 1024;
  Abuse abuse;
  e2e::ChatClient ansi, iac, iac_at_prompt;
  BOOST_REQUIRE(rel::joinAs(ansi, abuse.port(), "ansi"));
  BOOST_REQUIRE(rel::joinAs(iac, abuse.port(), "iac"));
  BOOST_REQUIRE(iac_at_prompt.connect("127.0.0.1", abuse.port()));
  const std::string ansi_line =
      "\x1b[2J\x1b[H\x1b[31mred\x1b[0m\x1b]0;owned\x07\xc2\x9b"
      "6n\x1b"
      "c\rfake\x08\x7f line\n";
  // Negotiations, a subnegotiation that never ends, escaped 255s and a few data bytes.
  std::string iac_line = "\xff\xfb\x01\xff\xfd\x03\xff\xfa\x18\x01xterm\xff\xf0ok\xff\xff\n";
  iac_line += "\xff\xfa\x1f" + std::string(1500, 'S') + "\n";
  std::string ansi_flood, iac_flood;
  while (ansi_flood.size() < kCheckEvery) ansi_flood += ansi_line;
  while (iac_flood.size() < kCheckEvery) iac_flood += iac_line;
  for (std::size_t sent = 0; sent < kBytesEach; sent += kCheckEvery) {
    BOOST_REQUIRE(ansi.send(ansi_flood));
    BOOST_REQUIRE(iac.send(iac_flood));
    if (!iac_at_prompt.peerClosed()) iac_at_prompt.sendAvailable(iac_flood);
    for (e2e::ChatClient* client : {&ansi, &iac, &iac_at_prompt}) client->readAvailable();
    abuse.checkServed();
  }
  BOOST_REQUIRE(ansi.send("\x1b[1mbold\x1b[0m end\n"));
  BOOST_CHECK(abuse.bobReads("][ansi]:[1mbold[0m end\n"));
  abuse.checkBystandersSawOnlyText();
  abuse.checkMemory("ANSI and IAC floods");
}

BOOST_AUTO_TEST_SUITE_END()
