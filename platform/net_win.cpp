// Winsock 2 implementation of net.hpp for Windows: sockets, select(), clocks, console control.
// Winsock's fd_set is a counted array whose size is fixed when winsock2.h is read; the default 64
// would cap the chat far below what the server allows on POSIX.
#define FD_SETSIZE 1024
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601  // Windows 7: inet_ntop and dual-stack sockets
#endif

#include "net.hpp"

#include <windows.h>  // lean: without the old winsock.h, whose fd_set would clash
#include <winsock2.h>
#include <ws2tcpip.h>
// After winsock2.h, which it needs: SIO_KEEPALIVE_VALS and struct tcp_keepalive.
#include <mstcpip.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>

#include "net_shared.hpp"

namespace net {
namespace {

// Deep enough that a burst of nc clients is not refused while the loop is busy.
constexpr int kListenBacklog = 128;
// Winsock counts sockets, not descriptor numbers, so only the listener and sockets being closed
// need room; the margin is the POSIX one all the same, so that every build accepts the same
// --max-clients and prints the same help.
constexpr std::size_t kSocketMargin = 24;
// Windows ends the process once the handler of a console close returns, and at the latest
// after about five seconds; waiting here gives the loop its time to say goodbye and flush.
constexpr DWORD kConsoleCloseGraceMs = 4000;

SOCKET socketOf(const Socket& socket) { return static_cast<SOCKET>(socket.native()); }

// The words glibc uses for the errors a user of this server meets, so that a Windows build says
// what a Linux build says; Windows' own text (which Wine often lacks) for everything else.
struct PortableMessage {
  int code;
  const char* text;
};
constexpr PortableMessage kPortableMessages[] = {
    {WSAEINTR, "Interrupted system call"},
    {WSAEACCES, "Permission denied"},
    {WSAEMFILE, "Too many open files"},
    {WSAEWOULDBLOCK, "Resource temporarily unavailable"},
    {WSAEAFNOSUPPORT, "Address family not supported by protocol"},
    {WSAEADDRINUSE, "Address already in use"},
    {WSAEADDRNOTAVAIL, "Cannot assign requested address"},
    {WSAENETDOWN, "Network is down"},
    {WSAENETUNREACH, "Network is unreachable"},
    {WSAENETRESET, "Network dropped connection on reset"},
    {WSAECONNABORTED, "Software caused connection abort"},
    {WSAECONNRESET, "Connection reset by peer"},
    {WSAENOBUFS, "No buffer space available"},
    {WSAENOTCONN, "Transport endpoint is not connected"},
    {WSAESHUTDOWN, "Cannot send after transport endpoint shutdown"},
    {WSAETIMEDOUT, "Connection timed out"},
    {WSAECONNREFUSED, "Connection refused"},
    {WSAEHOSTUNREACH, "No route to host"},
    // getaddrinfo() fails with these (its EAI_NONAME, EAI_AGAIN, EAI_FAIL and EAI_NODATA).
    {WSAHOST_NOT_FOUND, "Name or service not known"},
    {WSATRY_AGAIN, "Temporary failure in name resolution"},
    {WSANO_RECOVERY, "Non-recoverable failure in name resolution"},
    {WSANO_DATA, "No address associated with hostname"},
};

std::string systemMessage(int code) {
  for (const PortableMessage& known : kPortableMessages) {
    if (known.code == code) return known.text;
  }
  char* text = nullptr;
  const DWORD length = FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, static_cast<DWORD>(code), MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
      reinterpret_cast<LPSTR>(&text), 0, nullptr);
  std::string message = length > 0 && text != nullptr ? std::string(text, length) : std::string();
  if (text != nullptr) LocalFree(text);
  while (!message.empty() && (message.back() == '\r' || message.back() == '\n')) {
    message.pop_back();
  }
  if (message.empty()) message = "Windows socket error " + std::to_string(code);
  return message;
}

// The single place where WSAGetLastError() becomes the portable vocabulary.
NetError translateError(int code) {
  NetError error;
  error.code = code;
  switch (code) {
    case 0:
      return error;
    case WSAEWOULDBLOCK:
      error.kind = ErrorKind::WouldBlock;
      break;
    case WSAEINTR:
      error.kind = ErrorKind::Interrupted;
      break;
    case WSAECONNRESET:
    case WSAECONNABORTED:
    case WSAESHUTDOWN:
    case WSAENOTCONN:
      error.kind = ErrorKind::ConnectionReset;
      break;
    // Keepalive (WSAENETRESET) or the retransmission limit (WSAETIMEDOUT) gave up, or a router
    // said on the way that the peer cannot be reached.
    case WSAENETRESET:
    case WSAETIMEDOUT:
    case WSAEHOSTUNREACH:
    case WSAENETUNREACH:
      error.kind = ErrorKind::ConnectionLost;
      break;
    case WSAEADDRINUSE:
      error.kind = ErrorKind::AddressInUse;
      break;
    case WSAEACCES:
      error.kind = ErrorKind::AccessDenied;
      break;
    case WSAEMFILE:
    case WSAENOBUFS:
      error.kind = ErrorKind::TooManyOpen;
      break;
    default:
      error.kind = ErrorKind::Other;
      break;
  }
  error.message = systemMessage(code);
  return error;
}

NetError lastError() { return translateError(WSAGetLastError()); }

NativeHandle toHandle(SOCKET socket) {
  return socket == INVALID_SOCKET ? kInvalidHandle : static_cast<NativeHandle>(socket);
}

// Whether an IPv6 listener takes IPv4 clients too, as IPv4-mapped addresses; Windows defaults to
// v6-only.
bool setV6Only(SOCKET handle, bool on) {
  DWORD value = on ? 1 : 0;
  return setsockopt(handle, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char*>(&value),
                    sizeof value) == 0;
}

// With V6Mode::DualRequired, an IPv6 socket that cannot take IPv4 fails with WSAEAFNOSUPPORT, so
// that the caller's IPv4 fall-back serves every client that `nc localhost` may be.
Socket bindAndListen(const sockaddr* address, int length, shared::V6Mode v6_mode, NetError& error) {
  Socket socket(toHandle(::socket(address->sa_family, SOCK_STREAM, IPPROTO_TCP)));
  if (!socket.valid()) {
    error = lastError();
    return Socket();
  }
  const SOCKET handle = socketOf(socket);
  // SO_REUSEADDR on Windows would let another process steal the port; exclusive use is the
  // Windows way of getting POSIX's behaviour.
  BOOL on = TRUE;
  setsockopt(handle, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&on),
             sizeof on);
  if (address->sa_family == AF_INET6 && !setV6Only(handle, v6_mode == shared::V6Mode::V6Only) &&
      v6_mode != shared::V6Mode::DualIfPossible) {
    error = translateError(WSAEAFNOSUPPORT);
    return Socket();
  }
  if (::bind(handle, address, length) != 0) {
    error = lastError();
    // A port held with SO_EXCLUSIVEADDRUSE can refuse others with WSAEACCES instead of
    // WSAEADDRINUSE (always so under Wine), and so does a port in a range the system reserved.
    if (error.code == WSAEACCES) {
      error.kind = ErrorKind::AddressInUse;
      error.message = "Address already in use or reserved (" + systemMessage(error.code) + ")";
    }
    return Socket();
  }
  if (::listen(handle, kListenBacklog) != 0) {
    error = lastError();
    return Socket();
  }
  error = setNonBlocking(socket, true);
  if (error) return Socket();
  return socket;
}

