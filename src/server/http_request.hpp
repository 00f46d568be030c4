// An HTTP/1.1 request head (RFC 9112) read from bytes as they arrive: "need more", "done" or
// "bad", never reading past the blank line that ends it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace server {

// The head is bounded so a client cannot make the server hold more than this for it.
inline constexpr std::size_t kMaxRequestHeadBytes = 8 * 1024;

// What the web adapter needs of a request; other header fields are checked for form, then
// dropped.
struct HttpRequest {
  std::string method;
  std::string path;       // the target without its query, "/" for "http://host/"
  int minor_version = 1;  // HTTP/1.x
  std::string host;
  std::string origin;
  std::string upgrade;     // every Upgrade field, joined with ","
  std::string connection;  // every Connection field, joined with ","
  std::string websocket_key;
  std::string websocket_version;
  bool has_host = false;
  bool has_origin = false;
  bool has_websocket_version = false;
  bool has_body = false;  // Content-Length other than 0, or Transfer-Encoding
  // Every X-Forwarded-For field, joined with "," in order: read only from trusted proxies.
  std::string forwarded_for;
  bool has_forwarded_for = false;
};

class HttpRequestParser {
 public:
  enum class Status { NeedMore, Done, Bad };

  // Reads from `bytes`; `used` says how many belonged to the head (the rest is the peer's next
  // bytes, WebSocket frames after an upgrade). Once Done or Bad, it takes nothing more.
  Status feed(std::string_view bytes, std::size_t& used);
  Status status() const { return status_; }
  // With Done.
  const HttpRequest& request() const { return request_; }
  // With Bad: 400 (malformed) or 431 (head too large).
  int errorStatus() const { return error_status_; }

 private:
  Status fail(int status);
  Status parseHead();
  bool parseRequestLine(std::string_view line);
  bool parseField(std::string_view line);

  std::string head_;
  std::size_t skipped_ = 0;  // empty lines before the request line (RFC 9112 §2.2)
  Status status_ = Status::NeedMore;
  int error_status_ = 0;
  HttpRequest request_;
};

}  // namespace server
