// Windows only: the console and the one wait of terminal_win.cpp, on loopback sockets, pipes and
// a console of the test's own.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <boost/test/unit_test.hpp>
#include <cwctype>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "net.hpp"
#include "terminal.hpp"

namespace {

// Generous so a loaded machine or Wine never turns a slow wake-up into a failure; a passing test
// never waits this long.
constexpr std::int64_t kWaitMs = 10000;
// How long a wait that must report nothing is given; long enough to catch a false report.
constexpr std::int64_t kQuietMs = 200;
// How long the helper thread lets the wait block before it acts, so that the wait's wake-up,
// not its first look, is what sees the change. A shorter delay makes the test weaker, not wrong.
constexpr DWORD kActDuringWaitMs = 100;
// Far beyond any kernel's socket buffers, so filling them must end in WouldBlock first.
constexpr std::size_t kMaxBytesToFillBuffers = 256u * 1024u * 1024u;

// A listener plus one connection seen from both ends, both non-blocking, as the client holds its.
struct LoopbackPair {
  net::NetInit init;
  net::Socket listener;
  net::Socket client;
  net::Socket server;

  LoopbackPair() {
    BOOST_REQUIRE(init.ok());
    net::NetError error;
    listener = net::listenTcp("127.0.0.1", 0, error);
    BOOST_REQUIRE_MESSAGE(listener.valid(), "listen failed: " << error.message);
    client = net::connectTcp("127.0.0.1", net::localPort(listener), error);
    BOOST_REQUIRE_MESSAGE(client.valid(), "connect failed: " << error.message);
    BOOST_REQUIRE(!net::setNonBlocking(client, true));
    std::string peer;
    const std::int64_t deadline = net::monotonicMs() + kWaitMs;
    while (!server.valid() && net::monotonicMs() < deadline) {
      server = net::acceptConnection(listener, peer, error);
    }
    BOOST_REQUIRE_MESSAGE(server.valid(), "accept failed: " << error.message);
  }
};

term::WaitFor socketRead() { return term::WaitFor{false, true, false}; }
term::WaitFor socketWrite() { return term::WaitFor{false, false, true}; }
term::WaitFor inputOnly() { return term::WaitFor{true, false, false}; }

// Waits until `ready` holds for what wait() reports, or the deadline passes.
template <typename Ready>
term::Events waitUntil(const net::Socket& socket, const term::WaitFor& what, Ready ready) {
  const std::int64_t deadline = net::monotonicMs() + kWaitMs;
  term::Events events;
  while (net::monotonicMs() < deadline) {
    events = term::wait(socket, what, deadline - net::monotonicMs());
    BOOST_REQUIRE_MESSAGE(!events.error, "wait failed: " << events.error.message);
    if (ready(events)) break;
  }
  return events;
}

bool readable(const term::Events& events) { return events.socket_readable; }
bool writable(const term::Events& events) { return events.socket_writable; }
bool hasInput(const term::Events& events) { return events.input; }

std::string receiveAll(const net::Socket& socket) {
  std::string received;
  char buffer[4096];
  for (;;) {
    const net::IoResult result = net::receiveSome(socket, buffer, sizeof buffer);
    if (result.bytes == 0) return received;
    received.append(buffer, result.bytes);
  }
}

void sendAll(const net::Socket& socket, const std::string& data) {
  const net::IoResult result = net::sendSome(socket, data.data(), data.size());
  BOOST_REQUIRE_MESSAGE(result.bytes == data.size(), "send failed: " << result.error.message);
}

// Runs `act` on a thread of its own after kActDuringWaitMs, and joins it on destruction.
class Later {
 public:
  template <typename Act>
  explicit Later(Act act) : act_(std::move(act)) {
    thread_ = CreateThread(nullptr, 0, &Later::run, this, 0, nullptr);
    BOOST_REQUIRE(thread_ != nullptr);
  }
  ~Later() {
    WaitForSingleObject(thread_, INFINITE);
    CloseHandle(thread_);
  }
  Later(const Later&) = delete;
  Later& operator=(const Later&) = delete;

