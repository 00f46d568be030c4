// Reliability test helpers beyond tests/support: /proc readings, scratch directories, joining.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/chat_client.hpp"
#include "support/server_process.hpp"

namespace rel {

// A field of /proc/PID/status in KiB (VmRSS, VmHWM), and the number of open descriptors of
// PID. Empty where /proc does not describe the server itself: elsewhere than Linux, or when it
// runs under NETCAT_CHAT_RUNNER (Wine), whose process is not the server's.
std::optional<std::uint64_t> statusKiB(const e2e::ServerProcess& server, const char* field);
std::optional<std::size_t> openDescriptors(const e2e::ServerProcess& server);

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

inline bool endsWith(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// Reads until `token`; true when it came in time, with everything read up to it in `got`.
inline bool readTo(e2e::ChatClient& client, std::string_view token, std::string* got = nullptr,
                   std::int64_t timeout_ms = e2e::kReadTimeoutMs) {
  std::string text = client.readUntil(token, timeout_ms);
  const bool arrived = endsWith(text, token);
  if (got != nullptr) *got = std::move(text);
  return arrived;
}

// Connects to loopback, checks the banner, and takes `name`; true when its prompt came.
inline bool joinAs(e2e::ChatClient& client, std::uint16_t port, const std::string& name) {
  return client.connectAndReadBanner("127.0.0.1", port) &&
         endsWith(client.join(name), "][" + name + "]:");
}

}  // namespace rel
