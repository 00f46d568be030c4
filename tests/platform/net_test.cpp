// Loopback tests of the platform layer: what the server relies on from sockets and select().
#include "net.hpp"

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <string>
#include <vector>

namespace {

// Generous so a loaded CI machine or Wine never turns a slow wake-up into a failure; a passing
// test never waits this long.
constexpr std::int64_t kWaitMs = 5000;
// Far beyond any kernel's socket buffers, so filling them must end in WouldBlock first.
constexpr std::size_t kMaxBytesToFillBuffers = 256u * 1024u * 1024u;

bool waitFor(const net::Socket& socket, bool read, bool write) {
  net::SelectSet set;
  BOOST_REQUIRE(set.add(socket, read, write));
  const std::int64_t deadline = net::monotonicMs() + kWaitMs;
  for (;;) {
    net::NetError error;
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0) return false;
    if (set.wait(left, error) > 0) return read ? set.readable(socket) : set.writable(socket);
    BOOST_REQUIRE_MESSAGE(!error, "select failed: " << error.message);
  }
}

bool waitReadable(const net::Socket& socket) { return waitFor(socket, true, false); }
bool waitWritable(const net::Socket& socket) { return waitFor(socket, false, true); }

// A listener plus one connection seen from both ends: `client` blocking, `server` as the chat
// server holds it (non-blocking, from acceptConnection).
struct LoopbackPair {
  net::NetInit init;
  net::Socket listener;
  net::Socket client;
  net::Socket server;
  std::string peer;

  explicit LoopbackPair(const char* host = "127.0.0.1") {
    BOOST_REQUIRE(init.ok());
    net::NetError error;
    listener = net::listenTcp("", 0, error);
    BOOST_REQUIRE_MESSAGE(listener.valid(), "listen failed: " << error.message);
    client = net::connectTcp(host, net::localPort(listener), error);
    BOOST_REQUIRE_MESSAGE(client.valid(), "connect failed: " << error.message);
    BOOST_REQUIRE(waitReadable(listener));
    server = net::acceptConnection(listener, peer, error);
    BOOST_REQUIRE_MESSAGE(server.valid(), "accept failed: " << error.message);
  }
};

void sendAll(const net::Socket& socket, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const net::IoResult result = net::sendSome(socket, data.data() + sent, data.size() - sent);
    if (result.error.kind == net::ErrorKind::WouldBlock) {
      BOOST_REQUIRE(waitWritable(socket));
      continue;
    }
    BOOST_REQUIRE_MESSAGE(!result.error, "send failed: " << result.error.message);
    sent += result.bytes;
  }
}

// Reads until `length` bytes arrived or the stream ends; works on blocking and non-blocking ends.
std::string receiveExactly(const net::Socket& socket, std::size_t length) {
  std::string received;
  char buffer[4096];
  while (received.size() < length) {
    BOOST_REQUIRE(waitReadable(socket));
    const net::IoResult result = net::receiveSome(socket, buffer, sizeof buffer);
    if (result.closed) break;
    if (result.error.kind == net::ErrorKind::WouldBlock) continue;
    BOOST_REQUIRE_MESSAGE(!result.error, "receive failed: " << result.error.message);
    received.append(buffer, result.bytes);
  }
  return received;
}

