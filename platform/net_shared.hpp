// The parts of the socket layer that read the same on Winsock and BSD sockets: name resolution,
// the wildcard listener, connecting, and addresses as text. Only net_posix.cpp and net_win.cpp
// include this, after their own system headers; the interface is net.hpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "net.hpp"

namespace net::shared {

// "[::1]" is how users write an IPv6 address next to a port; getaddrinfo wants it bare.
inline std::string bareHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

struct AddrInfoList {
  addrinfo* head = nullptr;
  AddrInfoList() = default;
  AddrInfoList(const AddrInfoList&) = delete;
  AddrInfoList& operator=(const AddrInfoList&) = delete;
  ~AddrInfoList() {
    if (head != nullptr) freeaddrinfo(head);
  }
};

inline int addressFamily(Family family) {
  switch (family) {
    case Family::V4:
      return AF_INET;
    case Family::V6:
      return AF_INET6;
    case Family::Any:
      break;
  }
  return AF_UNSPEC;
}

// getaddrinfo() for TCP within `family`; returns its status (0 on success).
inline int resolve(std::string_view host, std::uint16_t port, bool passive, Family family,
                   AddrInfoList& out) {
  addrinfo hints{};
  hints.ai_family = addressFamily(family);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  const std::string name = bareHost(host);
  const std::string service = std::to_string(port);
  return getaddrinfo(name.empty() ? nullptr : name.c_str(), service.c_str(), &hints, &out.head);
}

// What an IPv6 listener does with IPv4 clients.
enum class V6Mode {
  DualRequired,    // takes them as IPv4-mapped addresses, or fails so the caller falls back
  DualIfPossible,  // takes them where the system allows it
  V6Only,          // refuses them (-6)
};

// The V6Mode for a listener resolved from a host name within `family`.
inline V6Mode resolvedV6Mode(Family family) {
  return family == Family::V6 ? V6Mode::V6Only : V6Mode::DualIfPossible;
}

// Listens on every interface: one IPv6 socket that takes IPv4 clients too, or IPv4 alone on a
// machine without IPv6; only one of them for Family::V4 or V6.
// bind_and_listen(address, length, v6_mode, error) and ipv6_missing(code) are the platform's.
template <typename BindAndListen, typename Ipv6Missing>
Socket listenAnyInterface(std::uint16_t port, Family family, NetError& error,
                          BindAndListen bind_and_listen, Ipv6Missing ipv6_missing) {
  if (family != Family::V4) {
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    any6.sin6_port = htons(port);
    const V6Mode mode = family == Family::V6 ? V6Mode::V6Only : V6Mode::DualRequired;
    Socket socket = bind_and_listen(reinterpret_cast<sockaddr*>(&any6), sizeof any6, mode, error);
    if (socket.valid() || family == Family::V6 || !ipv6_missing(error.code)) return socket;
  }
  sockaddr_in any4{};
  any4.sin_family = AF_INET;
  any4.sin_addr.s_addr = htonl(INADDR_ANY);
  any4.sin_port = htons(port);
  error = NetError();
  return bind_and_listen(reinterpret_cast<sockaddr*>(&any4), sizeof any4, V6Mode::DualIfPossible,
                         error);
}

// connectTo() apart from the system calls: resolves the host (and the source address, in the
// family of each target), then lets `attempt(target, source_or_null, deadline_ms, error)` try one
// address with what is left of the time. `resolve_failed(status)` turns a getaddrinfo status into
// the platform's NetError.
template <typename Attempt, typename ResolveFailed>
Socket connectEach(std::string_view host, std::uint16_t port, const ConnectOptions& options,
                   NetError& error, ResolveFailed resolve_failed, Attempt attempt) {
  error = NetError();
  AddrInfoList targets;
  if (const int status = resolve(host, port, false, options.family, targets); status != 0) {
    error = resolve_failed(status);
    return Socket();
  }
  const std::int64_t deadline = monotonicMs() + options.timeout_ms;
  for (const addrinfo* target = targets.head; target != nullptr; target = target->ai_next) {
    AddrInfoList source;
    if (!options.source.empty()) {
      const Family family = target->ai_family == AF_INET6 ? Family::V6 : Family::V4;
      const int status = resolve(options.source, 0, true, family, source);
      if (status != 0) {
        error = resolve_failed(status);
        continue;
      }
    }
    Socket socket = attempt(*target, source.head, deadline, error);
    if (socket.valid()) {
      error = NetError();
      return socket;
    }
    if (monotonicMs() >= deadline) break;
  }
  return Socket();
}

// What Connector needs of the platform, in net_posix.cpp and net_win.cpp.
// Begins a non-blocking connect to `target` (from `source` when not null); `in_progress` says
// whether the answer is still to come. An invalid socket with `error` set when it failed at once.
Socket startConnect(const addrinfo& target, const addrinfo* source, bool& in_progress,
                    NetError& error);
// Whether the connect begun on `socket` has its answer within `wait_ms` (0: now, without
// waiting); `error` set when it failed.
bool connectAnswered(const Socket& socket, std::int64_t wait_ms, NetError& error);
// A connected socket made ready for use as connectTo() leaves it.
void readyConnected(Socket& socket);
NetError resolveFailed(int status);
// The error of a connect that had no answer within -w.
NetError timedOut();

// Waits until the connect begun on `socket` has an answer or `deadline_ms` passes.
inline NetError finishConnect(const Socket& socket, std::int64_t deadline_ms) {
  for (;;) {
    const std::int64_t left = deadline_ms - monotonicMs();
    if (left <= 0) return timedOut();
    NetError error;
    if (connectAnswered(socket, left, error)) return error;
    // no answer yet (or an interrupted wait): the deadline check above ends it
  }
}

// One blocking connect attempt for connectEach(), within `deadline_ms`.
inline Socket connectOne(const addrinfo& target, const addrinfo* source, std::int64_t deadline_ms,
                         NetError& error) {
  bool in_progress = false;
  Socket socket = startConnect(target, source, in_progress, error);
  if (!socket.valid()) return Socket();
  if (in_progress && (error = finishConnect(socket, deadline_ms))) return Socket();
  readyConnected(socket);
  return socket;
}

}  // namespace net::shared