// Errors that mean "this machine has no usable IPv6", as opposed to a real problem with the port.
bool ipv6Missing(int code) {
  return code == WSAEAFNOSUPPORT || code == WSAEPROTONOSUPPORT || code == WSAEADDRNOTAVAIL;
}

int clampLength(std::size_t length) {
  return length > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(length);
}

// Windows' values of the per-socket keepalive options that Windows 10 version 1709 added, and of
// TCP_MAXRT (ws2ipdef.h); MinGW's headers lack them.
constexpr int kTcpKeepIdle = 3;
constexpr int kTcpMaxRetransmitTime = 5;
constexpr int kTcpKeepCount = 16;
constexpr int kTcpKeepInterval = 17;
// SIO_KEEPALIVE_VALS cannot set the number of probes: Windows sends ten (since Vista).
constexpr int kFixedKeepaliveProbes = 10;

bool setDword(SOCKET handle, int level, int name, DWORD value) {
  return setsockopt(handle, level, name, reinterpret_cast<const char*>(&value), sizeof value) == 0;
}

int getDword(SOCKET handle, int level, int name) {
  DWORD value = 0;
  int length = sizeof value;
  if (getsockopt(handle, level, name, reinterpret_cast<char*>(&value), &length) != 0) return -1;
  return static_cast<int>(value);
}

