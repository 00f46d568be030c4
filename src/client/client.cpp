// The client's one loop: one wait for the keyboard and the socket, then read, edit, send and
// write the screen once per turn.
#include "client/client.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chat/protocol.hpp"
#include "client/line_editor.hpp"
#include "client/piped_password.hpp"
#include "client/rejoin.hpp"
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
// While a try connects, the loop looks this often whether it has its answer: Winsock's wait
// reports a refused connect to no watcher of writability, only to one of FD_CONNECT.
constexpr std::int64_t kConnectingPollMs = 100;

constexpr std::string_view kClosedByServer = "Connection closed by the server.";
constexpr std::string_view kResetByServer = "Connection reset by the server.";

// Left: the user left (or the terminal went away); Lost: the server stopped answering (said on
// stderr once the terminal is restored, when the client ends); Broken: the client's own wait
// failed, not the connection; GaveUp: the server would not take the name back, which the client
// has said.
enum class Ending { None, Left, Closed, Reset, Lost, Failed, Broken, GaveUp };

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
  what.socket_read = session.socket.valid();
  what.socket_write = session.socket.valid() && !session.unsent.empty();
  return what;
}

// The terminal client between its connections: what the user sends goes out at once while the
// server can take it (at its name prompt, in the chat), and waits while the client comes back.
struct Terminal {
  LineEditor editor;
  Screen screen;
  Rejoin rejoin;
  std::string typed_ahead;  // lines entered while away, sent once back in the chat
  bool fresh = false;       // a new connection has shown nothing yet
  std::unique_ptr<net::Connector> connecting;  // the try under way, if any

  Terminal(int columns, const std::string& password)
      : screen(columns), rejoin(std::string(chat::protocol::kDefaultRoom), password) {}

  bool sendsNow() const {
    return rejoin.phase() == Rejoin::Phase::Joining || rejoin.phase() == Rejoin::Phase::InChat;
  }
};

void applyKeys(std::string_view keys, Terminal& t, Session& session) {
  std::vector<EditorAction> actions;
  t.editor.feed(keys, actions);
  for (EditorAction& action : actions) {
    switch (action.kind) {
      case EditorAction::Kind::Submit: {
        if (action.secret) {  // the password: neither shown nor kept but for reconnecting
          t.screen.submittedSecret();
          session.unsent += action.line;
          session.unsent += '\n';
          t.rejoin.passwordTyped(std::move(action.line));
          break;
        }
        t.screen.submitted(action.line);
        if (t.sendsNow()) {
          session.unsent += action.line;
          session.unsent += '\n';
          t.rejoin.lineSent();
        } else {
          t.typed_ahead += action.line;
          t.typed_ahead += '\n';
          t.screen.keepLastPrompt();
        }
        break;
      }
      case EditorAction::Kind::Redraw:
        t.screen.clear();
        break;
      case EditorAction::Kind::Leave:
        session.ending = Ending::Left;
        return;
    }
  }
}

void readKeys(Terminal& t, Session& session) {
  static char buffer[kReadChunk];
  const term::InputResult got = term::readInput(buffer, sizeof buffer);
  if (got.bytes > 0) applyKeys(std::string_view(buffer, got.bytes), t, session);
  if (got.end || got.error) session.ending = Ending::Left;  // the terminal itself went away
}

// Server bytes through the rejoin policy, which shows the chat as it comes and hides what it
// answers for the user while coming back.
void serverBytes(std::string_view bytes, Terminal& t, Session& session) {
  const bool was_in_chat = t.rejoin.inChat();
  std::string show;
  t.rejoin.fromServer(bytes, net::monotonicMs(), show, session.unsent);
  if (t.fresh && !show.empty()) {
    t.screen.dropPrompt();
    t.fresh = false;
  }
  t.screen.serverBytes(show);
  t.editor.setSecret(t.rejoin.awaitsPassword());
  if (!was_in_chat && t.rejoin.inChat() && !t.typed_ahead.empty()) {
    session.unsent += t.typed_ahead;
    t.typed_ahead.clear();
    t.rejoin.lineSent();
  }
}

// Why the connection ended, as the client's own line; empty when the user left.
std::string endingLine(const Session& session) {
  switch (session.ending) {
    case Ending::Closed:
      return std::string(kClosedByServer);
    case Ending::Reset:
      return std::string(kResetByServer);
    case Ending::Failed:
    case Ending::Broken:
      return session.why;
    case Ending::Lost:  // said on stderr once the terminal is restored (run())
    case Ending::Left:
    case Ending::GaveUp:
    case Ending::None:
      break;
  }
  return {};
}

// The last bytes for the terminal, once the session has ended.
std::string farewell(const Session& session, const LineEditor& editor, Screen& screen) {
  const std::string why = endingLine(session);
  if (!why.empty()) screen.notice(why);
  return screen.finish(editor, session.ending == Ending::Left || session.ending == Ending::None);
}

int exitStatus(const Session& session) {
  const Ending ending = session.ending;
  const bool failed = ending == Ending::Reset || ending == Ending::Lost ||
                      ending == Ending::Failed || ending == Ending::Broken ||
                      ending == Ending::GaveUp;
  return failed ? kExitFailed : kExitDone;
}

void showNotices(Terminal& t) {
  for (const std::string& line : t.rejoin.takeNotices()) t.screen.notice(line);
}