namespace net {

// connectTo(), and Connector's state and its methods, which read the same on both platforms;
// defined here, in the one file of each build that includes this header.
struct Connector::Impl {
  shared::AddrInfoList targets;
  const addrinfo* next = nullptr;  // the address to try after the current one
  ConnectOptions options;
  std::int64_t deadline = 0;
  Socket socket;
  Socket connected;
  NetError error;
  bool over = false;

  // Starts on the following addresses until one is under way or connected; over when none is.
  void startNext() {
    while (next != nullptr && monotonicMs() < deadline) {
      const addrinfo& target = *next;
      next = next->ai_next;
      shared::AddrInfoList source;
      if (!options.source.empty()) {
        const Family family = target.ai_family == AF_INET6 ? Family::V6 : Family::V4;
        const int status = shared::resolve(options.source, 0, true, family, source);
        if (status != 0) {
          error = shared::resolveFailed(status);
          continue;
        }
      }
      bool in_progress = false;
      socket = shared::startConnect(target, source.head, in_progress, error);
      if (!socket.valid()) continue;
      if (!in_progress) finish();
      return;
    }
    if (!error) error = shared::timedOut();  // -w passed before an address could be tried
    over = true;
  }

  void finish() {
    shared::readyConnected(socket);
    connected = std::move(socket);
    error = NetError();
    over = true;
  }
};

Connector::Connector(std::string_view host, std::uint16_t port, const ConnectOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->deadline = monotonicMs() + options.timeout_ms;
  if (const int status = shared::resolve(host, port, false, options.family, impl_->targets);
      status != 0) {
    impl_->error = shared::resolveFailed(status);
    impl_->over = true;
    return;
  }
  impl_->next = impl_->targets.head;
  impl_->startNext();
}

Connector::~Connector() = default;

const Socket& Connector::socket() const { return impl_->socket; }

bool Connector::done() {
  Impl& at = *impl_;
  while (!at.over) {
    NetError failed;
    if (shared::connectAnswered(at.socket, 0, failed)) {
      if (!failed) {
        at.finish();
        return true;
      }
      at.error = failed;
    } else if (monotonicMs() < at.deadline) {
      return false;
    } else {
      at.error = shared::timedOut();
    }
    at.socket.close();
    at.startNext();
  }
  return true;
}

Socket connectTo(std::string_view host, std::uint16_t port, const ConnectOptions& options,
                 NetError& error) {
  return shared::connectEach(host, port, options, error, shared::resolveFailed, shared::connectOne);
}

Socket Connector::take() { return std::move(impl_->connected); }

const NetError& Connector::error() const { return impl_->error; }

}  // namespace net

namespace net::shared {

inline bool isV4Mapped(const in6_addr& address) {
  static const unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(address.s6_addr, kPrefix, sizeof kPrefix) == 0;
}

// "1.2.3.4:5678" or "[::1]:5678"; an IPv4 client of an IPv6 socket shows as IPv4.
inline std::string formatAddress(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, const_cast<in_addr*>(&v4.sin_addr), text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(v4.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    const std::string port = std::to_string(ntohs(v6.sin6_port));
    if (isV4Mapped(v6.sin6_addr)) {
      in_addr v4{};
      std::memcpy(&v4, &v6.sin6_addr.s6_addr[12], sizeof v4);
      inet_ntop(AF_INET, &v4, text, sizeof text);
      return std::string(text) + ":" + port;
    }
    inet_ntop(AF_INET6, const_cast<in6_addr*>(&v6.sin6_addr), text, sizeof text);
    return "[" + std::string(text) + "]:" + port;
  }
  return "unknown";
}

// The port of an IPv4 or IPv6 address, 0 for any other family.
inline std::uint16_t portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return 0;
}

}  // namespace net::shared