// The idle time, interval and count one by one where Windows takes them (10 version 1709 on);
// otherwise SIO_KEEPALIVE_VALS, its interval chosen so that its ten probes end at give_up_s.
bool setProbes(SOCKET handle, const KeepalivePlan& plan) {
  if (setDword(handle, IPPROTO_TCP, kTcpKeepIdle, plan.idle_s) &&
      setDword(handle, IPPROTO_TCP, kTcpKeepInterval, plan.interval_s) &&
      setDword(handle, IPPROTO_TCP, kTcpKeepCount, plan.probes)) {
    return true;
  }
  tcp_keepalive values{};
  values.onoff = 1;
  values.keepalivetime = static_cast<u_long>(plan.idle_s) * 1000;
  values.keepaliveinterval =
      static_cast<u_long>(plan.give_up_s - plan.idle_s) * 1000 / kFixedKeepaliveProbes;
  DWORD returned = 0;
  return WSAIoctl(handle, SIO_KEEPALIVE_VALS, &values, sizeof values, nullptr, 0, &returned,
                  nullptr, nullptr) == 0;
}

std::atomic<bool> g_shutdown_requested{false};

// Runs on a thread of its own that Windows starts for each event.
BOOL WINAPI onConsoleControl(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
      g_shutdown_requested = true;
      return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      // Returning would end the process at once. The loop, meanwhile, says goodbye, flushes and
      // returns from main(), whose exit ends this thread too; the sleep only bounds the wait.
      g_shutdown_requested = true;
      Sleep(kConsoleCloseGraceMs);
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

NetInit::NetInit() {
  WSADATA data;
  const int status = WSAStartup(MAKEWORD(2, 2), &data);
  if (status != 0) error_ = translateError(status);
}

NetInit::~NetInit() {
  if (ok()) WSACleanup();
}

void Socket::close() {
  if (valid()) {
    closesocket(static_cast<SOCKET>(handle_));
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
    error = translateError(status);
    return Socket();
  }
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    Socket socket = bindAndListen(ai->ai_addr, static_cast<int>(ai->ai_addrlen),
                                  shared::resolvedV6Mode(family), error);
    if (socket.valid()) return socket;
  }
  return Socket();
}

Socket acceptConnection(const Socket& listener, std::string& peer, NetError& error) {
  sockaddr_storage address{};
  int length = sizeof address;
  Socket socket(
      toHandle(::accept(socketOf(listener), reinterpret_cast<sockaddr*>(&address), &length)));
  if (!socket.valid()) {
    error = lastError();
    return Socket();
  }
  error = setNonBlocking(socket, true);
  if (error) return Socket();
  setNoDelay(socket);  // a latency nicety; the connection works without it
  // telnet's "synch" sends its Data Mark as urgent data; inline, it reaches the telnet filter
  // as the IAC DM it is, instead of vanishing and leaving a lone IAC to eat the next byte.
  BOOL on = TRUE;
  setsockopt(socketOf(socket), SOL_SOCKET, SO_OOBINLINE, reinterpret_cast<const char*>(&on),
             sizeof on);
  peer = shared::formatAddress(address);
  return socket;
}

Socket connectTcp(std::string_view host, std::uint16_t port, NetError& error) {
  error = NetError();
  shared::AddrInfoList list;
  if (const int status = shared::resolve(host, port, false, Family::Any, list); status != 0) {
    error = translateError(status);
    return Socket();
  }
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    Socket socket(toHandle(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)));
    if (!socket.valid()) {
      error = lastError();
      continue;
    }
    if (::connect(socketOf(socket), ai->ai_addr, static_cast<int>(ai->ai_addrlen)) != 0) {
      error = lastError();
      continue;
    }
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
  Socket socket(toHandle(::socket(target.ai_family, target.ai_socktype, target.ai_protocol)));
  if (!socket.valid()) {
    error = lastError();
    return Socket();
  }
  const SOCKET handle = socketOf(socket);
  if ((error = setNonBlocking(socket, true))) return Socket();
  if (source != nullptr &&
      ::bind(handle, source->ai_addr, static_cast<int>(source->ai_addrlen)) != 0) {
    error = lastError();
    return Socket();
  }
  if (::connect(handle, target.ai_addr, static_cast<int>(target.ai_addrlen)) != 0) {
    if (WSAGetLastError() != WSAEWOULDBLOCK) {
      error = lastError();
      return Socket();
    }
    in_progress = true;
  }
  return socket;
}

