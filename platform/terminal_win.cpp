// Windows console implementation of terminal.hpp: console modes, key events as UTF-8, one wait.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601  // as in net_win.cpp
#endif

#include "terminal.hpp"

#include <windows.h>  // lean: without the old winsock.h, whose fd_set would clash
#include <winsock2.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

// Older MinGW headers lack the Windows 10 console flags; the values are fixed by the Windows API.
#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif
#ifndef DISABLE_NEWLINE_AUTO_RETURN
#define DISABLE_NEWLINE_AUTO_RETURN 0x0008
#endif
#ifndef ENABLE_VIRTUAL_TERMINAL_INPUT
#define ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200
#endif

namespace term {

struct RawMode::Saved {
  HANDLE input = nullptr;
  HANDLE output = nullptr;
  DWORD input_mode = 0;
  DWORD output_mode = 0;
  UINT input_code_page = 0;
  UINT output_code_page = 0;
};

namespace {

// An anonymous pipe has no handle that a wait can watch, and a console in line mode is signalled
// by every key of a line not finished yet; either is looked at this often instead: quicker than
// a person notices, and only while input is wanted and not there.
constexpr DWORD kInputPollMs = 10;
// Winsock records FD_WRITE only once a send has failed with WSAEWOULDBLOCK; after a short send
// the connection can become writable without an event, so while the client waits to write the
// socket is looked at this often as well.
constexpr DWORD kWritablePollMs = 50;
// Console records taken per ReadConsoleInputW call; a paste arrives as many of them.
constexpr DWORD kRecordsPerRead = 128;
// Decoded keys kept while the client does not want input: a large paste fits; past this the
// console keeps the rest in its own queue until the client reads again.
constexpr std::size_t kMaxPendingInput = 1 << 20;
// Characters per WriteConsoleW call: old consoles fail large writes outright (ERROR_NOT_ENOUGH_
// MEMORY near 64 KiB), and a 10,000-line history is far larger than that.
constexpr std::size_t kConsoleWriteChunk = 16 * 1024;
// Windows ends the process once the handler of a console close returns, and at the latest after
// about five seconds; waiting here gives the client's loop its time to restore the console.
constexpr DWORD kConsoleCloseGraceMs = 4000;

// The xterm sequences for the keys that have no character (terminal.hpp's promise).
struct KeySequence {
  WORD virtual_key;
  const char* bytes;
};
constexpr KeySequence kKeySequences[] = {
    {VK_UP, "\x1b[A"},   {VK_DOWN, "\x1b[B"}, {VK_RIGHT, "\x1b[C"},   {VK_LEFT, "\x1b[D"},
    {VK_HOME, "\x1b[H"}, {VK_END, "\x1b[F"},  {VK_DELETE, "\x1b[3~"},
};
// A POSIX terminal's Backspace key sends DEL; Ctrl-H (0x08 from the H key) stays what it is.
constexpr char kPosixBackspace = 0x7f;
constexpr wchar_t kReplacementCharacter = 0xFFFD;

// What the console's key events became and the client has not read yet.
struct ConsoleInput {
  std::string pending;
  wchar_t high_surrogate = 0;  // the first half of a pair whose second half has not come yet
  bool resized = false;
  bool size_known = false;
  Size size;
};
ConsoleInput g_console;

std::atomic<bool> g_stop_requested{false};
// Set by the control handler so that a wait in progress ends at once; made by StopWatch.
std::atomic<HANDLE> g_stop_event{nullptr};

// Signalled by Winsock for the events wait() selects on the client's socket; one socket at a time.
class SocketEvent {
 public:
  SocketEvent() : event_(WSACreateEvent()) {}
  ~SocketEvent() {
    if (event_ != WSA_INVALID_EVENT) WSACloseEvent(event_);
  }
  SocketEvent(const SocketEvent&) = delete;
  SocketEvent& operator=(const SocketEvent&) = delete;
  WSAEVENT handle() const { return event_; }

 private:
  WSAEVENT event_;
};

net::NetError systemError(DWORD code) {
  net::NetError error;
  error.kind = net::ErrorKind::Other;
  error.code = static_cast<int>(code);
  char* text = nullptr;
  const DWORD length = FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), reinterpret_cast<LPSTR>(&text), 0,
      nullptr);
  if (length > 0 && text != nullptr) error.message.assign(text, length);
  if (text != nullptr) LocalFree(text);
  while (!error.message.empty() && (error.message.back() == '\r' || error.message.back() == '\n')) {
    error.message.pop_back();
  }
  if (error.message.empty()) error.message = "Windows error " + std::to_string(code);
  return error;
}

