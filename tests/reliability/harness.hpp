// Runs the built server and talks to it over loopback for the reliability and abuse tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net.hpp"

namespace rel {

// Every wait on the server is bounded by this unless a test says otherwise; generous for a
// sanitizer build or Wine, and it only costs time when a test fails.
inline constexpr std::int64_t kWaitMs = 10000;

// Value of an environment variable; empty when unset.
std::string environmentValue(const char* name);
// True when the server runs under NETCAT_CHAT_RUNNER (Wine): its /proc entries are not its own.
bool underRunner();

// A port that was free on loopback a moment ago, or 0.
std::uint16_t freePort();

// A fresh directory for one test's files, removed with everything in it at the end.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One start of netcat-chat on a free loopback port, with stdout and stderr kept in files.
class Server {
 public:
  Server() = default;
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts `netcat-chat PORT options...` and waits for its "Listening" line; false with `why`.
  bool start(const std::vector<std::string>& options, std::string& why);
  // Runs the server to completion with exactly `args` (for start-up failures): its exit status,
  // or -1 when it had to be killed.
  static int runToExit(const std::vector<std::string>& args, std::string& err,
                       std::int64_t timeout_ms = kWaitMs);

  std::uint16_t port() const { return port_; }
  long pid() const { return pid_; }
  bool running();
  // SIGTERM and wait; SIGKILL if it does not end in time. The exit status, -signal when killed.
  int stop();
  // SIGKILL at once, as a crash would: no flushing, no goodbyes.
  void kill9();
  std::string output() const;
  std::string errors() const;

  // From /proc/PID (Linux, not under a runner): a field of status in KiB, the open descriptors.
  std::optional<std::uint64_t> statusKiB(const char* field) const;
  std::optional<std::size_t> openDescriptors() const;

 private:
  bool launch(const std::vector<std::string>& args, std::string& why);
  int reap(std::int64_t timeout_ms);

  long pid_ = -1;
  std::optional<int> status_;
  std::uint16_t port_ = 0;
  std::string out_path_;
  std::string err_path_;
};

// A TCP client with bounded waits.
class Client {
 public:
  bool connect(std::uint16_t port);
  bool connected() const { return socket_.valid(); }

  // Sends everything within `timeout_ms`; false on error or timeout.
  bool send(std::string_view bytes, std::int64_t timeout_ms = kWaitMs);
  // Sends what the socket takes now, without waiting; bytes sent.
  std::size_t sendSome(std::string_view bytes);
  // Reads until `token` arrives; returns everything up to and including it, and keeps the rest.
  // Empty (and the bytes stay buffered) when it did not come in time or the stream ended.
  std::optional<std::string> readUntil(std::string_view token, std::int64_t timeout_ms = kWaitMs);
  // Reads whatever is there now, waiting at most `timeout_ms` for the first bytes.
  std::string readSome(std::int64_t timeout_ms);
  // Reads until the server closes the connection; true when it did within `timeout_ms`.
  bool readUntilClosed(std::int64_t timeout_ms = kWaitMs);
  bool peerClosed() const { return peer_closed_; }

  void close();
  // Abortive close: the server sees a reset.
  void reset();

 private:
  bool receiveOnce(std::int64_t timeout_ms);

  net::Socket socket_;
  std::string buffer_;
  bool peer_closed_ = false;
};

// Connects a client, reads the banner up to the name prompt, sends `name` and waits for its
// chat prompt; false when any step fails.
bool joinAs(Client& client, std::uint16_t port, const std::string& name);

// How long a marker message takes from `from` to `to` (both named, idle): `to` must see
// `[ts][from_name]:marker` within `timeout_ms`. Empty when it does not.
std::optional<std::int64_t> roundTripMs(Client& from, Client& to, const std::string& marker,
                                        std::int64_t timeout_ms = kWaitMs);

}  // namespace rel