// Winsock reports a failed connect in the exception set, not the write set.
bool connectAnswered(const Socket& socket, std::int64_t wait_ms, NetError& error) {
  const SOCKET handle = socketOf(socket);
  fd_set writable;
  fd_set failed;
  FD_ZERO(&writable);
  FD_ZERO(&failed);
  FD_SET(handle, &writable);
  FD_SET(handle, &failed);
  timeval timeout{};
  timeout.tv_sec = static_cast<long>(wait_ms / 1000);
  timeout.tv_usec = static_cast<long>((wait_ms % 1000) * 1000);
  const int ready = ::select(0, nullptr, &writable, &failed, &timeout);
  if (ready == SOCKET_ERROR) {
    error = lastError();
    return true;
  }
  if (ready == 0) return false;
  int code = 0;
  int length = sizeof code;
  if (getsockopt(handle, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&code), &length) != 0) {
    error = lastError();
    return true;
  }
  if (code == 0 && FD_ISSET(handle, &failed)) code = WSAECONNREFUSED;
  error = translateError(code);
  return true;
}

void readyConnected(Socket& socket) { setNoDelay(socket); }

NetError resolveFailed(int status) { return translateError(status); }

NetError timedOut() { return translateError(WSAETIMEDOUT); }

}  // namespace shared

NetError setNonBlocking(const Socket& socket, bool on) {
  u_long mode = on ? 1 : 0;
  if (ioctlsocket(socketOf(socket), FIONBIO, &mode) != 0) return lastError();
  return NetError();
}

NetError setNoDelay(const Socket& socket) {
  BOOL on = TRUE;
  if (setsockopt(socketOf(socket), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on),
                 sizeof on) != 0) {
    return lastError();
  }
  return NetError();
}

bool noDelayEnabled(const Socket& socket) {
  BOOL value = FALSE;
  int length = sizeof value;
  if (getsockopt(socketOf(socket), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<char*>(&value),
                 &length) != 0) {
    return false;
  }
  return value != FALSE;
}

NetError setKeepalive(const Socket& socket, int seconds) {
  const SOCKET handle = socketOf(socket);
  if (seconds <= 0) {
    return setDword(handle, SOL_SOCKET, SO_KEEPALIVE, FALSE) ? NetError() : lastError();
  }
  const KeepalivePlan plan = keepalivePlan(seconds);
  if (!setDword(handle, SOL_SOCKET, SO_KEEPALIVE, TRUE) || !setProbes(handle, plan)) {
    return lastError();
  }
  // Keepalive stops probing while data waits unacknowledged; TCP_MAXRT ends that case. Where the
  // system lacks it (Wine), keepalive still ends the idle case.
  if (!setDword(handle, IPPROTO_TCP, kTcpMaxRetransmitTime, plan.give_up_s) &&
      WSAGetLastError() != WSAENOPROTOOPT) {
    return lastError();
  }
  return NetError();
}

KeepaliveState readKeepalive(const Socket& socket) {
  const SOCKET handle = socketOf(socket);
  KeepaliveState state;
  state.on = getDword(handle, SOL_SOCKET, SO_KEEPALIVE) > 0;
  state.idle_s = getDword(handle, IPPROTO_TCP, kTcpKeepIdle);
  state.interval_s = getDword(handle, IPPROTO_TCP, kTcpKeepInterval);
  state.probes = getDword(handle, IPPROTO_TCP, kTcpKeepCount);
  const int seconds = getDword(handle, IPPROTO_TCP, kTcpMaxRetransmitTime);
  state.give_up_ms = seconds < 0 ? -1 : seconds * 1000;
  return state;
}

NetError resetConnection(Socket& socket) {
  linger abortive{};
  abortive.l_onoff = 1;
  abortive.l_linger = 0;
  NetError error;
  if (setsockopt(socketOf(socket), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&abortive),
                 sizeof abortive) != 0) {
    error = lastError();
  }
  socket.close();
  return error;
}

