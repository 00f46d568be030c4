// BSD-socket implementation of net.hpp for Linux and macOS: sockets, select(), clocks, signals.
#include "net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>

#include "net_shared.hpp"

namespace net {
namespace {

// Deep enough that a burst of nc clients is not refused while the loop is busy.
constexpr int kListenBacklog = 128;
// select() watches descriptor numbers, not a count: keep room for stdin/stdout/stderr, the
// listener and the log file, which hold low numbers before any client arrives.
constexpr std::size_t kDescriptorMargin = 24;

#ifdef MSG_NOSIGNAL
constexpr int kSendFlags = MSG_NOSIGNAL;
#else
constexpr int kSendFlags = 0;  // macOS: SO_NOSIGPIPE on every connected socket does it instead
#endif

// The single place where errno becomes the portable vocabulary.
NetError translateError(int code) {
  NetError error;
  error.code = code;
  error.message = std::strerror(code);
  switch (code) {
    case 0:
      error.kind = ErrorKind::None;
      break;
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
      error.kind = ErrorKind::WouldBlock;
      break;
    case EINTR:
      error.kind = ErrorKind::Interrupted;
      break;
    case ECONNRESET:
    case ECONNABORTED:
    case EPIPE:
    case ENOTCONN:
    case EPROTOTYPE:  // macOS: send() on a connection the peer is tearing down
      error.kind = ErrorKind::ConnectionReset;
      break;
    // Keepalive or the retransmission limit gave up; an ICMP error heard on the way (a router
    // saying the host is gone) is what the kernel reports instead of the timeout, if there was one.
    case ETIMEDOUT:
    case EHOSTUNREACH:
    case ENETUNREACH:
      error.kind = ErrorKind::ConnectionLost;
      break;
    case EADDRINUSE:
      error.kind = ErrorKind::AddressInUse;
      break;
    case EACCES:
    case EPERM:
      error.kind = ErrorKind::AccessDenied;
      break;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      error.kind = ErrorKind::TooManyOpen;
      break;
    default:
      error.kind = ErrorKind::Other;
      break;
  }
  return error;
}

NetError lastError() { return translateError(errno); }

NetError resolverError(int code) {
  NetError error;
  error.kind = ErrorKind::Other;
  error.code = code;
  error.message = gai_strerror(code);
  return error;
}

int fdOf(const Socket& socket) { return static_cast<int>(socket.native()); }

// Where the socket option exists (macOS, the BSDs) it keeps a dead peer from killing the server
// whatever the send flags; macOS lacks MSG_NOSIGNAL. Linux has only the flag.
void suppressSigpipe(int fd) {
#ifdef SO_NOSIGPIPE
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#else
  (void)fd;
#endif
}

// Whether an IPv6 listener takes IPv4 clients too, as IPv4-mapped addresses. The default differs
// (FreeBSD and Windows: v6-only), so it is always set; OpenBSD cannot turn v6-only off at all.
bool setV6Only(int fd, bool on) {
  int value = on ? 1 : 0;
  return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &value, sizeof value) == 0;
}

// With V6Mode::DualRequired, an IPv6 socket that cannot take IPv4 fails with EAFNOSUPPORT, so
// that the caller's IPv4 fall-back serves every client that `nc localhost` may be.
Socket bindAndListen(const sockaddr* address, socklen_t length, shared::V6Mode v6_mode,
                     NetError& error) {
  Socket socket(::socket(address->sa_family, SOCK_STREAM, IPPROTO_TCP));
  if (!socket.valid()) {
    error = lastError();
    return Socket();
  }
  const int fd = fdOf(socket);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (address->sa_family == AF_INET6 && !setV6Only(fd, v6_mode == shared::V6Mode::V6Only) &&
      v6_mode != shared::V6Mode::DualIfPossible) {
    error = translateError(EAFNOSUPPORT);
    return Socket();
  }
  if (::bind(fd, address, length) != 0 || ::listen(fd, kListenBacklog) != 0) {
    error = lastError();
    return Socket();
  }
  error = setNonBlocking(socket, true);
  if (error) return Socket();
  return socket;
}

// Errors that mean "this machine has no usable IPv6", as opposed to a real problem with the port.
bool ipv6Missing(int code) {
  return code == EAFNOSUPPORT || code == EPROTONOSUPPORT || code == EADDRNOTAVAIL;
}

// setsockopt() for one int; false with errno set on failure.
bool setInt(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

int getInt(int fd, int level, int name) {
  int value = 0;
  socklen_t length = sizeof value;
  return getsockopt(fd, level, name, &value, &length) == 0 ? value : -1;
}

// The option that sets the silence before the first probe: TCP_KEEPIDLE on Linux and the BSDs,
// TCP_KEEPALIVE on macOS.
#if defined(TCP_KEEPIDLE)
constexpr int kKeepIdleOption = TCP_KEEPIDLE;
#else
constexpr int kKeepIdleOption = TCP_KEEPALIVE;
#endif

// Keepalive stops probing while data waits unacknowledged, so a limit on retransmission ends
// that case: Linux's TCP_USER_TIMEOUT (ms), which also ends a keepalive that goes unanswered
// that long (tcp(7)); macOS's TCP_RXT_CONNDROPTIME (s). 0 is the system's default on both.
bool setRetransmitLimit(int fd, int seconds) {
#if defined(TCP_USER_TIMEOUT)
  return setInt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, seconds * 1000);
#elif defined(TCP_RXT_CONNDROPTIME)
  return setInt(fd, IPPROTO_TCP, TCP_RXT_CONNDROPTIME, seconds);
#else
  (void)fd;
  (void)seconds;
  return true;  // no such limit here: keepalive still ends the idle case
#endif
}

int retransmitLimitMs(int fd) {
#if defined(TCP_USER_TIMEOUT)
  return getInt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT);
#elif defined(TCP_RXT_CONNDROPTIME)
  const int seconds = getInt(fd, IPPROTO_TCP, TCP_RXT_CONNDROPTIME);
  return seconds < 0 ? -1 : seconds * 1000;
#else
  (void)fd;
  return -1;
#endif
}