bool looksLikeTimestamp(const std::string& text) {
  const std::string shape = "dddd-dd-dd dd:dd:dd";
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(net)

BOOST_AUTO_TEST_CASE(listens_on_a_free_port_when_asked_for_port_zero) {
  LoopbackPair pair;
  BOOST_TEST(net::localPort(pair.listener) != 0);
  BOOST_TEST(net::localPort(pair.client) != 0);
  BOOST_TEST(net::localPort(pair.server) == net::localPort(pair.listener));
}

BOOST_AUTO_TEST_CASE(reports_an_ipv4_peer_as_address_and_port) {
  LoopbackPair pair("127.0.0.1");
  BOOST_TEST(pair.peer == "127.0.0.1:" + std::to_string(net::localPort(pair.client)));
}

BOOST_AUTO_TEST_CASE(reports_an_ipv6_peer_in_brackets) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("::1", 0, error);
  if (!listener.valid()) {
    BOOST_TEST_MESSAGE("no IPv6 loopback here (" << error.message << "); nothing to check");
    return;
  }
  net::Socket client = net::connectTcp("::1", net::localPort(listener), error);
  BOOST_REQUIRE_MESSAGE(client.valid(), "connect failed: " << error.message);
  BOOST_REQUIRE(waitReadable(listener));
  std::string peer;
  net::Socket server = net::acceptConnection(listener, peer, error);
  BOOST_REQUIRE(server.valid());
  BOOST_TEST(peer == "[::1]:" + std::to_string(net::localPort(client)));
}

// Whether a connection to host:port is accepted by `listener` (blocking connect on loopback, so a
// refusal answers at once).
bool reaches(const net::Socket& listener, const char* host) {
  net::NetError error;
  net::Socket client = net::connectTcp(host, net::localPort(listener), error);
  return client.valid();
}

bool ipv6LoopbackHere() {
  net::NetError error;
  return net::listenTcp("::1", 0, error).valid();
}

BOOST_AUTO_TEST_CASE(listens_on_ipv4_only_when_asked) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("", 0, net::Family::V4, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), "listen failed: " << error.message);
  BOOST_TEST(reaches(listener, "127.0.0.1"));
  if (ipv6LoopbackHere()) BOOST_TEST(!reaches(listener, "::1"));
}

BOOST_AUTO_TEST_CASE(listens_on_ipv6_only_when_asked) {
  net::NetInit init;
  if (!ipv6LoopbackHere()) {
    BOOST_TEST_MESSAGE("no IPv6 loopback here; nothing to check");
    return;
  }
  net::NetError error;
  net::Socket listener = net::listenTcp("", 0, net::Family::V6, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), "listen failed: " << error.message);
  BOOST_TEST(reaches(listener, "::1"));
  BOOST_TEST(!reaches(listener, "127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(resolves_a_listening_host_within_the_family) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("localhost", 0, net::Family::V4, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), "listen on localhost failed: " << error.message);
  BOOST_TEST(reaches(listener, "127.0.0.1"));
  BOOST_TEST(!net::listenTcp("127.0.0.1", 0, net::Family::V6, error).valid());
  BOOST_TEST(!error.message.empty());
}

BOOST_AUTO_TEST_CASE(accepts_by_host_name) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("localhost", 0, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), "listen on localhost failed: " << error.message);
  net::Socket client = net::connectTcp("localhost", net::localPort(listener), error);
  BOOST_REQUIRE_MESSAGE(client.valid(), "connect failed: " << error.message);
  BOOST_TEST(waitReadable(listener));
}

BOOST_AUTO_TEST_CASE(carries_bytes_both_ways) {
  LoopbackPair pair;
  const std::string hello = "hello, server\n";
  sendAll(pair.client, hello);
  BOOST_TEST(receiveExactly(pair.server, hello.size()) == hello);

  const std::string reply(100000, 'x');  // larger than one segment, so it arrives in pieces
  sendAll(pair.server, reply);
  BOOST_TEST(receiveExactly(pair.client, reply.size()) == reply);
}

BOOST_AUTO_TEST_CASE(empty_non_blocking_receive_would_block) {
  LoopbackPair pair;
  char buffer[16];
  const net::IoResult result = net::receiveSome(pair.server, buffer, sizeof buffer);
  BOOST_TEST(result.bytes == 0u);
  BOOST_TEST(!result.closed);
  BOOST_TEST((result.error.kind == net::ErrorKind::WouldBlock));
}

