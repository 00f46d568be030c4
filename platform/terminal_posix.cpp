// POSIX terminals for the --connect client: termios raw mode, the window size, signals turned
// into events through a self-pipe, and one select() over standard input, the socket and the pipe.
#include "terminal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace term {
namespace {

constexpr int kInput = STDIN_FILENO;
constexpr int kOutput = STDOUT_FILENO;

// Written by the signal handler, read by wait(): the self-pipe wakes select() even when the
// signal arrives just before it is called, which a flag alone cannot.
volatile sig_atomic_t g_stop_requested = 0;
volatile sig_atomic_t g_resized = 0;
int g_wake_pipe[2] = {-1, -1};

constexpr int kWatchedSignals[] = {SIGTERM, SIGHUP, SIGINT, SIGWINCH};
struct sigaction g_previous[sizeof kWatchedSignals / sizeof kWatchedSignals[0]];
struct sigaction g_previous_pipe;

void onSignal(int signal_number) {
  const int saved_errno = errno;
  if (signal_number == SIGWINCH) {
    g_resized = 1;
  } else {
    g_stop_requested = 1;
  }
  if (g_wake_pipe[1] >= 0) {
    const char byte = 0;
    [[maybe_unused]] const ssize_t ignored = ::write(g_wake_pipe[1], &byte, 1);
  }
  errno = saved_errno;
}

net::NetError systemError(int code) {
  net::NetError error;
  error.code = code;
  error.message = std::strerror(code);
  error.kind = code == EINTR ? net::ErrorKind::Interrupted : net::ErrorKind::Other;
  return error;
}

void drainWakePipe() {
  char bytes[64];
  while (g_wake_pipe[0] >= 0 && ::read(g_wake_pipe[0], bytes, sizeof bytes) > 0) {
  }
}

bool readyNow(int fd) {
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(fd, &readable);
  timeval now{};
  return ::select(fd + 1, &readable, nullptr, nullptr, &now) > 0;
}

}  // namespace

bool isInteractive() { return ::isatty(kInput) == 1 && ::isatty(kOutput) == 1; }

Size windowSize() {
  Size size;
  winsize window{};
  if ((::ioctl(kOutput, TIOCGWINSZ, &window) == 0 || ::ioctl(kInput, TIOCGWINSZ, &window) == 0) &&
      window.ws_col > 0 && window.ws_row > 0) {
    size.columns = window.ws_col;
    size.rows = window.ws_row;
  }
  return size;
}

struct RawMode::Saved {
  termios attributes;
};

RawMode::RawMode() {
  termios attributes{};
  if (::tcgetattr(kInput, &attributes) != 0) {
    error_ = std::strerror(errno);
    return;
  }
  saved_ = std::make_unique<Saved>(Saved{attributes});
  // What cfmakeraw() does, spelled out because not every libc has it: no line discipline, no
  // echo, no signals from keys, no CR/NL translation in either direction, 8-bit bytes.
  attributes.c_iflag &=
      ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  attributes.c_oflag &= ~static_cast<tcflag_t>(OPOST);
  attributes.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  attributes.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
  attributes.c_cflag |= CS8;
  attributes.c_cc[VMIN] = 1;
  attributes.c_cc[VTIME] = 0;
  if (::tcsetattr(kInput, TCSANOW, &attributes) != 0) {
    error_ = std::strerror(errno);
    saved_.reset();
  }
}

RawMode::~RawMode() {
  // TCSADRAIN: what the client wrote last (its final newline) reaches the screen first.
  if (saved_) ::tcsetattr(kInput, TCSADRAIN, &saved_->attributes);
}

StopWatch::StopWatch() {
  g_stop_requested = 0;
  g_resized = 0;
  if (::pipe(g_wake_pipe) == 0) {
    for (const int fd : g_wake_pipe) {
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
      ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  } else {
    g_wake_pipe[0] = g_wake_pipe[1] = -1;  // the flags alone still work, a turn late at worst
  }
  struct sigaction action = {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < sizeof kWatchedSignals / sizeof kWatchedSignals[0]; ++i) {
    ::sigaction(kWatchedSignals[i], &action, &g_previous[i]);
  }
  // A closed standard output or socket is an error to report, not a reason to die unseen.
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &g_previous_pipe);
}

StopWatch::~StopWatch() {
  for (std::size_t i = 0; i < sizeof kWatchedSignals / sizeof kWatchedSignals[0]; ++i) {
    ::sigaction(kWatchedSignals[i], &g_previous[i], nullptr);
  }
  ::sigaction(SIGPIPE, &g_previous_pipe, nullptr);
  for (int& fd : g_wake_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

Events wait(const net::Socket& socket, const WaitFor& what, std::int64_t timeout_ms) {
  Events events;
  fd_set readable;
  fd_set writable;
  FD_ZERO(&readable);
  FD_ZERO(&writable);
  int highest = -1;
  auto watch = [&highest](int fd, fd_set& set) {
    if (fd < 0 || fd >= FD_SETSIZE) return;
    FD_SET(fd, &set);
    if (fd > highest) highest = fd;
  };
  const int socket_fd = socket.valid() ? static_cast<int>(socket.native()) : -1;
  if (what.input) watch(kInput, readable);
  if (what.socket_read) watch(socket_fd, readable);
  if (what.socket_write) watch(socket_fd, writable);
  watch(g_wake_pipe[0], readable);

  if (g_stop_requested == 0 && g_resized == 0) {
    if (timeout_ms < 0) timeout_ms = 0;
    timeval timeout{};
    timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
    timeout.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
    const int ready = ::select(highest + 1, &readable, &writable, nullptr, &timeout);
    if (ready < 0) {
      FD_ZERO(&readable);
      FD_ZERO(&writable);
      if (errno != EINTR) events.error = systemError(errno);
    }
  } else {
    FD_ZERO(&readable);
    FD_ZERO(&writable);
  }
  drainWakePipe();
  events.input = what.input && FD_ISSET(kInput, &readable);
  events.socket_readable = socket_fd >= 0 && what.socket_read && FD_ISSET(socket_fd, &readable);
  events.socket_writable = socket_fd >= 0 && what.socket_write && FD_ISSET(socket_fd, &writable);
  events.stop = g_stop_requested != 0;
  if (g_resized != 0) {
    g_resized = 0;
    events.resized = true;
  }
  return events;
}

InputResult readInput(char* buffer, std::size_t capacity) {
  InputResult result;
  if (capacity == 0 || !readyNow(kInput)) return result;
  for (;;) {
    const ssize_t got = ::read(kInput, buffer, capacity);
    if (got > 0) {
      result.bytes = static_cast<std::size_t>(got);
    } else if (got == 0) {
      result.end = true;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EIO) {
      result.end = true;  // the terminal went away (its window was closed)
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
      result.error = systemError(errno);
    }
    return result;
  }
}

bool writeOutput(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t wrote = ::write(kOutput, bytes.data(), bytes.size());
    if (wrote > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(wrote));
      continue;
    }
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      fd_set writable;
      FD_ZERO(&writable);
      FD_SET(kOutput, &writable);
      ::select(kOutput + 1, nullptr, &writable, nullptr, nullptr);
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace term