net::NetError lastSystemError() { return systemError(GetLastError()); }
net::NetError lastSocketError() { return systemError(static_cast<DWORD>(WSAGetLastError())); }

bool isConsole(HANDLE handle) {
  DWORD mode = 0;
  return handle != nullptr && handle != INVALID_HANDLE_VALUE && GetConsoleMode(handle, &mode) != 0;
}

// How standard input can be waited for and read.
enum class InputKind {
  Console,       // raw mode: key events, waitable
  ConsoleLines,  // no raw mode (stdout is not the console): whole lines that the console edits
  Pipe,          // not waitable: peeked at
  Ready,         // a file or a device such as NUL: a read never waits
  Missing,       // no standard input at all: at its end from the start
};

// Wine gives a program whose standard input is a Unix pipe a handle that is a pipe to
// GetFileType but that PeekNamedPipe refuses (ERROR_NOT_SUPPORTED) and that every wait finds
// signalled. Such a pipe can only be read, and a read waits for the writer: the client then
// passes on the server's bytes only between two reads, as nothing better is possible there.
bool peekable(HANDLE pipe) {
  DWORD available = 0;
  if (PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) return true;
  const DWORD code = GetLastError();
  return code != ERROR_NOT_SUPPORTED && code != ERROR_INVALID_FUNCTION;
}

InputKind inputKind(HANDLE input) {
  if (input == nullptr || input == INVALID_HANDLE_VALUE) return InputKind::Missing;
  DWORD mode = 0;
  if (GetConsoleMode(input, &mode)) {
    return (mode & ENABLE_LINE_INPUT) != 0 ? InputKind::ConsoleLines : InputKind::Console;
  }
  if (GetFileType(input) == FILE_TYPE_PIPE && peekable(input)) return InputKind::Pipe;
  return InputKind::Ready;
}

void appendUtf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