BOOST_AUTO_TEST_CASE(full_send_buffers_would_block_instead_of_waiting) {
  LoopbackPair pair;
  const std::vector<char> chunk(64 * 1024, 'y');
  std::size_t total = 0;
  net::IoResult result;
  while (total < kMaxBytesToFillBuffers) {
    result = net::sendSome(pair.server, chunk.data(), chunk.size());
    if (result.error) break;
    total += result.bytes;
  }
  BOOST_TEST((result.error.kind == net::ErrorKind::WouldBlock));
  BOOST_TEST(total > 0u);
}

BOOST_AUTO_TEST_CASE(orderly_close_by_peer_reads_as_closed) {
  LoopbackPair pair;
  pair.client.close();
  BOOST_REQUIRE(waitReadable(pair.server));
  char buffer[16];
  const net::IoResult result = net::receiveSome(pair.server, buffer, sizeof buffer);
  BOOST_TEST(result.closed);
  BOOST_TEST(!result.error);
}

BOOST_AUTO_TEST_CASE(shutdown_write_ends_the_stream_but_keeps_reading) {
  LoopbackPair pair;
  BOOST_REQUIRE(!net::shutdownWrite(pair.client));
  BOOST_REQUIRE(waitReadable(pair.server));
  char buffer[16];
  BOOST_TEST(net::receiveSome(pair.server, buffer, sizeof buffer).closed);

  sendAll(pair.server, "still here\n");
  BOOST_TEST(receiveExactly(pair.client, 11) == "still here\n");
}

BOOST_AUTO_TEST_CASE(reset_by_peer_reads_as_reset_or_closed) {
  LoopbackPair pair;
  BOOST_REQUIRE(!net::resetConnection(pair.client));
  BOOST_TEST(!pair.client.valid());
  BOOST_REQUIRE(waitReadable(pair.server));
  char buffer[16];
  const net::IoResult result = net::receiveSome(pair.server, buffer, sizeof buffer);
  const bool reset = result.error.kind == net::ErrorKind::ConnectionReset;
  BOOST_TEST((reset || result.closed),
             "kind " << static_cast<int>(result.error.kind) << ": " << result.error.message);
  if (reset) BOOST_TEST(!result.error.message.empty());
}

BOOST_AUTO_TEST_CASE(select_reports_readable_only_when_data_waits) {
  LoopbackPair pair;
  net::SelectSet set;
  net::NetError error;
  BOOST_REQUIRE(set.add(pair.server, true, false));
  BOOST_TEST(set.wait(0, error) == 0);
  BOOST_TEST(!set.readable(pair.server));

  sendAll(pair.client, "ping\n");
  BOOST_TEST(waitReadable(pair.server));
}

BOOST_AUTO_TEST_CASE(select_reports_a_fresh_connection_writable) {
  LoopbackPair pair;
  net::SelectSet set;
  net::NetError error;
  BOOST_REQUIRE(set.add(pair.server, false, true));
  BOOST_TEST(set.wait(kWaitMs, error) == 1);
  BOOST_TEST(set.writable(pair.server));
  BOOST_TEST(!set.readable(pair.server));
}

BOOST_AUTO_TEST_CASE(select_clear_forgets_sockets) {
  LoopbackPair pair;
  sendAll(pair.client, "ping\n");
  BOOST_REQUIRE(waitReadable(pair.server));
  net::SelectSet set;
  net::NetError error;
  BOOST_REQUIRE(set.add(pair.server, true, true));
  set.clear();
  BOOST_TEST(set.wait(0, error) == 0);
  BOOST_TEST(!set.readable(pair.server));
  BOOST_TEST(!set.writable(pair.server));
}

BOOST_AUTO_TEST_CASE(select_with_nothing_to_watch_sleeps_for_the_timeout) {
  constexpr std::int64_t kNapMs = 50;
  net::SelectSet set;
  net::NetError error;
  const std::int64_t start = net::monotonicMs();
  BOOST_TEST(set.wait(kNapMs, error) == 0);
  BOOST_TEST(!error);
  // Timer granularity on some systems wakes a little early; a few milliseconds of slack.
  BOOST_TEST(net::monotonicMs() - start >= kNapMs - 5);
}