// The connection ended without the user leaving: when the policy says so, the client says why
// and waits for its next try instead of ending.
bool keepGoing(Session& session, Terminal& t, const Options& options, const std::string& target) {
  const bool connection_ended = session.ending == Ending::Closed ||
                                session.ending == Ending::Reset || session.ending == Ending::Lost ||
                                session.ending == Ending::Failed;
  if (!connection_ended || !t.rejoin.connectionEnded(net::monotonicMs())) {
    return false;
  }
  t.screen.notice(session.ending == Ending::Lost
                      ? lostLine(target, options.keepalive_s, session.why)
                      : endingLine(session));
  showNotices(t);
  t.screen.keepLastPrompt();
  t.screen.notice(reconnectingLine(target, t.rejoin.waitMs()));
  session.socket.close();
  session.unsent.clear();
  session.ending = Ending::None;
  session.why.clear();
  return true;
}

// The try that was due has its answer: back on a connection, or waiting for the next try.
void tried(Session& session, Terminal& t, const Options& options, const std::string& target) {
  session.socket = t.connecting->take();
  const net::NetError error = t.connecting->error();
  t.connecting.reset();
  if (session.socket.valid()) {
    if (const net::NetError armed = net::setKeepalive(session.socket, options.keepalive_s)) {
      t.screen.notice("Cannot set keepalive: " + armed.message);
    }
    t.rejoin.connected();
    t.fresh = true;
    return;
  }
  t.rejoin.connectFailed(net::monotonicMs());
  t.screen.notice("Cannot connect to " + target + ": " + error.message);
  t.screen.notice(reconnectingLine(target, t.rejoin.waitMs()));
}

// Starts the try that is due, or looks whether the one under way has its answer. Connecting
// takes at most -w, as the first connection does, and the keys are read all along.
void tryAgain(Session& session, Terminal& t, const Options& options, const std::string& target) {
  if (!t.connecting) {
    if (session.socket.valid() || !t.rejoin.tryDue(net::monotonicMs())) return;
    t.connecting = std::make_unique<net::Connector>(options.host, options.port, options.connect);
  }
  if (t.connecting->done()) tried(session, t, options, target);
}

// How long the one wait may last: until the next try or the next answer is due, at most kWaitMs.
std::int64_t waitTimeout(const Terminal& t) {
  if (t.connecting) return kConnectingPollMs;
  const std::int64_t wake = t.rejoin.wakeAtMs();
  if (wake < 0) return kWaitMs;
  return std::max<std::int64_t>(0, std::min(kWaitMs, wake - net::monotonicMs()));
}

int runOnTerminal(Session& session, const Options& options) {
  term::StopWatch stop_watch;
  term::RawMode raw_mode;
  if (!raw_mode.ok()) {
    std::cerr << "netcat-chat: cannot set up the terminal: " << raw_mode.error() << "\n";
    return kExitFailed;
  }
  const std::string target = describeTarget(options.host, options.port);
  const term::Size size = term::windowSize();
  Terminal t(size.columns, options.password);
  t.screen.moveToLastRow(size.rows);
  term::writeOutput(t.screen.render(t.editor));
  while (session.ending == Ending::None) {
    const bool input_open = t.typed_ahead.size() < kMaxUnsent;
    term::WaitFor what = waitFor(session, input_open);
    if (t.connecting) what.socket_write = true;  // a connect is answered by writability
    const term::Events events =
        term::wait(t.connecting ? t.connecting->socket() : session.socket, what, waitTimeout(t));
    if (events.error) {
      fail(session, "Cannot wait for input", events.error);
      session.ending = Ending::Broken;
    }
    if (events.stop) session.ending = Ending::Left;
    if (events.resized) t.screen.resize(term::windowSize().columns);
    if (events.socket_readable && session.ending == Ending::None) {
      receive(session, [&](std::string_view bytes) { serverBytes(bytes, t, session); });
    }
    if (events.input && session.ending == Ending::None) readKeys(t, session);
    if (session.socket.valid()) t.rejoin.tick(net::monotonicMs(), session.unsent);
    showNotices(t);
    if (t.rejoin.phase() == Rejoin::Phase::GaveUp) session.ending = Ending::GaveUp;
    if (session.socket.valid() &&
        (session.ending == Ending::None || session.ending == Ending::Left)) {
      sendPending(session);
    }
    keepGoing(session, t, options, target);
    if (session.ending == Ending::None) tryAgain(session, t, options, target);
    const std::string out = session.ending == Ending::None ? t.screen.render(t.editor)
                                                           : farewell(session, t.editor, t.screen);
    if (!term::writeOutput(out)) session.ending = Ending::Left;
  }
  return exitStatus(session);
}

// Like nc: bytes both ways unchanged; the end of input shuts the sending side, and the client
// stays until the server closes. With --password-file the client answers the password prompt
// itself, and the input waits for it.
int runPiped(Session& session, const Options& options) {
  term::StopWatch stop_watch;
  static char buffer[kReadChunk];
  PipedPassword password(options.password);
  bool input_open = true;
  bool write_shut = false;
  while (session.ending == Ending::None) {
    const bool reading = input_open && password.inputMayGo();
    const term::Events events = term::wait(session.socket, waitFor(session, reading), kWaitMs);
    if (events.error) fail(session, "Cannot wait for input", events.error);
    if (events.stop) session.ending = Ending::Left;
    if (events.socket_readable && session.ending == Ending::None) {
      receive(session, [&session, &password](std::string_view bytes) {
        password.fromServer(bytes, session.unsent);
        if (!term::writeOutput(bytes)) session.ending = Ending::Left;
      });
    }
    if (events.input && reading && session.ending == Ending::None) {
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
  if (session.ending == Ending::Failed || session.ending == Ending::Broken) {
    std::cerr << session.why << "\n";
  }
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
  const int status =
      term::isInteractive() ? runOnTerminal(session, options) : runPiped(session, options);
  if (session.ending == Ending::Lost) {
    const std::string target = describeTarget(options.host, options.port);
    std::cerr << lostLine(target, options.keepalive_s, session.why) << std::endl;
  }
  return status;
}

}  // namespace client
