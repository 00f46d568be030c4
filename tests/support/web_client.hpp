// A browser's side of the web port for end-to-end tests (POSIX), over a raw socket: HTTP requests,
// the WebSocket handshake, and masked frames out, server frames in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/chat_client.hpp"
#include "support/websocket_bytes.hpp"

namespace e2e {

// The RFC 6455 example key and the answer it must get.
inline constexpr std::string_view kExampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
inline constexpr std::string_view kExampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

struct HttpResponse {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;
  bool closed = false;  // the server closed the connection after it
  // The value of header field `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};

// An upgrade request for /chat on `host` ("127.0.0.1:PORT") with `extra` header lines.
std::string upgradeRequest(std::string_view host, std::string_view extra = {},
                           std::string_view version = "13");

class WebClient {
 public:
  ChatClient& raw() { return client_; }

  bool connect(std::uint16_t port, std::string_view source = {}, bool small_buffer = false);
  // Sends `request` and reads the answer's head, then its body (Content-Length), and whether the
  // server closes after it.
  HttpResponse request(std::string_view request);
  // Connects, upgrades with an Origin of the server itself, and checks the 101; false with the
  // answer in `failure` otherwise.
  bool open(std::uint16_t port, std::string& failure, std::string_view source = {},
            bool small_buffer = false);

  bool sendText(std::string_view text) {
    return client_.send(test::clientFrame(test::kOpText, text));
  }
  bool send(std::string_view bytes) { return client_.send(bytes); }
  // The next whole frame; false if none came in time.
  bool readFrame(test::ServerFrame& frame, std::int64_t timeout_ms = kReadTimeoutMs);
  // Text frames' payloads joined until they hold `token`; every frame is checked to be a whole
  // text frame of valid UTF-8, and `bad` says what else came.
  std::string readTextUntil(std::string_view token, std::string& bad,
                            std::int64_t timeout_ms = kReadTimeoutMs);
  // Skips text frames until a close frame; returns its code (0 when none came, 1 for an empty
  // close payload... kept as 0xFFFF to tell it apart).
  std::uint16_t readCloseCode(std::int64_t timeout_ms = kReadTimeoutMs);
  // After the close frame, the server ends the TCP connection.
  bool serverCloses(std::int64_t timeout_ms = kReadTimeoutMs);

 private:
  ChatClient client_;
  std::string host_;
};

inline constexpr std::uint16_t kEmptyClose = 0xFFFF;

}  // namespace e2e