IoResult receiveSome(const Socket& socket, char* buffer, std::size_t length) {
  IoResult result;
  const int got = ::recv(socketOf(socket), buffer, clampLength(length), 0);
  if (got == SOCKET_ERROR) {
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
  const int sent = ::send(socketOf(socket), data, clampLength(length), 0);
  if (sent == SOCKET_ERROR) {
    result.error = lastError();
  } else {
    result.bytes = static_cast<std::size_t>(sent);
  }
  return result;
}

NetError shutdownWrite(const Socket& socket) {
  if (::shutdown(socketOf(socket), SD_SEND) != 0) return lastError();
  return NetError();
}

std::uint16_t localPort(const Socket& socket) {
  sockaddr_storage address{};
  int length = sizeof address;
  if (getsockname(socketOf(socket), reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return shared::portOf(address);
}

struct SelectSet::Impl {
  fd_set read_wanted;
  fd_set write_wanted;
  fd_set read_ready;
  fd_set write_ready;
};

SelectSet::SelectSet() : impl_(std::make_unique<Impl>()) { clear(); }
SelectSet::~SelectSet() = default;

std::size_t SelectSet::capacity() { return FD_SETSIZE - kSocketMargin; }

void SelectSet::clear() {
  FD_ZERO(&impl_->read_wanted);
  FD_ZERO(&impl_->write_wanted);
  FD_ZERO(&impl_->read_ready);
  FD_ZERO(&impl_->write_ready);
}

bool SelectSet::add(const Socket& socket, bool read, bool write) {
  if (!socket.valid()) return false;
  // FD_SET silently drops a socket once the array is full; refuse instead so the caller knows.
  if ((read && impl_->read_wanted.fd_count >= FD_SETSIZE) ||
      (write && impl_->write_wanted.fd_count >= FD_SETSIZE)) {
    return false;
  }
  if (read) FD_SET(socketOf(socket), &impl_->read_wanted);
  if (write) FD_SET(socketOf(socket), &impl_->write_wanted);
  return true;
}

int SelectSet::wait(std::int64_t timeout_ms, NetError& error) {
  error = NetError();
  if (timeout_ms < 0) timeout_ms = 0;
  FD_ZERO(&impl_->read_ready);
  FD_ZERO(&impl_->write_ready);
  // Winsock rejects a select() with every set empty (WSAEINVAL) instead of sleeping.
  if (impl_->read_wanted.fd_count == 0 && impl_->write_wanted.fd_count == 0) {
    Sleep(static_cast<DWORD>(timeout_ms));
    return 0;
  }
  // select() overwrites its sets, so it works on copies and the wanted sets survive a retry.
  impl_->read_ready = impl_->read_wanted;
  impl_->write_ready = impl_->write_wanted;
  timeval timeout{};
  timeout.tv_sec = static_cast<long>(timeout_ms / 1000);
  timeout.tv_usec = static_cast<long>((timeout_ms % 1000) * 1000);
  const int ready = ::select(0, &impl_->read_ready, &impl_->write_ready, nullptr, &timeout);
  if (ready != SOCKET_ERROR) return ready;
  const int code = WSAGetLastError();
  FD_ZERO(&impl_->read_ready);
  FD_ZERO(&impl_->write_ready);
  if (code == WSAEINTR) return 0;
  error = translateError(code);
  return -1;
}

bool SelectSet::readable(const Socket& socket) const {
  return socket.valid() && FD_ISSET(socketOf(socket), &impl_->read_ready);
}

bool SelectSet::writable(const Socket& socket) const {
  return socket.valid() && FD_ISSET(socketOf(socket), &impl_->write_ready);
}

std::int64_t monotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::int64_t processCpuMicros() {
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
  auto ticks = [](const FILETIME& time) {  // 100 ns units
    return (static_cast<std::int64_t>(time.dwHighDateTime) << 32) | time.dwLowDateTime;
  };
  return (ticks(kernel) + ticks(user)) / 10;
}

void pauseMicroseconds(int) {}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return std::string(name);
}

std::string localTimestamp(std::time_t when) {
  std::tm parts{};
  if (localtime_s(&parts, &when) != 0) return "0000-00-00 00:00:00";
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return std::string(text, length);
}

void installShutdownHandler() {
  // A process started in a new process group (by a service wrapper, a script, CI) inherits
  // "ignore Ctrl-C"; the server must still shut down cleanly on it, as on SIGINT elsewhere.
  SetConsoleCtrlHandler(nullptr, FALSE);
  SetConsoleCtrlHandler(onConsoleControl, TRUE);
}

bool shutdownRequested() { return g_shutdown_requested; }

}  // namespace net