bool isHighSurrogate(wchar_t unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool isLowSurrogate(wchar_t unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

// One UTF-16 unit of a key event, `repeat` times. A surrogate pair comes as two events; a half
// without its other half becomes U+FFFD rather than invalid UTF-8.
void appendCharacter(ConsoleInput& console, wchar_t unit, WORD repeat) {
  if (isHighSurrogate(unit)) {
    if (console.high_surrogate != 0) appendUtf8(console.pending, kReplacementCharacter);
    console.high_surrogate = unit;
    return;
  }
  std::string encoded;
  if (isLowSurrogate(unit)) {
    if (console.high_surrogate == 0) {
      appendUtf8(encoded, kReplacementCharacter);
    } else {
      appendUtf8(encoded, 0x10000 +
                              ((static_cast<char32_t>(console.high_surrogate) - 0xD800) << 10) +
                              (static_cast<char32_t>(unit) - 0xDC00));
    }
  } else {
    if (console.high_surrogate != 0) appendUtf8(console.pending, kReplacementCharacter);
    appendUtf8(encoded, unit);
  }
  console.high_surrogate = 0;
  for (WORD i = 0; i < repeat; ++i) console.pending += encoded;
}

void appendKey(ConsoleInput& console, const KEY_EVENT_RECORD& key) {
  const wchar_t unit = key.uChar.UnicodeChar;
  const WORD repeat = std::max<WORD>(key.wRepeatCount, 1);
  if (!key.bKeyDown) {
    // A character typed as Alt plus digits on the keypad arrives with the release of Alt.
    if (key.wVirtualKeyCode == VK_MENU && unit != 0) appendCharacter(console, unit, 1);
    return;
  }
  if (unit == 0x08 && key.wVirtualKeyCode == VK_BACK) {
    console.pending.append(repeat, kPosixBackspace);
  } else if (unit != 0) {
    appendCharacter(console, unit, repeat);
  } else {
    for (const KeySequence& known : kKeySequences) {
      if (known.virtual_key != key.wVirtualKeyCode) continue;
      for (WORD i = 0; i < repeat; ++i) console.pending += known.bytes;
    }
  }
}

// Takes every event the console holds now, so that a wait on its handle does not wake again for
// events nobody reads (focus, mouse, key releases). False with `error` when the console fails.
bool drainConsole(HANDLE input, net::NetError& error) {
  INPUT_RECORD records[kRecordsPerRead];
  for (;;) {
    DWORD count = 0;
    if (!GetNumberOfConsoleInputEvents(input, &count)) {
      error = lastSystemError();
      return false;
    }
    if (count == 0) return true;
    DWORD got = 0;
    if (!ReadConsoleInputW(input, records, kRecordsPerRead, &got)) {
      error = lastSystemError();
      return false;
    }
    for (DWORD i = 0; i < got; ++i) {
      if (records[i].EventType == KEY_EVENT) {
        appendKey(g_console, records[i].Event.KeyEvent);
      } else if (records[i].EventType == WINDOW_BUFFER_SIZE_EVENT) {
        g_console.resized = true;
      }
    }
  }
}

// A window can change size without a buffer-size event (a buffer taller than the window), so
// the size is also compared with the last one seen whenever the wait wakes.
void noticeSizeChange() {
  if (!isConsole(GetStdHandle(STD_OUTPUT_HANDLE))) return;
  const Size now = windowSize();
  if (g_console.size_known &&
      (now.columns != g_console.size.columns || now.rows != g_console.size.rows)) {
    g_console.resized = true;
  }
  g_console.size = now;
  g_console.size_known = true;
}

// PeekNamedPipe's answer: bytes waiting, or the writer gone (the end of input).
struct PipeState {
  DWORD available = 0;
  bool ended = false;
  net::NetError error;
};

PipeState peekPipe(HANDLE input) {
  PipeState state;
  if (PeekNamedPipe(input, nullptr, 0, nullptr, &state.available, nullptr)) return state;
  const DWORD code = GetLastError();
  if (code == ERROR_BROKEN_PIPE || code == ERROR_HANDLE_EOF) {
    state.ended = true;
  } else {
    state.error = systemError(code);
  }
  return state;
}

// With stdin a console and stdout not, the client runs as nc does and the console edits and
// echoes each line itself, as a POSIX terminal in canonical mode does. A line is ready once an
// Enter is among the console's pending events; until then they must stay where the console's
// line editor finds them.
struct ConsoleLines {
  bool rest_waiting = false;  // a read took only the start of a long line
};
ConsoleLines g_lines;
// Pending events looked through for an Enter: far more than a line typed or pasted at once.
constexpr DWORD kMaxPeekedEvents = 4096;

bool lineWaiting(HANDLE input, net::NetError& error) {
  if (g_lines.rest_waiting) return true;
  DWORD count = 0;
  if (!GetNumberOfConsoleInputEvents(input, &count)) {
    error = lastSystemError();
    return false;
  }
  if (count == 0) return false;
  std::vector<INPUT_RECORD> records(std::min(count, kMaxPeekedEvents));
  DWORD got = 0;
  if (!PeekConsoleInputW(input, records.data(), static_cast<DWORD>(records.size()), &got)) {
    error = lastSystemError();
    return false;
  }
  for (DWORD i = 0; i < got; ++i) {
    const KEY_EVENT_RECORD& key = records[i].Event.KeyEvent;
    if (records[i].EventType == KEY_EVENT && key.bKeyDown &&
        (key.wVirtualKeyCode == VK_RETURN || key.uChar.UnicodeChar == L'\r')) {
      return true;
    }
  }
  return false;
}

bool consoleIdle(HANDLE input) {
  DWORD count = 0;
  return GetNumberOfConsoleInputEvents(input, &count) && count == 0;
}

// One line (or the next part of a long one) from a console in line mode, as UTF-8 ending in
// "\n" like a POSIX terminal's; Ctrl-Z and Enter on an empty line is the end of input there.
InputResult readConsoleLine(HANDLE input, char* buffer, std::size_t capacity) {
  InputResult result;
  if (!lineWaiting(input, result.error)) return result;
  // UTF-8 takes at most three bytes for each UTF-16 unit.
  std::wstring wide(std::max<std::size_t>(capacity / 3, 1), L'\0');
  DWORD got = 0;
  if (!ReadConsoleW(input, wide.data(), static_cast<DWORD>(wide.size()), &got, nullptr)) {
    result.error = lastSystemError();
    return result;
  }
  wide.resize(got);
  g_lines.rest_waiting = wide.empty() || wide.back() != L'\n';
  if (wide == L"\x1a\r\n") {
    result.end = true;
    return result;
  }
  if (wide.size() >= 2 && wide.compare(wide.size() - 2, 2, L"\r\n") == 0) {
    wide.erase(wide.size() - 2, 1);
  }
  const int length = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()),
                                         buffer, static_cast<int>(capacity), nullptr, nullptr);
  result.bytes = length > 0 ? static_cast<std::size_t>(length) : 0;
  return result;
}

