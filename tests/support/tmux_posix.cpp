// Drives tmux for the client's end-to-end tests through its command line.
#include "support/tmux.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "net.hpp"
#include "support/process.hpp"

namespace e2e {
namespace {

// Between two looks at the screen while polling.
constexpr std::int64_t kPollMs = 20;
// One tmux command; it answers in milliseconds.
constexpr std::int64_t kTmuxCommandTimeoutMs = 10000;
// How long a held terminal outlives its commands; the test's end (kill-server) ends it sooner.
// Bounded, so a test run that died before its clean-up leaves nothing behind for long.
constexpr int kHoldSeconds = 600;

std::string uniqueSocketName() {
  static std::atomic<int> counter{0};
  return "client-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::vector<std::string> splitRows(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string row; std::getline(in, row);) {
    while (!row.empty() && row.back() == ' ') row.pop_back();
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::string shellQuoted(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += '\'';
    for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::vector<std::string> thenHoldTheTerminal(const std::string& commands) {
  return {"sh", "-c", "trap : INT; " + commands + "; exec sleep " + std::to_string(kHoldSeconds)};
}

bool TmuxTerminal::available() {
  std::string error;
  auto probe = Process::start({"tmux", "-V"}, false, error);
  if (!probe) return false;
  const auto status = probe->waitForExit(kTmuxCommandTimeoutMs);
  return status && status->exitedWith(0);
}

TmuxTerminal::TmuxTerminal(const std::vector<std::string>& command, int columns, int rows)
    : socket_name_(uniqueSocketName()), config_path_("/tmp/" + socket_name_ + ".conf") {
  // The test's own configuration, so no user's settings change what it sees: no status line
  // (the pane is the whole window), and the pane stays with the client's last words after the
  // command ends, from the very start.
  if (std::FILE* config = std::fopen(config_path_.c_str(), "w")) {
    std::fputs("set -g status off\nset -g remain-on-exit on\n", config);
    std::fclose(config);
  }
  bool ok = false;
  run({"-f", config_path_, "new-session", "-d", "-s", "client", "-x", std::to_string(columns), "-y",
       std::to_string(rows), shellQuoted(command)},
      ok);
  started_ = ok;
  if (ok) {
    socket_path_ = run({"display-message", "-p", "#{socket_path}"}, ok);
    while (!socket_path_.empty() && socket_path_.back() == '\n') socket_path_.pop_back();
  }
}

TmuxTerminal::~TmuxTerminal() {
  bool ok = false;
  run({"kill-server"}, ok);
  std::remove(config_path_.c_str());
  // A killed tmux server leaves its socket file behind.
  if (!socket_path_.empty()) std::remove(socket_path_.c_str());
}

std::string TmuxTerminal::run(const std::vector<std::string>& args, bool& ok) {
  std::vector<std::string> tmux = {"tmux", "-u", "-L", socket_name_};
  tmux.insert(tmux.end(), args.begin(), args.end());
  // The tmux client writes what it prints (capture-pane -p, display-message -p) through an
  // event loop that cannot wait on a regular file, and drops it when its standard output is
  // one, as the test harness's capture files are. A command substitution gives it a pipe; the
  // x keeps the trailing newlines, and tmux's exit status is kept too.
  const std::string script = "out=$(" + shellQuoted(tmux) +
                             "; s=$?; echo x; exit $s); s=$?; printf '%s' \"${out%x}\"; exit $s";
  const std::vector<std::string> argv = {"sh", "-c", script};
  std::string error;
  ok = false;
  auto process = Process::start(argv, false, error);
  if (!process) return error;
  const auto status = process->waitForExit(kTmuxCommandTimeoutMs);
  ok = status && status->exitedWith(0);
  return process->standardOutput();
}

bool TmuxTerminal::keys(const std::vector<std::string>& names) {
  std::vector<std::string> args = {"send-keys", "-t", "client"};
  args.insert(args.end(), names.begin(), names.end());
  bool ok = false;
  run(args, ok);
  return ok;
}

bool TmuxTerminal::type(const std::string& text) {
  bool ok = false;
  run({"send-keys", "-t", "client", "-l", text}, ok);
  return ok;
}

bool TmuxTerminal::resize(int columns, int rows) {
  bool ok = false;
  run({"resize-window", "-t", "client", "-x", std::to_string(columns), "-y", std::to_string(rows)},
      ok);
  return ok;
}

std::vector<std::string> TmuxTerminal::rows() { return splitRows(text()); }

std::string TmuxTerminal::text() {
  bool ok = false;
  return run({"capture-pane", "-p", "-t", "client"}, ok);
}

std::string TmuxTerminal::textWithScrollback() {
  bool ok = false;
  return run({"capture-pane", "-p", "-S", "-", "-t", "client"}, ok);
}

Cursor TmuxTerminal::cursor() {
  bool ok = false;
  std::istringstream in(
      run({"display-message", "-p", "-t", "client", "#{cursor_x} #{cursor_y}"}, ok));
  Cursor at;
  in >> at.x >> at.y;
  return at;
}

std::string TmuxTerminal::cursorRow() {
  const Cursor at = cursor();
  const std::vector<std::string> all = rows();
  return at.y >= 0 && static_cast<std::size_t>(at.y) < all.size() ? all[at.y] : std::string();
}

bool TmuxTerminal::waitFor(const std::function<bool(TmuxTerminal&)>& done,
                           std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  for (;;) {
    if (done(*this)) return true;
    if (net::monotonicMs() >= deadline) return false;
    pauseMs(kPollMs);
  }
}

bool TmuxTerminal::waitForText(const std::string& needle, std::int64_t timeout_ms) {
  return waitFor([&needle](TmuxTerminal& t) { return t.text().find(needle) != std::string::npos; },
                 timeout_ms);
}

bool TmuxTerminal::signalCommand(PaneSignal which) {
  bool ok = false;
  std::istringstream pane(run({"display-message", "-p", "-t", "client", "#{pane_pid}"}, ok));
  long shell = 0;
  if (!ok || !(pane >> shell) || shell <= 0) return false;
  // Linux lists a process's children here; the shell runs one command at a time.
  std::ifstream children("/proc/" + std::to_string(shell) + "/task/" + std::to_string(shell) +
                         "/children");
  long child = 0;
  if (!(children >> child) || child <= 0) return false;
  return ::kill(static_cast<pid_t>(child), which == PaneSignal::Terminate ? SIGTERM : SIGHUP) == 0;
}

}  // namespace e2e
