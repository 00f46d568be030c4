// The reliability harness on POSIX: fork/exec of the server, /proc readings, loopback clients.
#include "reliability/harness.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace rel {
namespace {

// How often a wait on a child process looks again: short against every timeout here.
constexpr std::int64_t kPollMs = 5;
// A port taken between probing and the server's bind is rare; a few tries suffice.
constexpr int kPortAttempts = 5;
constexpr int kExitCannotServe = 1;

std::string temporaryFile() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/netcat-chat-rel-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return {};
  ::close(fd);
  return path;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string withoutCarriageReturns(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

void pause(std::int64_t ms) { ::usleep(static_cast<useconds_t>(ms * 1000)); }

std::string directoryOf(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string selfDirectory() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? directoryOf(std::string(path, static_cast<std::size_t>(n))) : ".";
}

// NETCAT_CHAT_RUNNER (split at spaces), then NETCAT_CHAT_BIN or the netcat-chat beside the tests.
std::vector<std::string> serverCommand(const std::vector<std::string>& args) {
  std::vector<std::string> command;
  std::istringstream runner(environmentValue("NETCAT_CHAT_RUNNER"));
  for (std::string word; runner >> word;) command.push_back(word);
  std::string binary = environmentValue("NETCAT_CHAT_BIN");
  command.push_back(binary.empty() ? selfDirectory() + "/netcat-chat" : binary);
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

}  // namespace

std::uint16_t freePort() {
  net::NetError error;
  net::Socket probe = net::listenTcp("127.0.0.1", 0, error);
  return probe.valid() ? net::localPort(probe) : 0;
}

std::string environmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

bool underRunner() { return !environmentValue("NETCAT_CHAT_RUNNER").empty(); }

TemporaryDirectory::TemporaryDirectory() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/netcat-chat-rel-XXXXXX";
  if (::mkdtemp(path.data()) != nullptr) path_ = path;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

// --- Server -------------------------------------------------------------------------------------

Server::~Server() {
  if (pid_ > 0 && !status_) {
    ::kill(static_cast<pid_t>(pid_), SIGKILL);
    reap(kWaitMs);
  }
  if (!out_path_.empty()) ::unlink(out_path_.c_str());
  if (!err_path_.empty()) ::unlink(err_path_.c_str());
}

bool Server::launch(const std::vector<std::string>& args, std::string& why) {
  // A server that dies while a test writes to it must give EPIPE, not end the tests.
  ::signal(SIGPIPE, SIG_IGN);
  if (out_path_.empty()) out_path_ = temporaryFile();
  if (err_path_.empty()) err_path_ = temporaryFile();
  const std::vector<std::string> command = serverCommand(args);
  std::vector<char*> argv;
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out = ::open(out_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  const int err = ::open(err_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  const pid_t pid = (in >= 0 && out >= 0 && err >= 0) ? ::fork() : -1;
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  const int saved = errno;
  for (int fd : {in, out, err}) {
    if (fd >= 0) ::close(fd);
  }
  if (pid < 0) {
    why = std::string("cannot start the server: ") + std::strerror(saved);
    return false;
  }
  pid_ = pid;
  status_.reset();
  return true;
}

bool Server::start(const std::vector<std::string>& options, std::string& why) {
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = freePort();
    std::vector<std::string> args{std::to_string(port_)};
    args.insert(args.end(), options.begin(), options.end());
    if (!launch(args, why)) return false;
    const std::string expected = "Listening on the port :" + std::to_string(port_) + "\n";
    const std::int64_t deadline = net::monotonicMs() + 2 * kWaitMs;
    for (;;) {
      const std::string out = output();
      if (out.size() >= expected.size()) {
        if (out.compare(0, expected.size(), expected) == 0) return true;
        why = "unexpected first line: " + out;
        stop();
        return false;
      }
      if (!running()) {
        if (*status_ == kExitCannotServe && errors().find("in use") != std::string::npos) break;
        why = "the server ended at start-up: " + errors();
        return false;
      }
      if (net::monotonicMs() >= deadline) {
        why = "no Listening line in time";
        stop();
        return false;
      }
      pause(kPollMs);
    }
  }
  why = "no free port after several tries";
  return false;
}

int Server::runToExit(const std::vector<std::string>& args, std::string& err,
                      std::int64_t timeout_ms) {
  Server server;
  std::string why;
  if (!server.launch(args, why)) {
    err = why;
    return -1;
  }
  const int status = server.reap(timeout_ms);
  err = server.errors();
  return status;
}

int Server::reap(std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (!status_) {
    int raw = 0;
    const pid_t got = ::waitpid(static_cast<pid_t>(pid_), &raw, WNOHANG);
    if (got == pid_) {
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
      break;
    }
    if (got < 0 && errno != EINTR) return -1;
    if (net::monotonicMs() >= deadline) {
      ::kill(static_cast<pid_t>(pid_), SIGKILL);
      ::waitpid(static_cast<pid_t>(pid_), &raw, 0);
      status_ = -SIGKILL;
      return -1;
    }
    pause(kPollMs);
  }
  return *status_;
}

bool Server::running() {
  if (status_ || pid_ <= 0) return false;
  int raw = 0;
  if (::waitpid(static_cast<pid_t>(pid_), &raw, WNOHANG) != pid_) return true;
  status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
  return false;
}

int Server::stop() {
  if (running()) ::kill(static_cast<pid_t>(pid_), SIGTERM);
  return reap(kWaitMs);
}

void Server::kill9() {
  if (running()) ::kill(static_cast<pid_t>(pid_), SIGKILL);
  reap(kWaitMs);
}

std::string Server::output() const { return withoutCarriageReturns(readFile(out_path_)); }
std::string Server::errors() const { return withoutCarriageReturns(readFile(err_path_)); }

std::optional<std::uint64_t> Server::statusKiB(const char* field) const {
  if (underRunner() || pid_ <= 0) return std::nullopt;
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
  }
  return std::nullopt;
}

std::optional<std::size_t> Server::openDescriptors() const {
  if (underRunner() || pid_ <= 0) return std::nullopt;
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid_) + "/fd").c_str());
  if (dir == nullptr) return std::nullopt;
  std::size_t count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

