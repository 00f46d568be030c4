// Soak test: ten clients chat at random against the real server, half of them misbehaving.
//
// The server must deliver every message once, in one order, and give back what it took.
//
// NETCAT_CHAT_SOAK_SECONDS sets how long the chatter goes on (default 60).
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "e2e/fixture.hpp"
#include "fuzz/utf8_check.hpp"
#include "support/reliability.hpp"

namespace {

constexpr std::int64_t kDefaultSeconds = 60;
constexpr int kSteadySenders = 4;  // connected throughout, always reading, chatting
constexpr int kChaotic = 5;        // misbehave, reset, reconnect, stop reading
// One turn of the load: the observer waits this long for news before everyone acts again.
constexpr std::int64_t kTurnMs = 10;
// Per turn: a steady sender talks about 20 times a second, a chaotic client acts 5 times.
constexpr double kSteadyTalk = 0.2;
constexpr double kChaoticAct = 0.05;
constexpr std::size_t kMaxPadding = 3000;
constexpr std::size_t kOversized = 5000;  // beyond the 4096-byte line limit
// A dropped or closed chaotic client comes back after this long at most.
constexpr std::int64_t kMaxAwayMs = 1000;
// Long enough, with the steady traffic, to overflow the server's 1 MiB queue for the client.
constexpr std::int64_t kMinDeafMs = 5000;
constexpr std::int64_t kMaxDeafMs = 20000;
// Resident memory may grow this much after the first quarter of the run (allocator slack);
// a leak per message or per connection would pass it within seconds.
constexpr std::uint64_t kRssGrowthKiB = 16 * 1024;
constexpr int kHistory = 100;

std::int64_t soakMs() {
  const std::string value = e2e::environmentValue("NETCAT_CHAT_SOAK_SECONDS");
  const long seconds = value.empty() ? kDefaultSeconds : std::strtol(value.c_str(), nullptr, 10);
  return 1000 * std::max<long>(1, seconds);
}

// A chat message is "<token>" and padding; nothing else a client can receive holds "]:<".
std::string tokenIn(const std::string& line) {
  const std::size_t at = line.find("]:<");
  if (at == std::string::npos) return {};
  const std::size_t end = line.find('>', at);
  return end == std::string::npos ? std::string() : line.substr(at + 3, end - at - 3);
}

enum class State { Away, AtBanner, Naming, Chatting };

struct Peer {
  std::string base;  // "obs", "s1", "c5": names are base, or base-N for the Nth connection
  bool steady = false;
  bool sends = false;
  State state = State::Away;
  int connections = 0;
  std::string name;
  std::unique_ptr<e2e::ChatClient> client;
  std::string in;                 // received, not yet a whole line
  std::string out;                // to send, not yet taken by the socket
  std::vector<std::string> seen;  // tokens of this connection, in the order received
  std::string half_token;         // a message sent in part, to be finished or cut by a reset
  std::int64_t back_at = 0;       // when Away: reconnect then; when Chatting: reading resumes then
  bool hung_up = false;           // this side closed on purpose
  int seq = 0;
};

class Soak {
 public:
  Soak() : random_(2020) {
    // Steady senders talk 20 times a second, ten times the flood allowance.
    server_ = e2e::startServer(
        {"--max-clients", "20", "--history", std::to_string(kHistory), "--rate", "0"});
    baseline_fds_ = rel::openDescriptors(*server_);
    peers_.resize(1 + kSteadySenders + kChaotic);
    for (std::size_t i = 0; i < peers_.size(); ++i) {
      Peer& peer = peers_[i];
      peer.steady = i <= kSteadySenders;
      peer.sends = i > 0;
      peer.base = i == 0 ? "obs" : (peer.steady ? "s" : "c") + std::to_string(i);
      if (peer.steady) connectSteady(peer);
    }
  }

  void run(std::int64_t duration_ms) {
    const std::int64_t start = net::monotonicMs();
    std::int64_t next_sample = start;
    while (net::monotonicMs() - start < duration_ms) {
      turn();
      const std::int64_t now = net::monotonicMs();
      if (now >= next_sample) {
        sampleMemory(now - start >= duration_ms / 4);
        next_sample = now + 1000;
      }
    }
    BOOST_TEST_MESSAGE("soak: " << (net::monotonicMs() - start) / 1000 << " s");
  }

