// Terminals and consoles for the --connect client: raw keys in, screen bytes out, one wait.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "net.hpp"

namespace term {

// Both standard input and standard output are a terminal (a console on Windows): then the client
// runs its line editor; otherwise it passes bytes through as nc does.
bool isInteractive();

struct Size {
  int columns = 80;
  int rows = 24;
};
// The window's size now; a sane default when the system cannot tell.
Size windowSize();

// For its lifetime, keys reach the program one by one, unechoed, with Ctrl-C, Ctrl-D and the
// other control keys as bytes (no signals), and output understands VT/xterm escape sequences
// (on Windows: virtual-terminal processing and the UTF-8 code page). Output is not translated:
// the client writes "\r\n" itself. The previous state comes back on destruction, which every
// way out of the client passes through (see StopWatch).
class RawMode {
 public:
  RawMode();
  ~RawMode();
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

  bool ok() const { return error_.empty(); }
  // Why raw mode could not be entered; the terminal was left as it was.
  const std::string& error() const { return error_; }

  struct Saved;

 private:
  std::unique_ptr<Saved> saved_;
  std::string error_;
};

// For its lifetime, the requests to end the program (SIGTERM, SIGHUP and SIGINT on POSIX; the
// console's Ctrl-C, Ctrl-Break and close on Windows) and changes of the window's size do not act
// at once: wait() reports them, so the client leaves through its normal path and restores the
// terminal.
class StopWatch {
 public:
  StopWatch();
  ~StopWatch();
  StopWatch(const StopWatch&) = delete;
  StopWatch& operator=(const StopWatch&) = delete;
};

// What the client's one wait should watch.
struct WaitFor {
  bool input = true;          // standard input (keyboard or pipe)
  bool socket_read = true;    // the connection has bytes or its end
  bool socket_write = false;  // the connection can take more bytes
};

struct Events {
  bool input = false;  // standard input has bytes (or its end) for readInput()
  bool socket_readable = false;
  bool socket_writable = false;
  bool resized = false;  // the window changed size since the last wait
  bool stop = false;     // a request to end arrived (see StopWatch)
  net::NetError error;   // the wait itself failed
};

// Waits up to `timeout_ms` for any of `what`, a resize or a stop request. One call multiplexes
// the keyboard and the socket, so the client needs no second thread. An invalid `socket` is not
// watched: the client waiting to reconnect waits for the keyboard and the time alone.
Events wait(const net::Socket& socket, const WaitFor& what, std::int64_t timeout_ms);

struct InputResult {
  std::size_t bytes = 0;
  bool end = false;  // standard input is at its end (pipe closed, file done)
  net::NetError error;
};

// Reads what standard input has now without waiting for more. Keys come as UTF-8 and, for keys
// without a character (arrows, Home, End, Delete), as the xterm sequences a POSIX terminal sends
// (ESC [ D, ESC [ H, ESC [ 3 ~, ...), so the editor understands one encoding on every platform.
InputResult readInput(char* buffer, std::size_t capacity);

// Writes all of `bytes` to standard output (terminal or pipe); false if it cannot.
bool writeOutput(std::string_view bytes);

}  // namespace term