BOOST_AUTO_TEST_CASE(process_cpu_time_grows_while_the_process_computes) {
  // Busy until the CPU clock has moved 30 ms (Windows counts in 15.6 ms steps), or 20 s have
  // passed on a machine too busy to give this process the time.
  constexpr std::int64_t kWantUs = 30000;
  const std::int64_t start_cpu = net::processCpuMicros();
  const std::int64_t give_up = net::monotonicMs() + 20000;
  std::int64_t previous = start_cpu;
  volatile std::uint64_t sink = 0;
  while (previous - start_cpu < kWantUs && net::monotonicMs() < give_up) {
    for (int i = 0; i < 100000; ++i) sink = sink + static_cast<std::uint64_t>(i);
    const std::int64_t now = net::processCpuMicros();
    BOOST_TEST_REQUIRE(now >= previous);
    previous = now;
  }
  BOOST_TEST(previous - start_cpu >= kWantUs);
}

BOOST_AUTO_TEST_CASE(select_capacity_leaves_room_for_many_clients) {
  BOOST_TEST(net::SelectSet::capacity() >= 64u);
}

// --max-clients is bounded by the capacity and the help names it: every build says the same.
BOOST_AUTO_TEST_CASE(select_capacity_is_the_same_on_every_platform) {
  BOOST_TEST(net::SelectSet::capacity() == 1000u);
}

BOOST_AUTO_TEST_CASE(accepted_and_connected_sockets_have_nodelay) {
  LoopbackPair pair;
  BOOST_TEST(net::noDelayEnabled(pair.server));
  BOOST_TEST(net::noDelayEnabled(pair.client));
}

BOOST_AUTO_TEST_CASE(keepalive_plan_gives_up_within_twice_the_idle_time) {
  for (int seconds = 1; seconds <= net::kMaxKeepaliveSeconds; ++seconds) {
    const net::KeepalivePlan plan = net::keepalivePlan(seconds);
    BOOST_TEST_CONTEXT("S = " << seconds) {
      BOOST_TEST(plan.idle_s == seconds);
      BOOST_TEST(plan.interval_s >= 1);
      // Linux takes at most 127 probes, Windows 255.
      BOOST_TEST((plan.probes >= 1 && plan.probes <= 127));
      BOOST_TEST(plan.give_up_s == plan.idle_s + plan.probes * plan.interval_s);
      BOOST_TEST(plan.give_up_s <= net::keepaliveBoundSeconds(seconds));
      // Room for timers that fire up to an eighth late: 9/8 of the plan stays within 2×S.
      if (seconds > 1) BOOST_TEST(plan.give_up_s * 9 <= 16 * seconds);
    }
  }
  BOOST_TEST(net::keepalivePlan(0).give_up_s == 0);
  BOOST_TEST(net::keepaliveBoundSeconds(60) == 120);
}

// What the server does to every client socket and the client to its own: the calls succeed and
// the system holds the plan's values wherever it can tell them.
BOOST_AUTO_TEST_CASE(keepalive_is_armed_and_read_back_on_both_ends) {
  LoopbackPair pair;
  for (const int seconds : {2, 60}) {
    const net::KeepalivePlan plan = net::keepalivePlan(seconds);
    for (const net::Socket* socket : {&pair.server, &pair.client}) {
      const net::NetError error = net::setKeepalive(*socket, seconds);
      BOOST_REQUIRE_MESSAGE(!error, "setKeepalive(" << seconds << ") failed: " << error.message);
      const net::KeepaliveState state = net::readKeepalive(*socket);
      BOOST_TEST_MESSAGE("S = " << seconds << ": on " << state.on << ", idle " << state.idle_s
                                << " s, interval " << state.interval_s << " s, probes "
                                << state.probes << ", give up " << state.give_up_ms << " ms");
      BOOST_TEST(state.on);
      // -1: this system cannot tell (Windows before 10 version 1709 sets them another way).
      BOOST_TEST((state.idle_s == plan.idle_s || state.idle_s == -1), state.idle_s);
      BOOST_TEST((state.interval_s == plan.interval_s || state.interval_s == -1), state.interval_s);
      BOOST_TEST((state.probes == plan.probes || state.probes == -1), state.probes);
      BOOST_TEST((state.give_up_ms == plan.give_up_s * 1000 || state.give_up_ms == -1),
                 state.give_up_ms);
    }
  }
}