 private:
  static DWORD WINAPI run(void* self) {
    Sleep(kActDuringWaitMs);
    static_cast<Later*>(self)->act_();
    return 0;
  }

  std::function<void()> act_;
  HANDLE thread_ = nullptr;
};

// Puts `handle` in place of a standard handle for the life of the object.
class StdHandleSwap {
 public:
  StdHandleSwap(DWORD which, HANDLE handle) : which_(which), saved_(GetStdHandle(which)) {
    SetStdHandle(which, handle);
  }
  ~StdHandleSwap() { SetStdHandle(which_, saved_); }
  StdHandleSwap(const StdHandleSwap&) = delete;
  StdHandleSwap& operator=(const StdHandleSwap&) = delete;

 private:
  DWORD which_;
  HANDLE saved_;
};

// An anonymous pipe as standard input (or output), as `type file | netcat-chat` gives one.
struct Pipe {
  HANDLE read = nullptr;
  HANDLE write = nullptr;

  Pipe() { BOOST_REQUIRE(CreatePipe(&read, &write, nullptr, 0)); }
  ~Pipe() {
    closeRead();
    closeWrite();
  }
  void closeRead() {
    if (read != nullptr) CloseHandle(read);
    read = nullptr;
  }
  void closeWrite() {
    if (write != nullptr) CloseHandle(write);
    write = nullptr;
  }
  void put(const std::string& bytes) const {
    DWORD written = 0;
    BOOST_REQUIRE(
        WriteFile(write, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr));
    BOOST_REQUIRE(written == bytes.size());
  }
};

std::string readAllInput() {
  std::string got;
  char buffer[64];  // small, so that a read that ignores its capacity would show
  for (;;) {
    const term::InputResult result = term::readInput(buffer, sizeof buffer);
    BOOST_REQUIRE_MESSAGE(!result.error, "readInput failed: " << result.error.message);
    if (result.bytes == 0) return got;
    got.append(buffer, result.bytes);
  }
}

// The console this program runs in (a window on Windows, the terminal under Wine) as standard
// input and output, which are usually files while tests run. A new console is not made: Wine's,
// without a terminal or a display, does not work, and the console-event tests depend on whether
// this process has one.
class ScratchConsole {
 public:
  ScratchConsole() {
    if (!open()) return;
    saved_input_ = GetStdHandle(STD_INPUT_HANDLE);
    saved_output_ = GetStdHandle(STD_OUTPUT_HANDLE);
    SetStdHandle(STD_INPUT_HANDLE, input_);
    SetStdHandle(STD_OUTPUT_HANDLE, output_);
    // Whatever someone typed before belongs to nobody here.
    FlushConsoleInputBuffer(input_);
  }
  ~ScratchConsole() {
    if (ready()) {
      SetStdHandle(STD_INPUT_HANDLE, saved_input_);
      SetStdHandle(STD_OUTPUT_HANDLE, saved_output_);
    }
    close();
  }
  ScratchConsole(const ScratchConsole&) = delete;
  ScratchConsole& operator=(const ScratchConsole&) = delete;

  bool ready() const { return input_ != INVALID_HANDLE_VALUE && output_ != INVALID_HANDLE_VALUE; }
  HANDLE input() const { return input_; }
  HANDLE output() const { return output_; }
  // A console event sent to process group 0 reaches every process on the console; only when
  // this is the only one can a test send one without disturbing, say, the shell that started it.
  static bool aloneOnIt() {
    DWORD process_ids[2];
    return GetConsoleProcessList(process_ids, 2) == 1;
  }

  void type(const std::vector<INPUT_RECORD>& records) const {
    DWORD written = 0;
    BOOST_REQUIRE(
        WriteConsoleInputW(input_, records.data(), static_cast<DWORD>(records.size()), &written));
    BOOST_REQUIRE(written == records.size());
  }