volatile std::sig_atomic_t g_shutdown_requested = 0;

extern "C" void onShutdownSignal(int) { g_shutdown_requested = 1; }

}  // namespace

NetInit::NetInit() = default;
NetInit::~NetInit() = default;

void Socket::close() {
  if (valid()) {
    // Retrying close() after EINTR may close a descriptor another open() just reused.
    ::close(static_cast<int>(handle_));
    handle_ = kInvalidHandle;
  }
}

Socket listenTcp(std::string_view host, std::uint16_t port, Family family, NetError& error) {
  error = NetError();
  if (host.empty()) {
    return shared::listenAnyInterface(port, family, error, bindAndListen, ipv6Missing);
  }
  shared::AddrInfoList list;
  if (const int status = shared::resolve(host, port, true, family, list); status != 0) {
    error = resolverError(status);
    return Socket();
  }
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    Socket socket =
        bindAndListen(ai->ai_addr, ai->ai_addrlen, shared::resolvedV6Mode(family), error);
    if (socket.valid()) return socket;
  }
  return Socket();
}

Socket acceptConnection(const Socket& listener, std::string& peer, NetError& error) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  int fd;
  do {
    fd = ::accept(fdOf(listener), reinterpret_cast<sockaddr*>(&address), &length);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    error = lastError();
    return Socket();
  }
  Socket socket(fd);
  error = setNonBlocking(socket, true);
  if (error) return Socket();
  suppressSigpipe(fd);
  setNoDelay(socket);  // a latency nicety; the connection works without it
  // telnet's "synch" sends its Data Mark as urgent data; inline, it reaches the telnet filter
  // as the IAC DM it is, instead of vanishing and leaving a lone IAC to eat the next byte.
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &on, sizeof on);
  peer = shared::formatAddress(address);
  return socket;
}

Socket connectTcp(std::string_view host, std::uint16_t port, NetError& error) {
  error = NetError();
  shared::AddrInfoList list;
  if (const int status = shared::resolve(host, port, false, Family::Any, list); status != 0) {
    error = resolverError(status);
    return Socket();
  }
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    Socket socket(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
    if (!socket.valid()) {
      error = lastError();
      continue;
    }
    if (::connect(fdOf(socket), ai->ai_addr, ai->ai_addrlen) != 0) {
      error = lastError();
      continue;
    }
    suppressSigpipe(fdOf(socket));
    setNoDelay(socket);
    error = NetError();
    return socket;
  }
  return Socket();
}

