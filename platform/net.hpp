// Portable sockets, select(), clocks and shutdown signals: the only door to the operating system.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

namespace net {

// Every system error is translated once into this small vocabulary plus the system's own text.
enum class ErrorKind {
  None,
  WouldBlock,       // not an error: try again when select() says so
  Interrupted,      // a signal arrived; retry
  ConnectionReset,  // the peer vanished (reset, aborted, broken pipe)
  ConnectionLost,   // the peer stopped answering: keepalive or retransmission gave up
  AddressInUse,
  AccessDenied,
  TooManyOpen,  // out of file descriptors / sockets
  Other,
};

struct NetError {
  ErrorKind kind = ErrorKind::None;
  int code = 0;         // errno or WSAGetLastError(), for the log
  std::string message;  // the system's description of `code`

  explicit operator bool() const { return kind != ErrorKind::None; }
};

// Which addresses to use: -4 and -6 on the command line narrow the default, both.
enum class Family { Any, V4, V6 };

// Starts and stops the socket library (WSAStartup on Windows, nothing elsewhere).
class NetInit {
 public:
  NetInit();
  ~NetInit();
  NetInit(const NetInit&) = delete;
  NetInit& operator=(const NetInit&) = delete;

  bool ok() const { return !error_; }
  const NetError& error() const { return error_; }

 private:
  NetError error_;
};

// An int on POSIX, a SOCKET on Windows; both fit.
using NativeHandle = std::intptr_t;
inline constexpr NativeHandle kInvalidHandle = -1;

// Move-only owner of one socket; closes it on destruction.
class Socket {
 public:
  Socket() = default;
  explicit Socket(NativeHandle handle) : handle_(handle) {}
  ~Socket() { close(); }
  Socket(Socket&& other) noexcept : handle_(other.release()) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      close();
      handle_ = other.release();
    }
    return *this;
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool valid() const { return handle_ != kInvalidHandle; }
  NativeHandle native() const { return handle_; }
  NativeHandle release() {
    const NativeHandle handle = handle_;
    handle_ = kInvalidHandle;
    return handle;
  }
  void close();

 private:
  NativeHandle handle_ = kInvalidHandle;
};

// Result of one receive or send call.
struct IoResult {
  std::size_t bytes = 0;
  bool closed = false;  // orderly end of stream from the peer (receive only)
  NetError error;       // WouldBlock when nothing could be done now
};

// Listens on `host:port`. An empty host means all interfaces: IPv6 `::` dual-stack
// (IPV6_V6ONLY off) with a fall-back to IPv4 0.0.0.0 where IPv6 is missing; Family::V4 listens
// on 0.0.0.0 only and Family::V6 on `::` with IPV6_V6ONLY on. A host is resolved within `family`.
// Port 0 picks a free port. The socket is non-blocking; SO_REUSEADDR on POSIX,
// SO_EXCLUSIVEADDRUSE on Windows.
Socket listenTcp(std::string_view host, std::uint16_t port, Family family, NetError& error);
inline Socket listenTcp(std::string_view host, std::uint16_t port, NetError& error) {
  return listenTcp(host, port, Family::Any, error);
}

// Accepts one pending connection: non-blocking, TCP_NODELAY set, no SIGPIPE. `peer` receives
// the address as "1.2.3.4:5678" or "[::1]:5678" (IPv4-mapped addresses shown as IPv4).
// Returns an invalid socket with WouldBlock when nothing is pending.
Socket acceptConnection(const Socket& listener, std::string& peer, NetError& error);

// Blocking connect for tools and tests; the socket is left blocking, TCP_NODELAY set.
Socket connectTcp(std::string_view host, std::uint16_t port, NetError& error);

// How the --connect client reaches its server (-s, -4 / -6, -w on the command line).
struct ConnectOptions {
  std::string source;  // local address to connect from; empty: the system's choice
  Family family = Family::Any;
  std::int64_t timeout_ms = 10000;  // for all the addresses of the host together
};

// Connects to `host:port` ("[::1]" works too), trying each address the name resolves to in turn
// until one answers, within the timeout. The socket is non-blocking, TCP_NODELAY set, no SIGPIPE.
// On failure `error` holds the reason the last address gave (or why the name did not resolve).
Socket connectTo(std::string_view host, std::uint16_t port, const ConnectOptions& options,
                 NetError& error);