  DWORD pendingEvents() const {
    DWORD count = 0;
    GetNumberOfConsoleInputEvents(input_, &count);
    return count;
  }

 private:
  // A console that Wine makes without a terminal or a display hands out handles that every
  // console call rejects, so a console counts only once it answers.
  bool open() {
    close();
    input_ = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
    output_ = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE,
                          FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
    DWORD mode = 0;
    if (ready() && GetConsoleMode(input_, &mode) && GetConsoleMode(output_, &mode)) return true;
    close();
    return false;
  }
  void close() {
    if (input_ != INVALID_HANDLE_VALUE) CloseHandle(input_);
    if (output_ != INVALID_HANDLE_VALUE) CloseHandle(output_);
    input_ = INVALID_HANDLE_VALUE;
    output_ = INVALID_HANDLE_VALUE;
  }

  HANDLE input_ = INVALID_HANDLE_VALUE;
  HANDLE output_ = INVALID_HANDLE_VALUE;
  HANDLE saved_input_ = nullptr;
  HANDLE saved_output_ = nullptr;
};

// The console as the client holds it: keys one by one, Ctrl-C a key like any other.
struct RawConsole {
  ScratchConsole console;
  term::RawMode raw;

  RawConsole() { BOOST_REQUIRE_MESSAGE(raw.ok(), raw.error()); }
  void type(const std::vector<INPUT_RECORD>& records) const { console.type(records); }
  DWORD pendingEvents() const { return console.pendingEvents(); }
};

// Boost.Test reports a skip only at a verbose log level; a skip must never pass unseen.
boost::test_tools::assertion_result skipped(boost::unit_test::test_unit_id id,
                                            const std::string& why) {
  std::cout << "terminal/" << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).p_name
            << " skipped: " << why << std::endl;
  boost::test_tools::assertion_result skip(false);
  skip.message() << why;
  return skip;
}

boost::test_tools::assertion_result consoleCanBeMade(boost::unit_test::test_unit_id id) {
  if (ScratchConsole().ready()) return true;
  return skipped(id,
                 "no working console here (under Wine, only a program run in a terminal has one)");
}

boost::test_tools::assertion_result consoleIsOurs(boost::unit_test::test_unit_id id) {
  ScratchConsole console;
  if (!console.ready()) return consoleCanBeMade(id);
  if (ScratchConsole::aloneOnIt()) return true;
  return skipped(id, "other processes share this console and would get the Ctrl-C too");
}

INPUT_RECORD key(WORD virtual_key, wchar_t unit, bool down = true, WORD repeat = 1) {
  INPUT_RECORD record{};
  record.EventType = KEY_EVENT;
  record.Event.KeyEvent.bKeyDown = down ? TRUE : FALSE;
  record.Event.KeyEvent.wRepeatCount = repeat;
  record.Event.KeyEvent.wVirtualKeyCode = virtual_key;
  record.Event.KeyEvent.uChar.UnicodeChar = unit;
  return record;
}

// A key pressed and released, as typing it gives.
std::vector<INPUT_RECORD> stroke(WORD virtual_key, wchar_t unit) {
  return {key(virtual_key, unit), key(virtual_key, unit, false)};
}

std::vector<INPUT_RECORD> text(const std::wstring& units) {
  std::vector<INPUT_RECORD> records;
  for (const wchar_t unit : units) {
    // Letters and digits have keys of their own (named by the upper-case letter); the packet key
    // is how the console delivers any other character. VkKeyScanW would know better, but under
    // Wine without a display it takes seconds to answer.
    const bool alphanumeric = (unit >= L'a' && unit <= L'z') || (unit >= L'0' && unit <= L'9');
    const WORD virtual_key = alphanumeric ? static_cast<WORD>(std::towupper(unit)) : VK_PACKET;
    for (const INPUT_RECORD& record : stroke(virtual_key, unit)) records.push_back(record);
  }
  return records;
}

