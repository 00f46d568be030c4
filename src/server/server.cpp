// Each turn of the loop: select(), accept, read, tick, write, then sockets being closed; under
// load, a short pause before the select() lets more input gather (gather_policy.hpp).
#include "server/server.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "chat/protocol.hpp"

namespace server {
namespace {

// Upper bound on one select() wait, so a shutdown flag set outside the loop's thread (Windows
// console handler) is noticed promptly even when no socket stirs.
constexpr std::int64_t kMaxWaitMs = 250;
// After the chat is done with a connection, its last bytes and the peer's close get this long.
constexpr std::int64_t kClosingGraceMs = 2000;
// On shutdown, pending output gets at most this long (docs/PROTOCOL.md §8.4).
constexpr std::int64_t kShutdownFlushMs = 2000;
// At shutdown, what a peer already sent is read before closing (so the close sends no reset),
// but a peer that keeps sending does not get to hold the exit back: this many reads at most.
constexpr int kMaxDrainReads = 16;
// Sockets being closed are bounded too, or a flood of refused connections would pile them up.
constexpr std::size_t kMaxClosing = 64;
// Out of descriptors, accept() fails at once while the listener stays readable; pausing
// accepts keeps that from spinning the loop, and the log gets one line per second at most.
constexpr std::int64_t kAcceptPauseMs = 100;
constexpr std::int64_t kAcceptErrorLogEveryMs = 1000;
// Connections accepted per turn, so a connection storm cannot starve the clients already in.
constexpr int kAcceptsPerTurn = 16;
// One receive per readable client per turn, of at most this much.
constexpr std::size_t kReadChunk = 64 * 1024;
// How long a gathering pause lasts (see gather_policy.hpp), plus the timer's slack. The benchmark
// builds a copy with 0 here to show what the pauses change.
#ifndef NETCAT_CHAT_GATHER_PAUSE_US
#define NETCAT_CHAT_GATHER_PAUSE_US 20
#endif
constexpr int kGatherPauseUs = NETCAT_CHAT_GATHER_PAUSE_US;

// Why a connection ended, as the log's "left: ..." says it; `keepalive_s` is --keepalive.
std::string describeFailure(const net::NetError& error, int keepalive_s) {
  if (error.kind == net::ErrorKind::ConnectionReset)
    return "connection reset (" + error.message + ")";
  if (error.kind == net::ErrorKind::ConnectionLost) {
    if (keepalive_s <= 0) return "connection lost (" + error.message + ")";
    return "connection lost (no answer for " +
           std::to_string(net::keepaliveBoundSeconds(keepalive_s)) + " s)";
  }
  return "socket error: " + error.message;
}

}  // namespace

Server::Server(chat::Chat& chat, ChatPort chat_port, chat::EventLog& log, int keepalive_s,
               WebPort web, AccessPolicy access, IrcPort irc)
    : chat_(chat),
      chat_port_(std::move(chat_port)),
      log_(log),
      web_(std::move(web)),
      access_(std::move(access)),
      irc_(std::move(irc)),
      keepalive_s_(keepalive_s),
      buffer_(kReadChunk) {
  refreshClock();
}

int Server::run() {
  while (!net::shutdownRequested()) turn();
  refreshClock();
  chat_port_.listener.close();
  web_.listener.close();
  irc_.listener.close();
  requests_.clear();
  proxied_.clear();
  arrivals_.clear();
  shutting_down_ = true;
  chat_.shutdown(now_);
  collectDepartures();
  lingerForShutdown();
  log_.event("stopped");
  return 0;
}

void Server::turn() {
  if (pause_next_turn_) net::pauseMicroseconds(kGatherPauseUs);
  senders_ = 0;
  bytes_read_ = 0;
  watchSockets();
  net::NetError error;
  if (sets_.wait(waitBudget(), error) < 0) log_.event("error: select() failed: " + error.message);
  refreshClock();
  if (chat_port_.listener.valid() && sets_.readable(chat_port_.listener)) {
    acceptConnections(chat_port_.listener, Way::Tcp);
  }
  if (web_.listener.valid() && sets_.readable(web_.listener)) {
    acceptConnections(web_.listener, Way::Web);
  }
  if (irc_.listener.valid() && sets_.readable(irc_.listener)) {
    acceptConnections(irc_.listener, Way::Irc);
  }
  serviceRequests();
  for (auto it = connections_.begin(); it != connections_.end();) {
    const bool keep = !sets_.readable(it->second.socket) || readFrom(it->first, it->second);
    it = keep ? std::next(it) : connections_.erase(it);
  }
  // After the clients' reads: a connection the chat takes in now was read already this turn,
  // and its replies go out before its socket is read again (it may hold its end of input).
  serviceProxied();
  serviceArrivals();
  chat_.tick(now_);
  collectDepartures();
  pingIdleWebClients();
  flushOutput();
  collectDepartures();
  serviceClosing();
  pause_next_turn_ = gather_.afterTurn(now_.ms, bytes_read_, senders_);
}

void Server::refreshClock() {
  const std::time_t wall = std::time(nullptr);
  if (wall != stamp_time_) {
    stamp_time_ = wall;
    stamp_ = net::localTimestamp(wall);
  }
  now_ = chat::Now{net::monotonicMs(), stamp_, static_cast<std::int64_t>(wall)};
}

// Every turn starts from empty sets; a client is watched for writing only while it has output
// the socket did not take, and for reading only while the chat wants its input: not during its
// history replay, nor while flood control holds it back (its bytes wait in the kernel, and the
// chat's nextDeadline() wakes the loop when the client may go on).
void Server::watchSockets() {
  sets_.clear();
  if (now_.ms >= accepts_paused_until_) {
    if (chat_port_.listener.valid()) sets_.add(chat_port_.listener, true, false);
    if (web_.listener.valid()) sets_.add(web_.listener, true, false);
    if (irc_.listener.valid()) sets_.add(irc_.listener, true, false);
  }
  for (auto it = requests_.begin(); it != requests_.end();) {
    it = sets_.add(it->socket, true, false) ? std::next(it) : requests_.erase(it);
  }
  for (auto it = proxied_.begin(); it != proxied_.end();) {
    it = sets_.add(it->socket, true, false) ? std::next(it) : proxied_.erase(it);
  }
  for (auto it = arrivals_.begin(); it != arrivals_.end();) {
    it = sets_.add(it->socket, true, false) ? std::next(it) : arrivals_.erase(it);
  }
  for (auto it = connections_.begin(); it != connections_.end();) {
    const bool read =
        chat_.wantsInput(it->first) && (!it->second.web || it->second.web->wantsInput());
    const bool write = wantsToWrite(chat_.pending(it->first), it->second);
    if (sets_.add(it->second.socket, read, write)) {
      ++it;
      continue;
    }
    chat_.disconnected(it->first, "more sockets than select() can watch", now_);
    it = connections_.erase(it);
  }
  for (auto it = closing_.begin(); it != closing_.end();) {
    const bool added = sets_.add(it->socket, it->finished_sending, !it->finished_sending);
    it = added ? std::next(it) : closing_.erase(it);
  }
}

std::int64_t Server::waitBudget() const {
  std::int64_t until = now_.ms + kMaxWaitMs;
  until = std::min(until, chat_.nextDeadline());
  until = std::min(until, pings_.nextDeadline());
  for (const Closing& closing : closing_) until = std::min(until, closing.deadline_ms);
  for (const Request& request : requests_) until = std::min(until, request.deadline_ms);
  for (const Proxied& proxied : proxied_) until = std::min(until, proxied.deadline_ms);
  for (const Arrival& arrival : arrivals_) until = std::min(until, arrival.deadline_ms);
  if (accepts_paused_until_ > now_.ms) {
    until = std::min(until, accepts_paused_until_);
  }
  return std::max<std::int64_t>(0, until - now_.ms);
}

void Server::acceptConnections(const net::Socket& listener, Way way) {
  for (int i = 0; i < kAcceptsPerTurn; ++i) {
    std::string peer;
    net::NetError error;
    net::Socket socket = net::acceptConnection(listener, peer, error);
    if (socket.valid()) {
      admit(std::move(socket), std::move(peer), way);
      continue;
    }
    if (error.kind == net::ErrorKind::WouldBlock || error.kind == net::ErrorKind::Interrupted) {
      return;
    }
    // A peer that resets or vanishes before we accept it is routine; anything else may repeat
    // at once.
    if (error.kind != net::ErrorKind::ConnectionReset &&
        error.kind != net::ErrorKind::ConnectionLost)
      accepts_paused_until_ = now_.ms + kAcceptPauseMs;
    if (accept_error_logged_at_ < 0 ||
        now_.ms - accept_error_logged_at_ >= kAcceptErrorLogEveryMs) {
      accept_error_logged_at_ = now_.ms;
      log_.event("error: accept() failed: " + error.message + " (the server goes on)");
    }
    return;
  }
}

// Every accepted socket, from either port, comes through here, so every client socket is
// armed against a peer that vanishes (docs/PROTOCOL.md §8.3), once, whether the chat takes it or
// only says why not, and every address meets the allow and deny rules. A trusted proxy's connection
// meets them with the address of the client it names, once it has named it.
void Server::admit(net::Socket socket, std::string peer, Way way) {
  const chat::ClientId id = next_id_++;
  if (const net::NetError error = net::setKeepalive(socket, keepalive_s_)) {
    log_.event("error: cannot set keepalive for " + peer + ": " + error.message +
               " (the connection goes on without it)");
  }
  if (way == Way::Irc) {
    // IRC clients speak first and know their protocol: no arrival to judge, no PROXY header.
    std::string irc_peer = std::string(kIrcPeerPrefix) + peer;
    if (passesAddressRules(id, irc_peer, socket)) {
      admitToChat(id, std::move(socket), std::move(irc_peer), nullptr, {}, irc_.face);
    }
    return;
  }
  const bool from_proxy = fromTrustedProxy(peer);
  if (way == Way::Web) {
    if (from_proxy || passesAddressRules(id, std::string(kWebPeerPrefix) + peer, socket)) {
      admitRequest(id, std::move(socket), std::move(peer), from_proxy);
    }
  } else if (from_proxy) {
    admitProxied(id, std::move(socket), std::move(peer));
  } else if (passesAddressRules(id, peer, socket)) {
    admitArrival(id, std::move(socket), std::move(peer));
  }
}

// `first_bytes`: what the client sent before the chat heard of it.
void Server::admitToChat(chat::ClientId id, net::Socket socket, std::string peer,
                         std::unique_ptr<WebSocketLink> web, std::string_view first_bytes,
                         chat::Face* face) {
  const chat::Admission admission = chat_.connect(id, peer, now_, face);
  if (!admission) {
    startClosing(std::move(socket),
                 web    ? web->closing(admission.refusal, close_code::kTryAgainLater)
                 : face ? irc_.face->refusal(admission.refusal)
                        : std::string(admission.refusal));
    return;
  }
  PingSchedule::Entry ping = web ? pings_.add(id, now_.ms) : PingSchedule::Entry();
  connections_.emplace(
      id, Connection{std::move(socket), std::move(peer), std::move(web), std::move(ping)});
  if (!first_bytes.empty()) chat_.receive(id, first_bytes, now_);
}

// Returns false when the connection is over.
bool Server::readFrom(chat::ClientId id, Connection& connection) {
  const net::IoResult result = net::receiveSome(connection.socket, buffer_.data(), buffer_.size());
  if (result.bytes > 0) {
    ++senders_;
    bytes_read_ += result.bytes;
    const std::string_view bytes(buffer_.data(), result.bytes);
    if (connection.web) return readFrames(id, connection, bytes);
    chat_.receive(id, bytes, now_);
    return true;
  }
  if (result.closed) {
    chat_.disconnected(id, "closed the connection", now_);
    return false;
  }
  const net::ErrorKind kind = result.error.kind;
  if (kind == net::ErrorKind::WouldBlock || kind == net::ErrorKind::Interrupted) return true;
  chat_.disconnected(id, describeFailure(result.error, keepalive_s_), now_);
  return false;
}

// One send() per client per turn: everything queued since the last turn (a message, its
// framing and the fresh prompt) leaves together.
void Server::flushOutput() {
  for (auto it = connections_.begin(); it != connections_.end();) {
    const std::string_view pending = chat_.pending(it->first);
    const bool keep = !wantsToWrite(pending, it->second) || flush(it->first, it->second, pending);
    it = keep ? std::next(it) : connections_.erase(it);
  }
}

// Only the clients whose deadline has come are looked at, so a quiet server with many browsers
// does no work per turn, and a busy one none per message beyond moving one list node.
void Server::pingIdleWebClients() {
  while (const std::optional<chat::ClientId> id = pings_.takeDue(now_.ms)) {
    const auto it = connections_.find(*id);
    if (it != connections_.end() && it->second.web) {
      it->second.web->pingIfIdle(chat_.pending(*id));
    }
  }
}

bool Server::wantsToWrite(std::string_view pending, const Connection& connection) const {
  return connection.web ? connection.web->wantsToWrite(pending) : !pending.empty();
}

// A WebSocket client's output goes one frame at a time, and the chat hears of it only as whole
// frames leave, so a browser that reads slowly fills the chat's queue as an nc client would.
// Returns false when the connection is over.
bool Server::flush(chat::ClientId id, Connection& connection, std::string_view pending) {
  const std::string_view out = connection.web ? connection.web->output(pending) : pending;
  const net::IoResult result = net::sendSome(connection.socket, out.data(), out.size());
  const net::ErrorKind kind = result.error.kind;
  if (result.bytes > 0) {
    const std::size_t delivered =
        connection.web ? connection.web->took(result.bytes) : result.bytes;
    if (delivered > 0) chat_.sent(id, delivered, now_);
    connection.ping.sent(now_.ms);
  } else if (kind != net::ErrorKind::WouldBlock && kind != net::ErrorKind::Interrupted) {
    chat_.disconnected(id, describeFailure(result.error, keepalive_s_), now_);
    return false;
  }
  return true;
}

void Server::collectDepartures() {
  for (chat::Departure& departure : chat_.takeDepartures()) {
    const auto it = connections_.find(departure.id);
    if (it == connections_.end()) continue;
    net::Socket socket = std::move(it->second.socket);
    std::unique_ptr<WebSocketLink> web = std::move(it->second.web);
    connections_.erase(it);
    if (departure.abort) continue;
    if (web) {
      const std::uint16_t code = shutting_down_ ? close_code::kGoingAway : close_code::kNormal;
      departure.farewell = web->closing(departure.farewell, code);
    }
    startClosing(std::move(socket), std::move(departure.farewell));
  }
}

void Server::startClosing(net::Socket socket, std::string farewell) {
  if (closing_.size() >= kMaxClosing) closing_.erase(closing_.begin());
  closing_.push_back(
      Closing{std::move(socket), std::move(farewell), 0, false, now_.ms + kClosingGraceMs});
  if (!advanceClosing(closing_.back())) closing_.pop_back();
}

void Server::serviceClosing() {
  for (auto it = closing_.begin(); it != closing_.end();) {
    it = advanceClosing(*it) ? std::next(it) : closing_.erase(it);
  }
}

// Returns false once the socket can be closed.
bool Server::advanceClosing(Closing& closing) {
  if (now_.ms >= closing.deadline_ms) return false;
  if (!closing.finished_sending) {
    const std::size_t left = closing.farewell.size() - closing.sent;
    if (left > 0) {
      const net::IoResult result =
          net::sendSome(closing.socket, closing.farewell.data() + closing.sent, left);
      closing.sent += result.bytes;
      const net::ErrorKind kind = result.error.kind;
      if (result.bytes == 0 && kind != net::ErrorKind::WouldBlock &&
          kind != net::ErrorKind::Interrupted) {
        return false;
      }
      if (closing.sent < closing.farewell.size()) return true;
    }
    closing.finished_sending = true;
    net::shutdownWrite(closing.socket);
  }
  // Going away, the server does not wait for the peer's FIN (nc never sends one): the kernel
  // still delivers what is queued, and an empty receive buffer means the close sends no reset.
  if (shutting_down_) {
    drainReceived(closing.socket);
    return false;
  }
  // Reads and drops whatever the peer still sends, until it closes its side.
  const net::IoResult result = net::receiveSome(closing.socket, buffer_.data(), buffer_.size());
  return result.bytes > 0 || result.error.kind == net::ErrorKind::WouldBlock ||
         result.error.kind == net::ErrorKind::Interrupted;
}

void Server::drainReceived(const net::Socket& socket) {
  for (int i = 0; i < kMaxDrainReads; ++i) {
    if (net::receiveSome(socket, buffer_.data(), buffer_.size()).bytes == 0) return;
  }
}

// Only sockets whose farewell the kernel has not taken yet are waited for, two seconds at most.
void Server::lingerForShutdown() {
  const std::int64_t give_up = now_.ms + kShutdownFlushMs;
  for (Closing& closing : closing_) closing.deadline_ms = std::min(closing.deadline_ms, give_up);
  serviceClosing();
  while (!closing_.empty()) {
    watchSockets();
    net::NetError error;
    sets_.wait(waitBudget(), error);
    refreshClock();
    serviceClosing();
  }
}

}  // namespace server
