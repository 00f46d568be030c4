// The client's one loop: one wait for the keyboard and the socket, then read, edit, send and
// write the screen once per turn.
#include "client/client.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "client/line_editor.hpp"
#include "client/screen.hpp"
#include "terminal.hpp"

namespace client {
namespace {

// Bytes taken from the socket or the keyboard in one read.
constexpr std::size_t kReadChunk = 64 * 1024;
// Server bytes taken in one loop turn before the keyboard gets its turn, so a flood never keeps
// the user's keys waiting; a 10,000-line history is a few hundred KiB.
constexpr std::size_t kMaxReceivePerTurn = 1024 * 1024;
// Lines typed or piped that the server has not taken yet; beyond this the keyboard waits.
constexpr std::size_t kMaxUnsent = 1024 * 1024;
// The wait wakes this often even when nothing happens; every event wakes it at once.
constexpr std::int64_t kWaitMs = 1000;

constexpr std::string_view kClosedByServer = "Connection closed by the server.";
constexpr std::string_view kResetByServer = "Connection reset by the server.";

enum class Ending { None, Left, Closed, Reset, Lost, Failed };

struct Session {
  net::Socket socket;
  std::string unsent;
  Ending ending = Ending::None;
  std::string why;  // with Failed or Lost: the system's reason
};

void fail(Session& session, const std::string& what, const net::NetError& error) {
  if (error.kind == net::ErrorKind::ConnectionReset) {
    session.ending = Ending::Reset;
    return;
  }
  if (error.kind == net::ErrorKind::ConnectionLost) {
    session.ending = Ending::Lost;
    session.why = error.message;
    return;
  }
  session.ending = Ending::Failed;
  session.why = what + ": " + error.message;
}

// Reads what the server sent, up to kMaxReceivePerTurn, handing each piece to `take`.
template <typename Take>
void receive(Session& session, Take take) {
  static char buffer[kReadChunk];
  std::size_t taken = 0;
  while (taken < kMaxReceivePerTurn) {
    const net::IoResult got = net::receiveSome(session.socket, buffer, sizeof buffer);
    if (got.bytes > 0) {
      take(std::string_view(buffer, got.bytes));
      taken += got.bytes;
      continue;
    }
    if (got.closed) {
      session.ending = Ending::Closed;
    } else if (got.error && got.error.kind != net::ErrorKind::WouldBlock &&
               got.error.kind != net::ErrorKind::Interrupted) {
      fail(session, "Connection error", got.error);
    }
    return;
  }
}

void sendPending(Session& session) {
  while (!session.unsent.empty()) {
    const net::IoResult sent =
        net::sendSome(session.socket, session.unsent.data(), session.unsent.size());
    if (sent.bytes > 0) {
      session.unsent.erase(0, sent.bytes);
      continue;
    }
    if (sent.error.kind == net::ErrorKind::WouldBlock ||
        sent.error.kind == net::ErrorKind::Interrupted) {
      return;
    }
    fail(session, "Connection error", sent.error);
    return;
  }
}

term::WaitFor waitFor(const Session& session, bool input_open) {
  term::WaitFor what;
  what.input = input_open && session.unsent.size() < kMaxUnsent;
  what.socket_read = true;
  what.socket_write = !session.unsent.empty();
  return what;
}

void applyKeys(std::string_view keys, LineEditor& editor, Screen& screen, Session& session) {
  std::vector<EditorAction> actions;
  editor.feed(keys, actions);
  for (EditorAction& action : actions) {
    switch (action.kind) {
      case EditorAction::Kind::Submit:
        screen.submitted(action.line);
        session.unsent += action.line;
        session.unsent += '\n';
        break;
      case EditorAction::Kind::Redraw:
        screen.clear();
        break;
      case EditorAction::Kind::Leave:
        session.ending = Ending::Left;
        return;
    }
  }
}

void readKeys(LineEditor& editor, Screen& screen, Session& session) {
  static char buffer[kReadChunk];
  const term::InputResult got = term::readInput(buffer, sizeof buffer);
  if (got.bytes > 0) applyKeys(std::string_view(buffer, got.bytes), editor, screen, session);
  if (got.end || got.error) session.ending = Ending::Left;  // the terminal itself went away
}

// The last bytes for the terminal, once the session has ended.
std::string farewell(const Session& session, const LineEditor& editor, Screen& screen) {
  switch (session.ending) {
    case Ending::Closed:
      screen.notice(kClosedByServer);
      break;
    case Ending::Reset:
      screen.notice(kResetByServer);
      break;
    case Ending::Failed:
      screen.notice(session.why);
      break;
    case Ending::Lost:  // said on stderr once the terminal is restored (run())
      break;
    case Ending::Left:
    case Ending::None:
      return screen.finish(editor, true);
  }
  return screen.finish(editor, false);
}

int exitStatus(const Session& session) {
  const Ending ending = session.ending;
  return ending == Ending::Reset || ending == Ending::Lost || ending == Ending::Failed ? kExitFailed
                                                                                       : kExitDone;
}

int runOnTerminal(Session& session) {
  term::StopWatch stop_watch;
  term::RawMode raw_mode;
  if (!raw_mode.ok()) {
    std::cerr << "netcat-chat: cannot set up the terminal: " << raw_mode.error() << "\n";
    return kExitFailed;
  }
  const term::Size size = term::windowSize();
  Screen screen(size.columns);
  screen.moveToLastRow(size.rows);
  LineEditor editor;
  term::writeOutput(screen.render(editor));
  while (session.ending == Ending::None) {
    const term::Events events = term::wait(session.socket, waitFor(session, true), kWaitMs);
    if (events.error) fail(session, "Cannot wait for input", events.error);
    if (events.stop) session.ending = Ending::Left;
    if (events.resized) screen.resize(term::windowSize().columns);
    if (events.socket_readable && session.ending == Ending::None) {
      receive(session, [&screen](std::string_view bytes) { screen.serverBytes(bytes); });
    }
    if (events.input && session.ending == Ending::None) readKeys(editor, screen, session);
    if (session.ending == Ending::None || session.ending == Ending::Left) sendPending(session);
    const std::string out =
        session.ending == Ending::None ? screen.render(editor) : farewell(session, editor, screen);
    if (!term::writeOutput(out)) session.ending = Ending::Left;
  }
  return exitStatus(session);
}

// Like nc: bytes both ways unchanged; the end of input shuts the sending side, and the client
// stays until the server closes.
int runPiped(Session& session) {
  term::StopWatch stop_watch;
  static char buffer[kReadChunk];
  bool input_open = true;
  bool write_shut = false;
  while (session.ending == Ending::None) {
    const term::Events events = term::wait(session.socket, waitFor(session, input_open), kWaitMs);
    if (events.error) fail(session, "Cannot wait for input", events.error);
    if (events.stop) session.ending = Ending::Left;
    if (events.socket_readable && session.ending == Ending::None) {
      receive(session, [&session](std::string_view bytes) {
        if (!term::writeOutput(bytes)) session.ending = Ending::Left;
      });
    }
    if (events.input && input_open && session.ending == Ending::None) {
      const term::InputResult got = term::readInput(buffer, sizeof buffer);
      session.unsent.append(buffer, got.bytes);
      if (got.end || got.error) input_open = false;
    }
    if (session.ending == Ending::None) sendPending(session);
    if (!input_open && session.unsent.empty() && !write_shut && session.ending == Ending::None) {
      net::shutdownWrite(session.socket);
      write_shut = true;
    }
  }
  if (session.ending == Ending::Closed) std::cerr << kClosedByServer << "\n";
  if (session.ending == Ending::Reset) std::cerr << kResetByServer << "\n";
  if (session.ending == Ending::Failed) std::cerr << session.why << "\n";
  return exitStatus(session);
}

}  // namespace

std::string lostLine(const std::string& target, int keepalive_s, const std::string& why) {
  const std::string reason =
      keepalive_s > 0
          ? "no answer for " + std::to_string(net::keepaliveBoundSeconds(keepalive_s)) + " s"
          : why;
  return "Connection to " + target + " lost: " + reason + ".";
}

std::string describeTarget(const std::string& host, std::uint16_t port) {
  const bool bare_ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return (bare_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

int run(const Options& options) {
  net::NetInit network;
  if (!network.ok()) {
    std::cerr << "netcat-chat: cannot start networking: " << network.error().message << "\n";
    return kExitFailed;
  }
  Session session;
  net::NetError error;
  session.socket = net::connectTo(options.host, options.port, options.connect, error);
  if (!session.socket.valid()) {
    std::cerr << "netcat-chat: cannot connect to " << describeTarget(options.host, options.port)
              << ": " << error.message << std::endl;
    return kExitFailed;
  }
  if (const net::NetError armed = net::setKeepalive(session.socket, options.keepalive_s)) {
    std::cerr << "netcat-chat: cannot set keepalive: " << armed.message << std::endl;
  }
  const int status = term::isInteractive() ? runOnTerminal(session) : runPiped(session);
  if (session.ending == Ending::Lost) {
    const std::string target = describeTarget(options.host, options.port);
    std::cerr << lostLine(target, options.keepalive_s, session.why) << std::endl;
  }
  return status;
}

}  // namespace client