INPUT_RECORD focus() {
  INPUT_RECORD record{};
  record.EventType = FOCUS_EVENT;
  record.Event.FocusEvent.bSetFocus = TRUE;
  return record;
}

INPUT_RECORD bufferResized() {
  INPUT_RECORD record{};
  record.EventType = WINDOW_BUFFER_SIZE_EVENT;
  record.Event.WindowBufferSizeEvent.dwSize = COORD{100, 30};
  return record;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(terminal)

BOOST_AUTO_TEST_CASE(wait_reports_nothing_when_nothing_happens) {
  LoopbackPair pair;
  const std::int64_t start = net::monotonicMs();
  const term::Events events = term::wait(pair.client, socketRead(), kQuietMs);
  BOOST_TEST(!events.error);
  BOOST_TEST(!events.socket_readable);
  BOOST_TEST(!events.stop);
  BOOST_TEST(net::monotonicMs() - start >= kQuietMs - 20);  // the timer's granularity
}

BOOST_AUTO_TEST_CASE(wait_wakes_when_the_socket_becomes_readable) {
  LoopbackPair pair;
  const std::int64_t start = net::monotonicMs();
  Later send([&] { sendAll(pair.server, "hello\n"); });
  const term::Events events = term::wait(pair.client, socketRead(), kWaitMs);
  BOOST_TEST(events.socket_readable);
  BOOST_TEST(net::monotonicMs() - start < kWaitMs / 2);
}

BOOST_AUTO_TEST_CASE(wait_keeps_reporting_bytes_left_unread) {
  LoopbackPair pair;
  sendAll(pair.server, "0123456789");
  BOOST_REQUIRE(waitUntil(pair.client, socketRead(), readable).socket_readable);
  char buffer[4];
  BOOST_REQUIRE(net::receiveSome(pair.client, buffer, sizeof buffer).bytes > 0);
  // Winsock's FD_READ fired once already; the bytes still waiting must be reported again.
  BOOST_TEST(term::wait(pair.client, socketRead(), kWaitMs).socket_readable);
  BOOST_TEST(term::wait(pair.client, socketRead(), kWaitMs).socket_readable);
  receiveAll(pair.client);
  BOOST_TEST(!term::wait(pair.client, socketRead(), kQuietMs).socket_readable);
}

BOOST_AUTO_TEST_CASE(wait_reports_the_peer_closing_as_readable) {
  LoopbackPair pair;
  BOOST_TEST(!term::wait(pair.client, socketRead(), kQuietMs).socket_readable);
  Later close([&] { pair.server.close(); });
  BOOST_REQUIRE(waitUntil(pair.client, socketRead(), readable).socket_readable);
  char buffer[16];
  BOOST_TEST(net::receiveSome(pair.client, buffer, sizeof buffer).closed);
  // The end stays reported, as select() reports it on POSIX.
  BOOST_TEST(term::wait(pair.client, socketRead(), kWaitMs).socket_readable);
}

BOOST_AUTO_TEST_CASE(wait_reports_writable_again_once_full_buffers_drain) {
  LoopbackPair pair;
  BOOST_TEST(waitUntil(pair.client, socketWrite(), writable).socket_writable);
  const std::string chunk(64 * 1024, 'y');
  std::size_t total = 0;
  net::IoResult result;
  while (total < kMaxBytesToFillBuffers) {
    result = net::sendSome(pair.client, chunk.data(), chunk.size());
    if (result.error) break;
    total += result.bytes;
  }
  BOOST_REQUIRE((result.error.kind == net::ErrorKind::WouldBlock));
  BOOST_TEST(!term::wait(pair.client, socketWrite(), kQuietMs).socket_writable);

  std::size_t drained = 0;
  term::Events events;
  const std::int64_t deadline = net::monotonicMs() + kWaitMs;
  while (!events.socket_writable && net::monotonicMs() < deadline) {
    drained += receiveAll(pair.server).size();
    events = term::wait(pair.client, socketWrite(), kQuietMs);
  }
  BOOST_TEST(events.socket_writable);
  BOOST_TEST(drained > 0u);
}

BOOST_AUTO_TEST_CASE(after_a_wait_the_socket_can_be_made_blocking_again) {
  LoopbackPair pair;
  sendAll(pair.server, "x");
  BOOST_REQUIRE(waitUntil(pair.client, socketRead(), readable).socket_readable);
  // While Winsock watches a socket for events it refuses to make it blocking (WSAEINVAL).
  const net::NetError error = net::setNonBlocking(pair.client, false);
  BOOST_TEST(!error, error.message);
}

BOOST_AUTO_TEST_CASE(is_not_interactive_with_a_piped_standard_input) {
  Pipe pipe;
  StdHandleSwap input(STD_INPUT_HANDLE, pipe.read);
  BOOST_TEST(!term::isInteractive());
}

BOOST_AUTO_TEST_CASE(raw_mode_refuses_a_piped_standard_input_and_says_why) {
  Pipe pipe;
  StdHandleSwap input(STD_INPUT_HANDLE, pipe.read);
  term::RawMode raw;
  BOOST_TEST(!raw.ok());
  BOOST_TEST(!raw.error().empty());
}

BOOST_AUTO_TEST_CASE(reads_a_piped_standard_input_without_blocking) {
  LoopbackPair pair;
  Pipe pipe;
  StdHandleSwap input(STD_INPUT_HANDLE, pipe.read);
  BOOST_TEST(!term::wait(pair.client, inputOnly(), kQuietMs).input);
  BOOST_TEST(readAllInput().empty());

  const std::string lines = "first line\nsecond line, a little longer than the buffer\n";
  pipe.put(lines);
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == lines);
  BOOST_TEST(!term::wait(pair.client, inputOnly(), kQuietMs).input);

  pipe.closeWrite();
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  char buffer[16];
  const term::InputResult end = term::readInput(buffer, sizeof buffer);
  BOOST_TEST(end.end);
  BOOST_TEST(end.bytes == 0u);
}