// Registers the events of `what` on the socket for one wait and cancels them after it. A
// registration records the conditions that already hold (data waiting, end of stream, room to
// send), so nothing that became true between two waits is missed, and outside wait() the socket
// is as the client left it, except that Winsock leaves it non-blocking.
class SocketWatch {
 public:
  SocketWatch(const net::Socket& socket, const WaitFor& what, net::NetError& error)
      : socket_(static_cast<SOCKET>(socket.native())) {
    const long events =
        (what.socket_read ? FD_READ | FD_CLOSE : 0) | (what.socket_write ? FD_WRITE | FD_CLOSE : 0);
    if (!socket.valid() || events == 0 || event().handle() == WSA_INVALID_EVENT) return;
    WSAResetEvent(event().handle());
    if (WSAEventSelect(socket_, event().handle(), events) != 0) {
      error = lastSocketError();
      return;
    }
    active_ = true;
  }
  ~SocketWatch() {
    if (active_) WSAEventSelect(socket_, nullptr, 0);
  }
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  bool active() const { return active_; }
  HANDLE handle() const { return event().handle(); }

 private:
  static SocketEvent& event() {
    static SocketEvent shared;
    return shared;
  }

  SOCKET socket_;
  bool active_ = false;
};

// Whether the socket can be read or written now: select() with no timeout, which says so
// whatever the edge-triggered events have or have not recorded.
void checkSocket(const net::Socket& socket, const WaitFor& what, Events& events) {
  if (!socket.valid() || (!what.socket_read && !what.socket_write)) return;
  const SOCKET handle = static_cast<SOCKET>(socket.native());
  fd_set readable;
  fd_set writable;
  FD_ZERO(&readable);
  FD_ZERO(&writable);
  if (what.socket_read) FD_SET(handle, &readable);
  if (what.socket_write) FD_SET(handle, &writable);
  timeval now{};
  if (::select(0, &readable, &writable, nullptr, &now) == SOCKET_ERROR) {
    events.error = lastSocketError();
    return;
  }
  events.socket_readable = what.socket_read && FD_ISSET(handle, &readable);
  events.socket_writable = what.socket_write && FD_ISSET(handle, &writable);
}

bool watchesConsole(InputKind kind, const WaitFor& what) {
  return kind == InputKind::Console && (what.input || g_console.pending.size() < kMaxPendingInput);
}

// Everything that holds now, without waiting.
void collect(const net::Socket& socket, const WaitFor& what, HANDLE input, InputKind kind,
             Events& events) {
  events.stop = g_stop_requested;
  if (watchesConsole(kind, what) && !drainConsole(input, events.error)) return;
  noticeSizeChange();
  events.resized = events.resized || g_console.resized;
  g_console.resized = false;
  if (what.input) {
    switch (kind) {
      case InputKind::Console:
        events.input = !g_console.pending.empty();
        break;
      case InputKind::ConsoleLines:
        events.input = lineWaiting(input, events.error);
        break;
      case InputKind::Pipe: {
        const PipeState pipe = peekPipe(input);
        if (pipe.error) {
          events.error = pipe.error;
          return;
        }
        events.input = pipe.available > 0 || pipe.ended;
        break;
      }
      case InputKind::Ready:
      case InputKind::Missing:
        events.input = true;
        break;
    }
  }
  checkSocket(socket, what, events);
}

bool anything(const Events& events) {
  return events.input || events.socket_readable || events.socket_writable || events.resized ||
         events.stop || events.error;
}