// connectTo() for a loop that must not stop while the other end says nothing (the --connect
// client coming back, whose user may leave at any moment): the loop's own wait watches socket()
// for writability, then asks done(), which never waits. Same addresses, order and -w as
// connectTo().
class Connector {
 public:
  Connector(std::string_view host, std::uint16_t port, const ConnectOptions& options);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  // The socket of the address being tried; invalid once the attempt is over.
  const Socket& socket() const;
  // True once the attempt is over: take() then gives the connected socket, or an invalid one
  // with error() saying why. Moves on to the next address when one fails.
  bool done();
  Socket take();
  const NetError& error() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

NetError setNonBlocking(const Socket& socket, bool on);
NetError setNoDelay(const Socket& socket);
IoResult receiveSome(const Socket& socket, char* buffer, std::size_t length);
IoResult sendSome(const Socket& socket, const char* data,
                  std::size_t length);  // never raises SIGPIPE
NetError shutdownWrite(const Socket& socket);
std::uint16_t localPort(const Socket& socket);
// Whether TCP_NODELAY is on, so tests can check what the server promises about latency.
bool noDelayEnabled(const Socket& socket);

// Dead-peer detection (docs/PROTOCOL.md §8.3): what setKeepalive() asks of the system for `seconds`
// (S). The first probe goes out after S seconds of silence, and the peer is given up after
// `give_up_s` without an answer: idle, counted from when it was last heard from; with data waiting,
// from the first data it left unacknowledged (the same limit on retransmission). The promise is
// 2×S; the plan gives up at about 16/9 of S, because the kernels' timers fire late by up to an
// eighth of their length (Linux's timer wheel), and each probe waits on one.
struct KeepalivePlan {
  int idle_s = 0;      // silence before the first probe
  int interval_s = 0;  // between unanswered probes
  int probes = 0;      // unanswered probes before giving up
  int give_up_s = 0;   // idle_s + probes * interval_s
};
// The most --keepalive allows; more would outlast every NAT on the path anyway.
inline constexpr int kMaxKeepaliveSeconds = 3600;
inline KeepalivePlan keepalivePlan(int seconds) {
  // Probes a tenth of S apart (a second at least), so that from S = 3 on more than one probe
  // must go unanswered, and one lost on the way does not end a live connection.
  constexpr int kIntervalsPerIdle = 10;
  // Probes fill 7/9 of S after the idle S: 16/9 S, which timers an eighth late stretch to 2 S.
  constexpr int kProbeShareNum = 7;
  constexpr int kProbeShareDen = 9;
  KeepalivePlan plan;
  if (seconds <= 0) return plan;
  plan.idle_s = seconds;
  plan.interval_s = seconds / kIntervalsPerIdle > 1 ? seconds / kIntervalsPerIdle : 1;
  plan.probes = seconds * kProbeShareNum / (kProbeShareDen * plan.interval_s);
  if (plan.probes < 1) plan.probes = 1;
  plan.give_up_s = plan.idle_s + plan.probes * plan.interval_s;
  return plan;
}
// The time docs/PROTOCOL.md §8.3 promises a vanished peer is given up within, and that messages
// name.
inline int keepaliveBoundSeconds(int seconds) { return 2 * seconds; }

// Arms a connected socket with keepalive probes and the limit on unacknowledged data of
// keepalivePlan(seconds); 0 turns the probes off (and on Linux and macOS the limit goes back to
// the system's; Windows has no value for that, so there an earlier limit stays: the server and
// the client only ever arm fresh sockets). A connection given up this way then fails its reads
// and writes with ErrorKind::ConnectionLost.
NetError setKeepalive(const Socket& socket, int seconds);

// What the system holds for a socket, read back for tests; -1 where the system cannot tell
// (Windows before 10 version 1709, which takes the values only through SIO_KEEPALIVE_VALS).
struct KeepaliveState {
  bool on = false;
  int idle_s = -1;
  int interval_s = -1;
  int probes = -1;
  int give_up_ms = -1;  // TCP_USER_TIMEOUT, TCP_RXT_CONNDROPTIME or TCP_MAXRT, in ms
};
KeepaliveState readKeepalive(const Socket& socket);

// Closes with SO_LINGER 0 so the peer sees a reset instead of an orderly end; for tests.
NetError resetConnection(Socket& socket);

// The sets of one select() call. Reused across loop turns: clear(), add(), wait(), then ask.
class SelectSet {
 public:
  SelectSet();
  ~SelectSet();
  SelectSet(const SelectSet&) = delete;
  SelectSet& operator=(const SelectSet&) = delete;

  // How many sockets one select() can watch here (FD_SETSIZE, less a margin on POSIX where
  // the limit applies to descriptor numbers).
  static std::size_t capacity();

  void clear();
  // False when this socket cannot be watched by select() (set full, or descriptor too large).
  bool add(const Socket& socket, bool read, bool write);
  // Waits up to timeout_ms (never blocks forever). Returns the number of ready sockets, 0 on
  // timeout or interruption, -1 on error. With no socket added it just sleeps.
  int wait(std::int64_t timeout_ms, NetError& error);
  bool readable(const Socket& socket) const;
  bool writable(const Socket& socket) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Milliseconds from an arbitrary start, never going backwards.
std::int64_t monotonicMs();
// Microseconds of CPU time (user and system) this process has used so far.
std::int64_t processCpuMicros();
// Sleeps for about this many microseconds (plus the system's timer slack). Windows timers tick in
// milliseconds or coarser, so there it returns at once: a pause that long would cost more than it
// saves.
void pauseMicroseconds(int microseconds);
// Local wall-clock time as "YYYY-MM-DD HH:MM:SS".
std::string localTimestamp(std::time_t when);
// This machine's host name; empty when the system does not say. Windows: after NetInit.
std::string hostName();

// SIGINT/SIGTERM (POSIX) or Ctrl-C/Ctrl-Break/console close (Windows) set a flag that the loop
// polls; SIGPIPE is ignored. select() returns early on POSIX signals; elsewhere the loop's
// bounded select() timeout notices the flag.
void installShutdownHandler();
bool shutdownRequested();

}  // namespace net