BOOST_AUTO_TEST_CASE(wait_wakes_for_a_pipe_written_while_it_waits) {
  LoopbackPair pair;
  Pipe pipe;
  StdHandleSwap input(STD_INPUT_HANDLE, pipe.read);
  const std::int64_t start = net::monotonicMs();
  Later put([&] { pipe.put("late\n"); });
  const term::Events events = waitUntil(pair.client, inputOnly(), hasInput);
  BOOST_TEST(events.input);
  BOOST_TEST(net::monotonicMs() - start < kWaitMs / 2);
  BOOST_TEST(readAllInput() == "late\n");
}

BOOST_AUTO_TEST_CASE(a_file_as_standard_input_is_read_to_its_end) {
  wchar_t directory[MAX_PATH];
  wchar_t path[MAX_PATH];
  BOOST_REQUIRE(GetTempPathW(MAX_PATH, directory) != 0);
  BOOST_REQUIRE(GetTempFileNameW(directory, L"ncc", 0, path) != 0);
  const HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                                  FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  BOOST_REQUIRE(file != INVALID_HANDLE_VALUE);
  const std::string content = "from a file\n";
  DWORD written = 0;
  WriteFile(file, content.data(), static_cast<DWORD>(content.size()), &written, nullptr);
  SetFilePointer(file, 0, nullptr, FILE_BEGIN);
  {
    LoopbackPair pair;
    StdHandleSwap input(STD_INPUT_HANDLE, file);
    BOOST_TEST(term::wait(pair.client, inputOnly(), kWaitMs).input);
    BOOST_TEST(readAllInput() == content);
    char buffer[16];
    BOOST_TEST(term::readInput(buffer, sizeof buffer).end);
  }
  CloseHandle(file);
}