namespace shared {

Socket startConnect(const addrinfo& target, const addrinfo* source, bool& in_progress,
                    NetError& error) {
  in_progress = false;
  Socket socket(::socket(target.ai_family, target.ai_socktype, target.ai_protocol));
  if (!socket.valid()) {
    error = lastError();
    return Socket();
  }
  const int fd = fdOf(socket);
  if ((error = setNonBlocking(socket, true))) return Socket();
  if (source != nullptr && ::bind(fd, source->ai_addr, source->ai_addrlen) != 0) {
    error = lastError();
    return Socket();
  }
  if (::connect(fd, target.ai_addr, target.ai_addrlen) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      error = lastError();
      return Socket();
    }
    in_progress = true;
  }
  return socket;
}

bool connectAnswered(const Socket& socket, std::int64_t wait_ms, NetError& error) {
  const int fd = fdOf(socket);
  if (fd >= FD_SETSIZE) {
    error = translateError(EMFILE);
    return true;
  }
  fd_set writable;
  FD_ZERO(&writable);
  FD_SET(fd, &writable);
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(wait_ms / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((wait_ms % 1000) * 1000);
  const int ready = ::select(fd + 1, nullptr, &writable, nullptr, &timeout);
  if (ready < 0 && errno == EINTR) return false;
  if (ready < 0) {
    error = lastError();
    return true;
  }
  if (ready == 0) return false;
  int code = 0;
  socklen_t length = sizeof code;
  error = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 ? lastError()
                                                                    : translateError(code);
  return true;
}

void readyConnected(Socket& socket) {
  suppressSigpipe(fdOf(socket));
  setNoDelay(socket);
}

NetError resolveFailed(int status) { return resolverError(status); }

NetError timedOut() { return translateError(ETIMEDOUT); }

}  // namespace shared

NetError setNonBlocking(const Socket& socket, bool on) {
  const int fd = fdOf(socket);
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0) return lastError();
  const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags && fcntl(fd, F_SETFL, wanted) != 0) return lastError();
  return NetError();
}

NetError setNoDelay(const Socket& socket) {
  int on = 1;
  if (setsockopt(fdOf(socket), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) return lastError();
  return NetError();
}

bool noDelayEnabled(const Socket& socket) {
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fdOf(socket), IPPROTO_TCP, TCP_NODELAY, &value, &length) != 0) return false;
  return value != 0;
}

NetError setKeepalive(const Socket& socket, int seconds) {
  const int fd = fdOf(socket);
  const KeepalivePlan plan = keepalivePlan(seconds);
  if (seconds <= 0) {
    if (!setInt(fd, SOL_SOCKET, SO_KEEPALIVE, 0) || !setRetransmitLimit(fd, 0)) return lastError();
    return NetError();
  }
  const bool ok = setInt(fd, IPPROTO_TCP, kKeepIdleOption, plan.idle_s) &&
                  setInt(fd, IPPROTO_TCP, TCP_KEEPINTVL, plan.interval_s) &&
                  setInt(fd, IPPROTO_TCP, TCP_KEEPCNT, plan.probes) &&
                  setRetransmitLimit(fd, plan.give_up_s) && setInt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
  return ok ? NetError() : lastError();
}

KeepaliveState readKeepalive(const Socket& socket) {
  const int fd = fdOf(socket);
  KeepaliveState state;
  state.on = getInt(fd, SOL_SOCKET, SO_KEEPALIVE) > 0;
  state.idle_s = getInt(fd, IPPROTO_TCP, kKeepIdleOption);
  state.interval_s = getInt(fd, IPPROTO_TCP, TCP_KEEPINTVL);
  state.probes = getInt(fd, IPPROTO_TCP, TCP_KEEPCNT);
  state.give_up_ms = retransmitLimitMs(fd);
  return state;
}

NetError resetConnection(Socket& socket) {
  linger abortive{};
  abortive.l_onoff = 1;
  abortive.l_linger = 0;
  NetError error;
  if (setsockopt(fdOf(socket), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive) != 0) {
    error = lastError();
  }
  socket.close();
  return error;
}