  void finish() {
    for (Peer& peer : chaoticPeers()) {
      if (peer.client) hangUp(peer);
    }
    std::vector<std::string> ends;
    for (std::size_t i = 1; i <= kSteadySenders; ++i) {
      Peer& peer = peers_[i];
      const std::string token = peer.base + ".end";
      ends.push_back(token);
      peer.out += "<" + token + ">\n";
      BOOST_REQUIRE(peer.client->send(std::exchange(peer.out, {})));
      sent_.insert(token);
    }
    // Each steady client has everything once it has the others' last words.
    for (std::size_t i = 0; i <= kSteadySenders; ++i) {
      Peer& peer = peers_[i];
      for (const std::string& token : ends) {
        if (token == peer.base + ".end") continue;
        const std::int64_t deadline = net::monotonicMs() + e2e::kReadTimeoutMs;
        while (std::find(peer.seen.begin(), peer.seen.end(), token) == peer.seen.end()) {
          BOOST_REQUIRE_MESSAGE(net::monotonicMs() < deadline, peer.base << " never got " << token);
          absorb(peer, peer.client->readUntil("\n", deadline - net::monotonicMs()));
        }
      }
    }
    BOOST_CHECK_MESSAGE(server_->running(), "the server ended: " << server_->errors());
    checkOrder();
    sampleMemory(true);
    for (Peer& peer : peers_) peer.client.reset();
    checkDescriptorsReturn();
    report();
  }

 private:
  std::vector<std::reference_wrapper<Peer>> chaoticPeers() {
    return {peers_.begin() + 1 + kSteadySenders, peers_.end()};
  }

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(random_) < p; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(random_);
  }

  void connectSteady(Peer& peer) {
    peer.client = std::make_unique<e2e::ChatClient>();
    peer.name = peer.base;
    BOOST_REQUIRE(rel::joinAs(*peer.client, server_->port(), peer.name));
    peer.state = State::Chatting;
  }

  std::string nextToken(Peer& peer) {
    std::string token = peer.name + "." + std::to_string(++peer.seq);
    sent_.insert(token);
    return token;
  }

  std::string message(Peer& peer) {
    std::string text = "<" + nextToken(peer) + ">";
    text.append(static_cast<std::size_t>(between(0, kMaxPadding)),
                static_cast<char>('a' + text.size() % 26));
    return text + "\n";
  }

  void turn() {
    Peer& observer = peers_[0];
    // The observer paces the load: it waits for a line, or one turn at most.
    absorb(observer, observer.client->readUntil(
                         [](std::string_view bytes) {
                           const std::size_t nl = bytes.rfind('\n');
                           return nl == std::string_view::npos ? nl : nl + 1;
                         },
                         kTurnMs));
    BOOST_REQUIRE_MESSAGE(!observer.client->peerClosed(), "the observer was disconnected");
    const std::int64_t now = net::monotonicMs();
    for (std::size_t i = 1; i < peers_.size(); ++i) {
      Peer& peer = peers_[i];
      if (peer.steady) {
        if (chance(kSteadyTalk)) peer.out += message(peer);
      } else {
        actChaotic(peer, now);
      }
      if (peer.client && !peer.out.empty()) {
        peer.out.erase(0, peer.client->sendAvailable(peer.out));
      }
      if (peer.client && (peer.state != State::Chatting || now >= peer.back_at)) {
        absorb(peer, peer.client->readAvailable());
        if (peer.client->peerClosed()) lost(peer, now);
      }
    }
  }

  void actChaotic(Peer& peer, std::int64_t now) {
    switch (peer.state) {
      case State::Away:
        if (now >= peer.back_at) reconnect(peer);
        return;
      case State::AtBanner:
        if (peer.in.find("[ENTER YOUR NAME]: ") == std::string::npos) return;
        peer.in.clear();
        // Telnet clients open with negotiations; the name must come through them intact.
        peer.out +=
            chance(0.5) ? peer.name + "\r\n" : "\xff\xfb\x18\xff\xfd\x01" + peer.name + "\n";
        peer.state = State::Naming;
        return;
      case State::Naming:
        return;  // absorb() sees the prompt
      case State::Chatting:
        // A deaf client just lets its unread output pile up until the server gives up on it.
        if (now >= peer.back_at && chance(kChaoticAct)) misbehave(peer, now);
        return;
    }
  }