BOOST_AUTO_TEST_CASE(writes_output_to_a_pipe_byte_for_byte) {
  Pipe pipe;
  const std::string bytes = "caf\xc3\xa9 \xe4\xb8\xad\r\n\x1b[2K";
  {
    StdHandleSwap output(STD_OUTPUT_HANDLE, pipe.write);
    BOOST_REQUIRE(term::writeOutput(bytes));
  }
  pipe.closeWrite();
  std::string got;
  char buffer[64];
  DWORD read = 0;
  while (ReadFile(pipe.read, buffer, sizeof buffer, &read, nullptr) && read > 0) {
    got.append(buffer, read);
  }
  BOOST_TEST(got == bytes);
}

BOOST_AUTO_TEST_CASE(key_events_become_utf8, *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  BOOST_TEST(term::isInteractive());
  // Latin, accented, a CJK character and an emoji, which UTF-16 carries as a surrogate pair.
  console.type(text(L"h\u00e9\u4e2d\U0001F600!"));
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == "h\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80!");
}

BOOST_AUTO_TEST_CASE(held_keys_repeat_as_often_as_the_console_counts,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  console.type({key('X', L'x', true, 3), key(VK_LEFT, 0, true, 2)});
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == "xxx\x1b[D\x1b[D");
}

BOOST_AUTO_TEST_CASE(keys_without_a_character_become_xterm_sequences,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  std::vector<INPUT_RECORD> keys;
  for (const WORD virtual_key :
       {VK_LEFT, VK_RIGHT, VK_UP, VK_DOWN, VK_HOME, VK_END, VK_DELETE, VK_SHIFT, VK_F5}) {
    for (const INPUT_RECORD& record : stroke(virtual_key, 0)) keys.push_back(record);
  }
  console.type(keys);
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == "\x1b[D\x1b[C\x1b[A\x1b[B\x1b[H\x1b[F\x1b[3~");
}

BOOST_AUTO_TEST_CASE(control_keys_arrive_as_the_bytes_a_posix_terminal_sends,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  std::vector<INPUT_RECORD> keys;
  for (const auto& [virtual_key, unit] : std::vector<std::pair<WORD, wchar_t>>{
           {VK_BACK, 0x08}, {'H', 0x08}, {'C', 0x03}, {'D', 0x04}, {VK_RETURN, L'\r'}}) {
    for (const INPUT_RECORD& record : stroke(virtual_key, unit)) keys.push_back(record);
  }
  console.type(keys);
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == "\x7f\x08\x03\x04\r");
}

BOOST_AUTO_TEST_CASE(events_without_a_key_are_consumed_and_not_reported_as_input,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  console.type({focus(), key('A', L'a', false), focus()});
  const term::Events events = term::wait(pair.client, inputOnly(), kQuietMs);
  BOOST_TEST(!events.input);
  BOOST_TEST(!events.error);
  // Left in the console's queue, they would keep its handle signalled and the wait spinning.
  BOOST_TEST(console.pendingEvents() == 0u);
}

BOOST_AUTO_TEST_CASE(a_buffer_size_event_is_reported_as_a_resize,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  RawConsole console;
  LoopbackPair pair;
  BOOST_TEST(!term::wait(pair.client, inputOnly(), 0).resized);
  Later resize([&] { console.type({bufferResized()}); });
  const term::Events events =
      waitUntil(pair.client, inputOnly(), [](const term::Events& seen) { return seen.resized; });
  BOOST_TEST(events.resized);
  BOOST_TEST(!events.input);
  BOOST_TEST(!term::wait(pair.client, inputOnly(), 0).resized);  // reported once
}

// The console as the client finds it when its stdout is not the console: the console edits and
// echoes each line, and the client runs as nc does.
struct LineConsole {
  ScratchConsole console;
  DWORD saved_mode = 0;

  LineConsole() {
    BOOST_REQUIRE(GetConsoleMode(console.input(), &saved_mode));
    BOOST_REQUIRE(SetConsoleMode(console.input(),
                                 ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT));
  }
  ~LineConsole() { SetConsoleMode(console.input(), saved_mode); }
  LineConsole(const LineConsole&) = delete;
  LineConsole& operator=(const LineConsole&) = delete;
};