IoResult receiveSome(const Socket& socket, char* buffer, std::size_t length) {
  IoResult result;
  ssize_t got;
  do {
    got = ::recv(fdOf(socket), buffer, length, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    result.error = lastError();
  } else if (got == 0 && length > 0) {
    result.closed = true;
  } else {
    result.bytes = static_cast<std::size_t>(got);
  }
  return result;
}

IoResult sendSome(const Socket& socket, const char* data, std::size_t length) {
  IoResult result;
  ssize_t sent;
  do {
    sent = ::send(fdOf(socket), data, length, kSendFlags);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    result.error = lastError();
  } else {
    result.bytes = static_cast<std::size_t>(sent);
  }
  return result;
}

NetError shutdownWrite(const Socket& socket) {
  if (::shutdown(fdOf(socket), SHUT_WR) != 0) return lastError();
  return NetError();
}

std::uint16_t localPort(const Socket& socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fdOf(socket), reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return shared::portOf(address);
}

struct SelectSet::Impl {
  fd_set read_wanted;
  fd_set write_wanted;
  fd_set read_ready;
  fd_set write_ready;
  int max_fd = -1;
};

SelectSet::SelectSet() : impl_(std::make_unique<Impl>()) { clear(); }
SelectSet::~SelectSet() = default;

std::size_t SelectSet::capacity() { return FD_SETSIZE - kDescriptorMargin; }

void SelectSet::clear() {
  FD_ZERO(&impl_->read_wanted);
  FD_ZERO(&impl_->write_wanted);
  FD_ZERO(&impl_->read_ready);
  FD_ZERO(&impl_->write_ready);
  impl_->max_fd = -1;
}

bool SelectSet::add(const Socket& socket, bool read, bool write) {
  const int fd = fdOf(socket);
  // FD_SET on a descriptor >= FD_SETSIZE writes past the end of the set.
  if (fd < 0 || fd >= FD_SETSIZE) return false;
  if (read) FD_SET(fd, &impl_->read_wanted);
  if (write) FD_SET(fd, &impl_->write_wanted);
  if (fd > impl_->max_fd) impl_->max_fd = fd;
  return true;
}

int SelectSet::wait(std::int64_t timeout_ms, NetError& error) {
  error = NetError();
  if (timeout_ms < 0) timeout_ms = 0;
  // select() overwrites its sets, so it works on copies and the wanted sets survive a retry.
  impl_->read_ready = impl_->read_wanted;
  impl_->write_ready = impl_->write_wanted;
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
  const int ready =
      ::select(impl_->max_fd + 1, &impl_->read_ready, &impl_->write_ready, nullptr, &timeout);
  if (ready >= 0) return ready;
  const int code = errno;
  FD_ZERO(&impl_->read_ready);
  FD_ZERO(&impl_->write_ready);
  if (code == EINTR) return 0;  // the loop wakes to look at the shutdown flag
  error = translateError(code);
  return -1;
}

bool SelectSet::readable(const Socket& socket) const {
  const int fd = fdOf(socket);
  return fd >= 0 && fd < FD_SETSIZE && FD_ISSET(fd, &impl_->read_ready);
}

bool SelectSet::writable(const Socket& socket) const {
  const int fd = fdOf(socket);
  return fd >= 0 && fd < FD_SETSIZE && FD_ISSET(fd, &impl_->write_ready);
}

std::int64_t monotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::int64_t processCpuMicros() {
  timespec used{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used) != 0) return 0;
  return static_cast<std::int64_t>(used.tv_sec) * 1000000 + used.tv_nsec / 1000;
}

void pauseMicroseconds(int microseconds) {
  if (microseconds <= 0) return;
  timespec pause{microseconds / 1000000, (microseconds % 1000000) * 1000L};
  nanosleep(&pause, nullptr);  // a signal cutting it short is fine: the loop looks at the flag next
}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return std::string(name);
}

std::string localTimestamp(std::time_t when) {
  std::tm parts{};
  if (localtime_r(&when, &parts) == nullptr) return "0000-00-00 00:00:00";
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return std::string(text, length);
}

void installShutdownHandler() {
  struct sigaction action = {};
  action.sa_handler = onShutdownSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: select() must return EINTR so the loop sees the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
}

bool shutdownRequested() { return g_shutdown_requested != 0; }

}  // namespace net
