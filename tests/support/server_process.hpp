// Runs the built netcat-chat for end-to-end tests: on a free loopback port, or to completion.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"

namespace e2e {

// Generous, because a server under wine or a sanitizer starts slowly; a healthy one takes ms.
inline constexpr std::int64_t kServerStartTimeoutMs = 20000;
inline constexpr std::int64_t kServerStopTimeoutMs = 10000;

// The words that run the server with `args`: NETCAT_CHAT_RUNNER (split at spaces, e.g. `wine`),
// then NETCAT_CHAT_BIN or the `netcat-chat` next to the running test program.
std::vector<std::string> serverCommand(const std::vector<std::string>& args);
bool serverRunsUnderRunner();
// Console output as the tests compare it: CRLF from a Windows build becomes LF.
std::string consoleText(std::string_view raw);
std::string listeningLine(std::uint16_t port);
// The signal that asks the server to shut down: SIGTERM natively; under a runner such as wine,
// SIGINT, which it turns into the Ctrl-C a Windows program understands.
StopSignal gracefulStopSignal();
// A port that was free on loopback a moment ago, or 0.
std::uint16_t pickFreePort();
// True when nothing listens on `port` and this process could bind it on all interfaces.
bool portIsFree(std::uint16_t port);

struct RunResult {
  std::optional<ExitStatus> status;  // empty when the server had to be killed
  std::string out;
  std::string err;
  std::string failure;  // why it could not be started
};

// Runs the server with `args` and waits for it to end on its own (CLI checks).
RunResult runServer(const std::vector<std::string>& args, std::int64_t timeout_ms = 10000);

class ServerProcess {
 public:
  // Starts `netcat-chat PORT options...` on a free port; retries with another port when the
  // chosen one was taken in between (exit status 1). Null with `error` set on failure.
  // `wrapper` goes before the whole command, e.g. `prlimit --nofile=32`.
  static std::unique_ptr<ServerProcess> start(const std::vector<std::string>& options,
                                              std::string& error,
                                              const std::vector<std::string>& wrapper = {});
  // Starts with exactly `args` and expects it to announce `port`; `wrapper` as for start(),
  // e.g. Netns::runInside() for a server in a network namespace of its own.
  static std::unique_ptr<ServerProcess> startExactly(const std::vector<std::string>& args,
                                                     std::uint16_t port, std::string& error,
                                                     const std::vector<std::string>& wrapper = {});

  std::uint16_t port() const { return port_; }
  long pid() const { return process_->pid(); }
  bool running() { return process_->running(); }
  bool signal(StopSignal which) { return process_->signal(which); }
  std::optional<ExitStatus> waitForExit(std::int64_t timeout_ms) {
    return process_->waitForExit(timeout_ms);
  }
  // Sends `which`, waits up to `timeout_ms`, then kills: the server is always reaped.
  ExitStatus stop(StopSignal which, std::int64_t timeout_ms = kServerStopTimeoutMs);
  ExitStatus stop() { return stop(gracefulStopSignal()); }
  std::string output() const { return consoleText(process_->standardOutput()); }
  std::string errors() const { return consoleText(process_->standardError()); }
  std::optional<std::uint64_t> residentBytes() const { return process_->residentBytes(); }

 private:
  ServerProcess(std::unique_ptr<Process> process, std::uint16_t port)
      : process_(std::move(process)), port_(port) {}

  std::unique_ptr<Process> process_;
  std::uint16_t port_;
};

}  // namespace e2e
