// Starting, watching and stopping the server process (needs fork/exec, so POSIX only).
#include "support/server_process.hpp"

#include <sstream>

#include "net.hpp"

namespace e2e {

namespace {

// A port taken between pickFreePort() and the server's bind is rare; a few tries suffice.
constexpr int kPortAttempts = 5;
constexpr std::int64_t kPollIntervalMs = 5;
constexpr int kPortInUseStatus = 1;

std::string directoryOf(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

enum class Startup { Listening, PortTaken, Failed };

// Waits for the first stdout line and checks that it announces `port`.
Startup awaitListening(Process& process, std::uint16_t port, std::string& error) {
  const std::int64_t deadline = net::monotonicMs() + kServerStartTimeoutMs;
  for (;;) {
    const std::string out = consoleText(process.standardOutput());
    const std::size_t newline = out.find('\n');
    if (newline != std::string::npos) {
      if (out.substr(0, newline) == listeningLine(port)) return Startup::Listening;
      error = "first line of stdout is \"" + out.substr(0, newline) + "\", expected \"" +
              listeningLine(port) + "\"";
      return Startup::Failed;
    }
    if (auto status = process.waitForExit(0)) {
      error = "server ended before listening (" + status->describe() +
              "); stderr: " + consoleText(process.standardError());
      return status->exitedWith(kPortInUseStatus) ? Startup::PortTaken : Startup::Failed;
    }
    if (net::monotonicMs() >= deadline) {
      error = "no complete first line on stdout within the start timeout; got \"" + out + "\"";
      return Startup::Failed;
    }
    pauseMs(kPollIntervalMs);
  }
}

std::unique_ptr<Process> launch(const std::vector<std::string>& args, std::uint16_t port,
                                Startup& startup, std::string& error,
                                const std::vector<std::string>& wrapper = {}) {
  std::vector<std::string> command = wrapper;
  const std::vector<std::string> server = serverCommand(args);
  command.insert(command.end(), server.begin(), server.end());
  auto process = Process::start(command, false, error);
  if (!process) {
    startup = Startup::Failed;
    return nullptr;
  }
  startup = awaitListening(*process, port, error);
  if (startup != Startup::Listening) {
    process->stop(StopSignal::Kill, kServerStopTimeoutMs);
    return nullptr;
  }
  return process;
}

}  // namespace

std::vector<std::string> serverCommand(const std::vector<std::string>& args) {
  std::vector<std::string> command;
  std::istringstream runner(environmentValue("NETCAT_CHAT_RUNNER"));
  for (std::string word; runner >> word;) command.push_back(word);
  std::string binary = environmentValue("NETCAT_CHAT_BIN");
  if (binary.empty()) binary = directoryOf(currentExecutablePath()) + "/netcat-chat";
  command.push_back(binary);
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

std::unique_ptr<ServerProcess> ServerProcess::start(const std::vector<std::string>& options,
                                                    std::string& error,
                                                    const std::vector<std::string>& wrapper) {
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    const std::uint16_t port = pickFreePort();
    if (port == 0) {
      error = "no free loopback port";
      return nullptr;
    }
    std::vector<std::string> args{std::to_string(port)};
    args.insert(args.end(), options.begin(), options.end());
    Startup startup;
    auto process = launch(args, port, startup, error, wrapper);
    if (process) return std::unique_ptr<ServerProcess>(new ServerProcess(std::move(process), port));
    if (startup != Startup::PortTaken) return nullptr;
  }
  return nullptr;
}

std::unique_ptr<ServerProcess> ServerProcess::startExactly(
    const std::vector<std::string>& args, std::uint16_t port, std::string& error,
    const std::vector<std::string>& wrapper) {
  Startup startup;
  auto process = launch(args, port, startup, error, wrapper);
  if (!process) return nullptr;
  return std::unique_ptr<ServerProcess>(new ServerProcess(std::move(process), port));
}

ExitStatus ServerProcess::stop(StopSignal which, std::int64_t timeout_ms) {
  return process_->stop(which, timeout_ms);
}

RunResult runServer(const std::vector<std::string>& args, std::int64_t timeout_ms) {
  RunResult result;
  auto process = Process::start(serverCommand(args), false, result.failure);
  if (!process) return result;
  result.status = process->waitForExit(timeout_ms);
  if (!result.status) process->stop(StopSignal::Kill, kServerStopTimeoutMs);
  result.out = consoleText(process->standardOutput());
  result.err = consoleText(process->standardError());
  return result;
}

}  // namespace e2e