BOOL WINAPI onConsoleControl(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:  // only when not in raw mode, where Ctrl-C is a key
    case CTRL_BREAK_EVENT:
      g_stop_requested = true;
      if (HANDLE stop = g_stop_event) SetEvent(stop);
      return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      // Returning would end the process at once; the client's exit from main() ends this thread.
      g_stop_requested = true;
      if (HANDLE stop = g_stop_event) SetEvent(stop);
      Sleep(kConsoleCloseGraceMs);
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

bool isInteractive() {
  return isConsole(GetStdHandle(STD_INPUT_HANDLE)) && isConsole(GetStdHandle(STD_OUTPUT_HANDLE));
}

Size windowSize() {
  CONSOLE_SCREEN_BUFFER_INFO info;
  Size size;
  if (!GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info)) return size;
  const int columns = info.srWindow.Right - info.srWindow.Left + 1;
  const int rows = info.srWindow.Bottom - info.srWindow.Top + 1;
  if (columns > 0 && rows > 0) {
    size.columns = columns;
    size.rows = rows;
  }
  return size;
}

RawMode::RawMode() {
  auto saved = std::make_unique<Saved>();
  saved->input = GetStdHandle(STD_INPUT_HANDLE);
  saved->output = GetStdHandle(STD_OUTPUT_HANDLE);
  if (!GetConsoleMode(saved->input, &saved->input_mode) ||
      !GetConsoleMode(saved->output, &saved->output_mode)) {
    error_ = "standard input and output are not both a console";
    return;
  }
  saved->input_code_page = GetConsoleCP();
  saved->output_code_page = GetConsoleOutputCP();

  // Keys one by one, unechoed, Ctrl-C as a key; resizes as events; no mouse events to wake for;
  // key events rather than VT input, so that one translation serves every console.
  const DWORD input_mode =
      (saved->input_mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT |
                             ENABLE_MOUSE_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT)) |
      ENABLE_WINDOW_INPUT;
  const DWORD vt_output =
      saved->output_mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING;
  // Without DISABLE_NEWLINE_AUTO_RETURN a "\n" also returns the cursor, which the client's own
  // "\r\n" makes unnecessary; a console that does not know the flag works without it.
  if (!SetConsoleMode(saved->output, vt_output | DISABLE_NEWLINE_AUTO_RETURN) &&
      !SetConsoleMode(saved->output, vt_output)) {
    error_ = "this console cannot interpret terminal sequences (Windows 10 or later needed): " +
             lastSystemError().message;
    SetConsoleMode(saved->output, saved->output_mode);
    return;
  }
  if (!SetConsoleMode(saved->input, input_mode)) {
    error_ = "cannot switch the console to raw input: " + lastSystemError().message;
    SetConsoleMode(saved->output, saved->output_mode);
    return;
  }
  // Output goes through WriteConsoleW and input through ReadConsoleInputW, which need no code
  // page; UTF-8 is for whatever else writes to the console while the client runs.
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
  g_console.high_surrogate = 0;
  g_console.size = windowSize();
  g_console.size_known = true;
  saved_ = std::move(saved);
}

RawMode::~RawMode() {
  if (!saved_) return;
  SetConsoleMode(saved_->input, saved_->input_mode);
  SetConsoleMode(saved_->output, saved_->output_mode);
  if (saved_->input_code_page != 0) SetConsoleCP(saved_->input_code_page);
  if (saved_->output_code_page != 0) SetConsoleOutputCP(saved_->output_code_page);
}

StopWatch::StopWatch() {
  g_stop_requested = false;
  // Kept for the life of the process: a handler thread may still be setting it after this ends.
  if (g_stop_event.load() == nullptr) g_stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (HANDLE stop = g_stop_event) ResetEvent(stop);
  SetConsoleCtrlHandler(onConsoleControl, TRUE);
}

StopWatch::~StopWatch() { SetConsoleCtrlHandler(onConsoleControl, FALSE); }