BOOST_AUTO_TEST_CASE(keepalive_zero_turns_the_probes_off) {
  LoopbackPair pair;
  BOOST_REQUIRE(!net::setKeepalive(pair.server, 5));
  BOOST_REQUIRE(net::readKeepalive(pair.server).on);
  const net::NetError error = net::setKeepalive(pair.server, 0);
  BOOST_REQUIRE_MESSAGE(!error, "setKeepalive(0) failed: " << error.message);
  BOOST_TEST(!net::readKeepalive(pair.server).on);
  // The connection still carries bytes.
  sendAll(pair.client, "still here");
  BOOST_TEST(receiveExactly(pair.server, 10) == "still here");
}

BOOST_AUTO_TEST_CASE(accept_with_nothing_pending_would_block) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
  BOOST_REQUIRE(listener.valid());
  std::string peer;
  net::Socket none = net::acceptConnection(listener, peer, error);
  BOOST_TEST(!none.valid());
  BOOST_TEST((error.kind == net::ErrorKind::WouldBlock));
}

BOOST_AUTO_TEST_CASE(listening_on_a_port_in_use_fails_with_address_in_use) {
  net::NetInit init;
  net::NetError error;
  net::Socket first = net::listenTcp("", 0, error);
  BOOST_REQUIRE(first.valid());
  net::Socket second = net::listenTcp("", net::localPort(first), error);
  BOOST_TEST(!second.valid());
  BOOST_TEST((error.kind == net::ErrorKind::AddressInUse),
             "kind " << static_cast<int>(error.kind) << ": " << error.message);
  // The words a Linux user reads, on every platform (Windows may add why it refused).
  BOOST_TEST(error.message.rfind("Address already in use", 0) == 0u, error.message);
  BOOST_TEST(error.code != 0);
}

BOOST_AUTO_TEST_CASE(connecting_to_a_closed_port_fails) {
  net::NetInit init;
  net::NetError error;
  std::uint16_t port = 0;
  {
    net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
    BOOST_REQUIRE(listener.valid());
    port = net::localPort(listener);
  }
  net::Socket client = net::connectTcp("127.0.0.1", port, error);
  BOOST_TEST(!client.valid());
  BOOST_TEST(static_cast<bool>(error));
  BOOST_TEST(error.message == "Connection refused");
}

BOOST_AUTO_TEST_CASE(moving_a_socket_transfers_ownership) {
  LoopbackPair pair;
  const net::NativeHandle handle = pair.server.native();
  net::Socket moved(std::move(pair.server));
  BOOST_TEST(!pair.server.valid());
  BOOST_TEST(moved.native() == handle);
  sendAll(pair.client, "still open\n");
  BOOST_TEST(receiveExactly(moved, 11) == "still open\n");
}

BOOST_AUTO_TEST_CASE(local_timestamp_is_year_month_day_and_time) {
  // 2021-06-15 12:00:00 UTC: the same June date ±1 day in every time zone.
  const std::time_t mid_june_2021 = 1623758400;
  const std::string stamp = net::localTimestamp(mid_june_2021);
  BOOST_TEST(looksLikeTimestamp(stamp), stamp);
  BOOST_TEST(stamp.substr(0, 9) == "2021-06-1");
  BOOST_TEST(looksLikeTimestamp(net::localTimestamp(std::time(nullptr))));
}

BOOST_AUTO_TEST_CASE(monotonic_clock_never_goes_back) {
  std::int64_t previous = net::monotonicMs();
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t now = net::monotonicMs();
    BOOST_TEST_REQUIRE(now >= previous);
    previous = now;
  }
}

BOOST_AUTO_TEST_SUITE_END()