BOOST_AUTO_TEST_CASE(in_line_mode_a_line_is_input_once_enter_is_pressed,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  LineConsole lines;
  LoopbackPair pair;
  lines.console.type(text(L"h\u00e9 \u4e2d"));
  BOOST_TEST(!term::wait(pair.client, inputOnly(), kQuietMs).input);
  BOOST_TEST(readAllInput().empty());              // nothing to take yet, and no waiting for it
  BOOST_TEST(lines.console.pendingEvents() > 0u);  // left for the console's line editor

  lines.console.type(stroke(VK_RETURN, L'\r'));
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  BOOST_TEST(readAllInput() == "h\xc3\xa9 \xe4\xb8\xad\n");
}

BOOST_AUTO_TEST_CASE(in_line_mode_ctrl_z_and_enter_end_the_input,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  LineConsole lines;
  LoopbackPair pair;
  std::vector<INPUT_RECORD> keys = stroke('Z', 0x1a);
  for (const INPUT_RECORD& record : stroke(VK_RETURN, L'\r')) keys.push_back(record);
  lines.console.type(keys);
  BOOST_REQUIRE(waitUntil(pair.client, inputOnly(), hasInput).input);
  char buffer[16];
  const term::InputResult result = term::readInput(buffer, sizeof buffer);
  BOOST_TEST(result.end);
  BOOST_TEST(result.bytes == 0u);
}

BOOST_AUTO_TEST_CASE(raw_mode_sets_the_console_up_and_restores_it,
                     *boost::unit_test::precondition(consoleCanBeMade)) {
  ScratchConsole console;
  DWORD input_before = 0;
  DWORD output_before = 0;
  BOOST_REQUIRE(GetConsoleMode(console.input(), &input_before));
  BOOST_REQUIRE(GetConsoleMode(console.output(), &output_before));
  const UINT code_page_before = GetConsoleOutputCP();
  {
    term::RawMode raw;
    BOOST_REQUIRE_MESSAGE(raw.ok(), raw.error());
    DWORD input = 0;
    DWORD output = 0;
    BOOST_REQUIRE(GetConsoleMode(console.input(), &input));
    BOOST_REQUIRE(GetConsoleMode(console.output(), &output));
    BOOST_TEST((input & (ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT)) == 0u);
    BOOST_TEST((input & ENABLE_WINDOW_INPUT) != 0u);
    BOOST_TEST((output & ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0u);
    BOOST_TEST(GetConsoleOutputCP() == static_cast<UINT>(CP_UTF8));
  }
  DWORD input_after = 0;
  DWORD output_after = 0;
  BOOST_REQUIRE(GetConsoleMode(console.input(), &input_after));
  BOOST_REQUIRE(GetConsoleMode(console.output(), &output_after));
  BOOST_TEST(input_after == input_before);
  BOOST_TEST(output_after == output_before);
  BOOST_TEST(GetConsoleOutputCP() == code_page_before);
}

BOOST_AUTO_TEST_CASE(ctrl_c_from_the_console_is_reported_as_stop,
                     *boost::unit_test::precondition(consoleIsOurs)) {
  ScratchConsole console;
  LoopbackPair pair;
  term::StopWatch watch;
  BOOST_TEST(!term::wait(pair.client, socketRead(), 0).stop);
  const std::int64_t start = net::monotonicMs();
  // Process group 0 is every process on this console, which is this one alone.
  Later interrupt([] { GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0); });
  const term::Events events =
      waitUntil(pair.client, socketRead(), [](const term::Events& seen) { return seen.stop; });
  BOOST_TEST(events.stop);
  BOOST_TEST(net::monotonicMs() - start < kWaitMs / 2);
}

BOOST_AUTO_TEST_SUITE_END()
