// A TCP client for end-to-end tests: sends bytes and reads with a timeout until what it expects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "net.hpp"

namespace e2e {

// Every wait for the server is bounded by this unless a test says otherwise; long enough for a
// loaded machine or wine, and it only costs time when a test fails.
inline constexpr std::int64_t kReadTimeoutMs = 10000;

class ChatClient {
 public:
  // Given the bytes buffered so far, returns how many of them form the awaited answer, or
  // std::string_view::npos when more are needed.
  using Completion = std::function<std::size_t(std::string_view)>;

  ChatClient() = default;
  ChatClient(ChatClient&&) = default;
  ChatClient& operator=(ChatClient&&) = default;

  bool connect(std::string_view host, std::uint16_t port);
  // Like connect(), with a tiny receive buffer fixed before connecting, so that a client that
  // stops reading fills up after kilobytes rather than the kernel's many megabytes (POSIX only).
  bool connectWithSmallReceiveBuffer(std::string_view host, std::uint16_t port);
  // Like connect(), from the local address `source` (e.g. 127.0.0.2, which stands in for another
  // computer on loopback), with a small receive buffer when `small_buffer` (POSIX only).
  bool connectFrom(std::string_view source, std::string_view host, std::uint16_t port,
                   bool small_buffer = false);
  // Connects and reads the banner; false unless the banner arrived byte for byte.
  bool connectAndReadBanner(std::string_view host, std::uint16_t port);
  // Sends `name` at the name prompt and returns the reply up to and including the new prompt
  // `[<ts>][name]:` (history first), or what came instead.
  std::string join(std::string_view name, std::int64_t timeout_ms = kReadTimeoutMs);
  const net::NetError& lastError() const { return error_; }
  bool connected() const { return socket_.valid(); }
  std::uint16_t localPort() const;

  // Sends everything, waiting for the socket to drain; false on error or timeout.
  bool send(std::string_view bytes, std::int64_t timeout_ms = kReadTimeoutMs);
  // Sends what the socket takes right now; returns the number of bytes sent.
  std::size_t sendAvailable(std::string_view bytes);

  // Returns the bytes up to and including `token`, or everything read if it never came.
  std::string readUntil(std::string_view token, std::int64_t timeout_ms = kReadTimeoutMs);
  std::string readUntil(const Completion& complete, std::int64_t timeout_ms = kReadTimeoutMs);
  // Returns `count` bytes, or fewer if the timeout or the end of the stream came first.
  std::string readExactly(std::size_t count, std::int64_t timeout_ms = kReadTimeoutMs);
  // Reads as many bytes as `pattern` stands for (see wire.hpp: kTs is one timestamp) and
  // returns them with timestamps masked, ready to compare with `pattern`.
  std::string readLike(std::string_view pattern, std::int64_t timeout_ms = kReadTimeoutMs);
  // Reads until the server closes the connection; returns everything read.
  std::string readUntilClosed(std::int64_t timeout_ms = kReadTimeoutMs);
  // Whatever arrives within `window_ms`; for the few checks that something is NOT sent.
  std::string readFor(std::int64_t window_ms);
  // Whatever has already arrived, without waiting.
  std::string readAvailable();
  // At most `most` bytes of what has arrived, without waiting: a reader on a slow link.
  std::string readSome(std::size_t most);

  bool peerClosed() const { return peer_closed_; }
  // Orderly close: the server sees end of stream.
  void close();
  // Abortive close (SO_LINGER 0): the server sees a connection reset (POSIX only).
  void reset();
  void shutdownWrite();

  // Bytes read from the socket since it was connected.
  std::uint64_t totalReceived() const { return total_received_; }

 private:
  // Receives once when the socket becomes readable within `timeout_ms`; false on timeout,
  // end of stream or error.
  bool receiveOnce(std::int64_t timeout_ms);
  bool waitFor(bool read, bool write, std::int64_t timeout_ms);
  std::string take(std::size_t count);

  net::Socket socket_;
  net::NetError error_;
  std::string buffer_;
  bool peer_closed_ = false;
  std::uint64_t total_received_ = 0;
};

}  // namespace e2e