Events wait(const net::Socket& socket, const WaitFor& what, std::int64_t timeout_ms) {
  Events events;
  const std::int64_t deadline = net::monotonicMs() + std::max<std::int64_t>(timeout_ms, 0);
  const HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
  const InputKind kind = inputKind(input);
  const SocketWatch watch(socket, what, events.error);
  if (events.error) return events;
  for (;;) {
    collect(socket, what, input, kind, events);
    const std::int64_t left = deadline - net::monotonicMs();
    if (anything(events) || left <= 0) return events;

    HANDLE handles[3];
    DWORD count = 0;
    if (HANDLE stop = g_stop_event) handles[count++] = stop;
    if (watch.active()) handles[count++] = watch.handle();
    const bool lines_idle = kind == InputKind::ConsoleLines && consoleIdle(input);
    if (watchesConsole(kind, what) || (what.input && lines_idle)) handles[count++] = input;
    DWORD slice = static_cast<DWORD>(std::min<std::int64_t>(left, INFINITE - 1));
    if (what.input &&
        (kind == InputKind::Pipe || (kind == InputKind::ConsoleLines && !lines_idle))) {
      slice = std::min(slice, kInputPollMs);
    }
    if (what.socket_write) slice = std::min(slice, kWritablePollMs);
    if (count == 0) {
      Sleep(slice);
    } else if (WaitForMultipleObjects(count, handles, FALSE, slice) == WAIT_FAILED) {
      events.error = lastSystemError();
      return events;
    }
    // Winsock sets the event again for anything new; whatever is already true the next
    // collect() sees through select().
    if (watch.active()) WSAResetEvent(watch.handle());
  }
}

InputResult readInput(char* buffer, std::size_t capacity) {
  InputResult result;
  const HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
  switch (inputKind(input)) {
    case InputKind::Missing:
      result.end = true;
      return result;
    case InputKind::Console: {
      if (!drainConsole(input, result.error)) return result;
      result.bytes = std::min(capacity, g_console.pending.size());
      g_console.pending.copy(buffer, result.bytes);
      g_console.pending.erase(0, result.bytes);
      return result;
    }
    case InputKind::ConsoleLines:
      return readConsoleLine(input, buffer, capacity);
    case InputKind::Pipe: {
      const PipeState pipe = peekPipe(input);
      result.error = pipe.error;
      result.end = pipe.ended;
      if (pipe.error || pipe.ended || pipe.available == 0) return result;
      capacity = std::min<std::size_t>(capacity, pipe.available);
      break;
    }
    case InputKind::Ready:
      break;
  }
  DWORD got = 0;
  const DWORD wanted = static_cast<DWORD>(std::min<std::size_t>(capacity, MAXDWORD));
  if (!ReadFile(input, buffer, wanted, &got, nullptr)) {
    const DWORD code = GetLastError();
    if (code == ERROR_BROKEN_PIPE || code == ERROR_HANDLE_EOF) {
      result.end = true;
    } else {
      result.error = systemError(code);
    }
    return result;
  }
  result.bytes = got;
  result.end = got == 0 && capacity > 0;
  return result;
}

namespace {

// The longest prefix of `bytes` of at most `limit` bytes that does not end inside a UTF-8
// sequence (when the text allows one), so that no character is split between two writes.
std::size_t utf8Prefix(std::string_view bytes, std::size_t limit) {
  if (bytes.size() <= limit) return bytes.size();
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80) --cut;
  return cut > 0 ? cut : limit;
}

bool writeConsole(HANDLE output, std::string_view bytes) {
  std::wstring wide;
  while (!bytes.empty()) {
    const std::size_t length = utf8Prefix(bytes, kConsoleWriteChunk);
    // Invalid UTF-8 becomes U+FFFD, as a UTF-8 terminal shows it.
    const int units =
        MultiByteToWideChar(CP_UTF8, 0, bytes.data(), static_cast<int>(length), nullptr, 0);
    if (units <= 0) return false;
    wide.resize(static_cast<std::size_t>(units));
    MultiByteToWideChar(CP_UTF8, 0, bytes.data(), static_cast<int>(length), wide.data(), units);
    std::size_t done = 0;
    while (done < wide.size()) {
      DWORD written = 0;
      if (!WriteConsoleW(output, wide.data() + done, static_cast<DWORD>(wide.size() - done),
                         &written, nullptr) ||
          written == 0) {
        return false;
      }
      done += written;
    }
    bytes.remove_prefix(length);
  }
  return true;
}

bool writeFile(HANDLE output, std::string_view bytes) {
  while (!bytes.empty()) {
    DWORD written = 0;
    const DWORD length = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), MAXDWORD));
    if (!WriteFile(output, bytes.data(), length, &written, nullptr) || written == 0) return false;
    bytes.remove_prefix(written);
  }
  return true;
}

}  // namespace

bool writeOutput(std::string_view bytes) {
  const HANDLE output = GetStdHandle(STD_OUTPUT_HANDLE);
  if (output == nullptr || output == INVALID_HANDLE_VALUE) return false;
  return isConsole(output) ? writeConsole(output, bytes) : writeFile(output, bytes);
}

}  // namespace term