  void misbehave(Peer& peer, std::int64_t now) {
    if (!peer.half_token.empty()) {
      if (chance(0.5)) {
        peer.out += "rest of it\n";
        peer.half_token.clear();
      } else {
        cut_.insert(peer.half_token);
        resetMidLine(peer, now);
      }
      return;
    }
    const int roll = static_cast<int>(between(0, 99));
    if (roll < 30) {
      peer.out += message(peer);
    } else if (roll < 40) {
      // The same message wrapped in telnet commands, which the server strips.
      const std::string token = nextToken(peer);
      peer.out += "\xff\xf1<" + token + "\xff\xfb\x01>\xff\xfa\x18\x01xterm\xff\xf0 telnet\r\n";
    } else if (roll < 50) {
      peer.half_token = nextToken(peer);
      peer.out += "<" + peer.half_token + "> half a li";
    } else if (roll < 58) {
      cut_.insert(nextToken(peer));
      peer.out += "<" + *cut_.rbegin() + "> cut";
      resetMidLine(peer, now);
    } else if (roll < 68) {
      peer.out += std::string(kOversized, 'o') + "\n";
      ++oversized_;
    } else if (roll < 78) {
      std::string junk;
      for (int i = 0; i < 200; ++i) {
        const auto byte = static_cast<unsigned char>(between(0, 159));
        junk += static_cast<char>(byte < 128 ? 0x80 + byte : 1 + (byte - 128) % 9);
      }
      peer.out += junk + "\n";
    } else if (roll < 90) {
      peer.back_at = now + between(kMinDeafMs, kMaxDeafMs);  // stops reading meanwhile
      ++deaf_spells_;
    } else {
      hangUp(peer);
      peer.back_at = now + between(0, kMaxAwayMs);
    }
  }

  void resetMidLine(Peer& peer, std::int64_t now) {
    peer.client->sendAvailable(peer.out);
    peer.client->reset();
    ++resets_;
    endConnection(peer);
    peer.back_at = now + between(0, kMaxAwayMs);
  }

  void hangUp(Peer& peer) {
    peer.client->sendAvailable(peer.out);
    peer.client->close();
    endConnection(peer);
  }

  void reconnect(Peer& peer) {
    peer.client = std::make_unique<e2e::ChatClient>();
    // A small receive window, so a client that stops reading fills up after kilobytes.
    if (!peer.client->connectWithSmallReceiveBuffer("127.0.0.1", server_->port())) {
      ++failed_connects_;
      peer.client.reset();
      peer.back_at = net::monotonicMs() + kMaxAwayMs;
      return;
    }
    peer.name = peer.base + "-" + std::to_string(++peer.connections);
    peer.state = State::AtBanner;
  }

  // The server closed a connection this side did not: a steady one never may.
  void lost(Peer& peer, std::int64_t now) {
    BOOST_REQUIRE_MESSAGE(!peer.steady, peer.base << " was disconnected by the server");
    ++dropped_;
    endConnection(peer);
    peer.back_at = now + between(0, kMaxAwayMs);
  }

  void endConnection(Peer& peer) {
    views_.push_back(std::move(peer.seen));
    peer.seen.clear();
    peer.client.reset();
    peer.in.clear();
    peer.out.clear();
    peer.half_token.clear();
    peer.state = State::Away;
  }

  // The server answers telnet negotiation with three-byte replies (IAC WONT/DONT/WILL x,
  // docs/PROTOCOL.md §9.2): not chat text, so they are taken out once whole.
  static void dropTelnetAnswers(std::string& in) {
    for (std::size_t at = in.find('\xff'); at != std::string::npos && at + 3 <= in.size();
         at = in.find('\xff', at)) {
      in.erase(at, 3);
    }
  }

  void absorb(Peer& peer, const std::string& bytes) {
    peer.in += bytes;
    dropTelnetAnswers(peer.in);
    if (peer.state == State::Naming) {
      const std::size_t prompt = peer.in.find("][" + peer.name + "]:");
      if (prompt != std::string::npos) peer.state = State::Chatting;
    }
    std::size_t start = 0;
    for (std::size_t nl = peer.in.find('\n'); nl != std::string::npos;
         start = nl + 1, nl = peer.in.find('\n', start)) {
      const std::string line = peer.in.substr(start, nl - start);
      if (!fuzz::isStrictUtf8(line) || fuzz::hasControl(line)) {
        BOOST_ERROR(peer.name << " received a control byte or invalid UTF-8: " << e2e::shown(line));
      }
      std::string token = tokenIn(line);
      if (!token.empty()) peer.seen.push_back(std::move(token));
    }
    if (peer.state != State::AtBanner) peer.in.erase(0, start);
  }

