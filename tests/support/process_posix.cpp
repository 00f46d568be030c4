// POSIX process control for tests: fork/exec with output in temporary files, signals, waitpid.
#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "net.hpp"

namespace e2e {

namespace {

// How often a wait for a child looks again; short against every timeout the tests use.
constexpr std::int64_t kPollIntervalMs = 5;

std::string temporaryFile(std::string& error) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/netcat-chat-e2e-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    error = "mkstemp: " + std::string(std::strerror(errno));
    return {};
  }
  ::close(fd);
  return path;
}

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ExitStatus fromWaitStatus(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

// Runs in the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void execChild(char* const* argv, int stdin_fd, int out_fd, int err_fd) {
  ::signal(SIGPIPE, SIG_DFL);
  dup2(stdin_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  for (int fd = 3; fd < 1024; ++fd) ::close(fd);
  execvp(argv[0], argv);
  const char kFailed[] = "exec failed\n";
  (void)!write(STDERR_FILENO, kFailed, sizeof kFailed - 1);
  _exit(127);
}

}  // namespace

struct Process::Impl {
  pid_t pid = -1;
  int stdin_fd = -1;
  std::string out_path;
  std::string err_path;
  std::optional<ExitStatus> status;

  ~Impl() {
    if (stdin_fd >= 0) ::close(stdin_fd);
    if (!out_path.empty()) ::unlink(out_path.c_str());
    if (!err_path.empty()) ::unlink(err_path.c_str());
  }

  bool reap(bool block) {
    if (status) return true;
    int raw = 0;
    pid_t got;
    do {
      got = waitpid(pid, &raw, block ? 0 : WNOHANG);
    } while (got < 0 && errno == EINTR);
    if (got != pid) return false;
    status = fromWaitStatus(raw);
    return true;
  }
};

std::string ExitStatus::describe() const {
  if (exited) return "exit status " + std::to_string(code);
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "still running";
}

std::unique_ptr<Process> Process::start(const std::vector<std::string>& argv, bool pipe_stdin,
                                        std::string& error) {
  // A child that dies while the test writes to its stdin must give EPIPE, not kill the tests.
  ::signal(SIGPIPE, SIG_IGN);
  auto impl = std::make_unique<Impl>();
  impl->out_path = temporaryFile(error);
  impl->err_path = temporaryFile(error);
  if (impl->out_path.empty() || impl->err_path.empty() || argv.empty()) {
    if (argv.empty()) error = "no command";
    return nullptr;
  }
  int in_pipe[2] = {-1, -1};
  if (pipe_stdin ? pipe2(in_pipe, O_CLOEXEC) != 0
                 : (in_pipe[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
    error = "stdin: " + std::string(std::strerror(errno));
    return nullptr;
  }
  const int out_fd = ::open(impl->out_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  const int err_fd = ::open(impl->err_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = (out_fd >= 0 && err_fd >= 0) ? fork() : -1;
  if (pid == 0) execChild(args.data(), in_pipe[0], out_fd, err_fd);
  const int saved_errno = errno;
  ::close(in_pipe[0]);
  if (out_fd >= 0) ::close(out_fd);
  if (err_fd >= 0) ::close(err_fd);
  if (pid < 0) {
    if (in_pipe[1] >= 0) ::close(in_pipe[1]);
    error = "fork: " + std::string(std::strerror(saved_errno));
    return nullptr;
  }
  impl->pid = pid;
  impl->stdin_fd = in_pipe[1];
  return std::unique_ptr<Process>(new Process(std::move(impl)));
}

Process::Process(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Process::~Process() {
  if (!impl_->reap(false)) {
    ::kill(impl_->pid, SIGKILL);
    impl_->reap(true);
  }
}

long Process::pid() const { return impl_->pid; }

bool Process::writeStdin(std::string_view bytes) {
  while (!bytes.empty() && impl_->stdin_fd >= 0) {
    const ssize_t n = ::write(impl_->stdin_fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return bytes.empty();
}

void Process::closeStdin() {
  if (impl_->stdin_fd >= 0) ::close(impl_->stdin_fd);
  impl_->stdin_fd = -1;
}

bool Process::signal(StopSignal which) {
  if (impl_->reap(false)) return false;
  const int number = which == StopSignal::Terminate   ? SIGTERM
                     : which == StopSignal::Interrupt ? SIGINT
                                                      : SIGKILL;
  return ::kill(impl_->pid, number) == 0;
}

std::optional<ExitStatus> Process::waitForExit(std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (!impl_->reap(false)) {
    if (net::monotonicMs() >= deadline) return std::nullopt;
    pauseMs(kPollIntervalMs);
  }
  return impl_->status;
}

ExitStatus Process::stop(StopSignal which, std::int64_t timeout_ms) {
  signal(which);
  if (auto status = waitForExit(timeout_ms)) return *status;
  ::kill(impl_->pid, SIGKILL);
  impl_->reap(true);
  return *impl_->status;
}

bool Process::running() { return !impl_->reap(false); }

std::string Process::standardOutput() const { return readWholeFile(impl_->out_path); }

std::string Process::standardError() const { return readWholeFile(impl_->err_path); }

std::optional<std::uint64_t> Process::residentBytes() const {
  std::ifstream status("/proc/" + std::to_string(impl_->pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return std::nullopt;
}

std::string currentExecutablePath() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace e2e