// --- Client -------------------------------------------------------------------------------------

bool Client::connect(std::uint16_t port) {
  net::NetError error;
  socket_ = net::connectTcp("127.0.0.1", port, error);
  buffer_.clear();
  peer_closed_ = false;
  return socket_.valid() && !net::setNonBlocking(socket_, true);
}

bool Client::send(std::string_view bytes, std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (!bytes.empty()) {
    bytes.remove_prefix(sendSome(bytes));
    if (bytes.empty()) break;
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0 || !socket_.valid()) return false;
    net::SelectSet set;
    set.add(socket_, false, true);
    net::NetError error;
    set.wait(left, error);
  }
  return true;
}

std::size_t Client::sendSome(std::string_view bytes) {
  if (!socket_.valid() || bytes.empty()) return 0;
  const net::IoResult result = net::sendSome(socket_, bytes.data(), bytes.size());
  const net::ErrorKind kind = result.error.kind;
  if (result.bytes == 0 && kind != net::ErrorKind::WouldBlock &&
      kind != net::ErrorKind::Interrupted && kind != net::ErrorKind::None) {
    socket_.close();
  }
  return result.bytes;
}

bool Client::receiveOnce(std::int64_t timeout_ms) {
  if (!socket_.valid() || peer_closed_) return false;
  net::SelectSet set;
  set.add(socket_, true, false);
  net::NetError error;
  if (set.wait(timeout_ms, error) <= 0) return false;
  char chunk[64 * 1024];
  const net::IoResult result = net::receiveSome(socket_, chunk, sizeof chunk);
  if (result.bytes > 0) {
    buffer_.append(chunk, result.bytes);
    return true;
  }
  const net::ErrorKind kind = result.error.kind;
  if (kind == net::ErrorKind::WouldBlock || kind == net::ErrorKind::Interrupted) return true;
  peer_closed_ = true;
  return false;
}

std::optional<std::string> Client::readUntil(std::string_view token, std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  for (;;) {
    const std::size_t at = buffer_.find(token);
    if (at != std::string::npos) {
      std::string got = buffer_.substr(0, at + token.size());
      buffer_.erase(0, at + token.size());
      return got;
    }
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0 || (!receiveOnce(left) && (peer_closed_ || !socket_.valid()))) {
      return std::nullopt;
    }
  }
}

std::string Client::readSome(std::int64_t timeout_ms) {
  if (buffer_.empty()) receiveOnce(timeout_ms);
  while (receiveOnce(0)) {
  }
  return std::exchange(buffer_, {});
}

bool Client::readUntilClosed(std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (!peer_closed_) {
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0) return false;
    receiveOnce(left);
    if (buffer_.size() > 1024 * 1024) buffer_.clear();  // only the end matters here
  }
  return true;
}

void Client::close() { socket_.close(); }

void Client::reset() { net::resetConnection(socket_); }

// --- conveniences -------------------------------------------------------------------------------

bool joinAs(Client& client, std::uint16_t port, const std::string& name) {
  return client.connect(port) && client.readUntil("[ENTER YOUR NAME]: ") &&
         client.send(name + "\n") && client.readUntil("][" + name + "]:");
}

std::optional<std::int64_t> roundTripMs(Client& from, Client& to, const std::string& marker,
                                        std::int64_t timeout_ms) {
  const std::int64_t start = net::monotonicMs();
  if (!from.send(marker + "\n", timeout_ms)) return std::nullopt;
  if (!to.readUntil("]:" + marker + "\n", timeout_ms)) return std::nullopt;
  return net::monotonicMs() - start;
}

}  // namespace rel