  void checkOrder() {
    const std::vector<std::string>& order = peers_[0].seen;
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (!position.emplace(order[i], i).second) BOOST_ERROR("delivered twice: " << order[i]);
      if (sent_.count(order[i]) == 0) BOOST_ERROR("never sent: " << order[i]);
      if (cut_.count(order[i]) != 0) BOOST_ERROR("a line cut by a reset went out: " << order[i]);
    }
    for (const std::string& token : sent_) {
      const bool steady_token = token[0] == 's';
      if (steady_token && position.count(token) == 0) BOOST_ERROR("lost: " << token);
    }
    // Clients connected throughout saw exactly the same, less their own messages.
    for (std::size_t i = 1; i <= kSteadySenders; ++i) {
      std::vector<std::string> expected;
      for (const std::string& token : order) {
        if (token.rfind(peers_[i].base + ".", 0) != 0) expected.push_back(token);
      }
      BOOST_CHECK_MESSAGE(peers_[i].seen == expected,
                          peers_[i].base << " saw another sequence than the observer");
    }
    // Every other connection saw part of the same order, each message at most once.
    for (Peer& peer : chaoticPeers()) {
      if (peer.client) endConnection(peer);
    }
    for (const std::vector<std::string>& view : views_) {
      std::size_t last = 0;
      bool first = true;
      for (const std::string& token : view) {
        const auto it = position.find(token);
        if (it == position.end()) {
          BOOST_ERROR("a client saw what the observer did not: " << token);
          continue;
        }
        if (!first && it->second <= last) BOOST_ERROR("out of order or twice: " << token);
        last = it->second;
        first = false;
      }
    }
  }

  void sampleMemory(bool warmed_up) {
    const auto rss = rel::statusKiB(*server_, "VmRSS");
    if (!rss) return;
    if (!warmed_up) return;
    if (!warm_rss_) warm_rss_ = *rss;
    max_rss_ = std::max(max_rss_, *rss);
  }

  void checkDescriptorsReturn() {
    if (!baseline_fds_) return;
    // Closed connections leave the server's loop within its two-second closing grace.
    const std::int64_t deadline = net::monotonicMs() + e2e::kReadTimeoutMs;
    auto open = rel::openDescriptors(*server_);
    while (open != baseline_fds_ && net::monotonicMs() < deadline) {
      e2e::pauseMs(kTurnMs);
      open = rel::openDescriptors(*server_);
    }
    BOOST_CHECK_EQUAL(open.value_or(0), *baseline_fds_);
  }

  void report() {
    std::size_t deliveries = 0;
    for (const Peer& peer : peers_) deliveries += peer.seen.size();
    for (const auto& view : views_) deliveries += view.size();
    const auto peak = rel::statusKiB(*server_, "VmHWM");
    BOOST_TEST_MESSAGE("soak: " << peers_[0].seen.size() << " messages in the global order, "
                                << deliveries << " deliveries checked; " << views_.size()
                                << " chaotic connections, " << resets_ << " resets mid-line, "
                                << dropped_ << " dropped by the server, " << deaf_spells_
                                << " deaf spells, " << oversized_ << " oversized lines");
    if (peak) {
      BOOST_TEST_MESSAGE("soak: server VmHWM " << *peak << " KiB, VmRSS after warm-up "
                                               << warm_rss_.value_or(0) << " KiB, max after "
                                               << max_rss_ << " KiB");
    }
#if !defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's quarantine holds freed memory on purpose; the check means nothing there.
    if (warm_rss_) BOOST_CHECK_LE(max_rss_, *warm_rss_ + kRssGrowthKiB);
#endif
    BOOST_CHECK_EQUAL(failed_connects_, 0);
  }

  std::mt19937 random_;
  std::unique_ptr<e2e::ServerProcess> server_;
  std::optional<std::size_t> baseline_fds_;
  std::vector<Peer> peers_;
  std::vector<std::vector<std::string>> views_;  // what each ended connection saw
  std::set<std::string> sent_;
  std::set<std::string> cut_;
  std::optional<std::uint64_t> warm_rss_;
  std::uint64_t max_rss_ = 0;
  int resets_ = 0;
  int dropped_ = 0;
  int deaf_spells_ = 0;
  int oversized_ = 0;
  int failed_connects_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(soak)

BOOST_AUTO_TEST_CASE(ten_clients_at_random_get_every_message_once_in_one_order) {
  Soak soak;
  soak.run(soakMs());
  soak.finish();
}

BOOST_AUTO_TEST_SUITE_END()
