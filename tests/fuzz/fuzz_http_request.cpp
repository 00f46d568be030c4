// libFuzzer target: bytes from a web client through the HTTP request parser and the web answers.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the rest is what a client sends. Checks that the parser never takes more
// than it was given nor anything after it is done, that its memory stays within the head bound,
// that the outcome does not depend on how the bytes were split, and that every answer is a
// well-formed HTTP/1.1 response with one of the statuses of docs/PROTOCOL.md §11–§12.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/invariant.hpp"
#include "server/http_request.hpp"
#include "server/web_routes.hpp"
#include "web/page.hpp"

// The page is built into the product; here a small stand-in with an inline script and style.
namespace web {
std::string_view page() { return "<html><style>p{}</style><script>go()</script></html>"; }
}  // namespace web

namespace {

constexpr int kAllowedStatuses[] = {101, 200, 400, 403, 404, 405, 426, 431};

using fuzz::require;

struct Outcome {
  server::HttpRequestParser::Status status = server::HttpRequestParser::Status::NeedMore;
  std::size_t used = 0;
  int error = 0;
  std::string response;
};

Outcome parse(std::string_view bytes, std::size_t read_size) {
  server::HttpRequestParser parser;
  Outcome outcome;
  for (std::size_t at = 0; at < bytes.size(); at += read_size) {
    const std::string_view piece = bytes.substr(at, read_size);
    const bool finished = parser.status() != server::HttpRequestParser::Status::NeedMore;
    std::size_t used = 0;
    outcome.status = parser.feed(piece, used);
    require(used <= piece.size(), "the parser took more than it was given");
    require(!finished || used == 0, "the parser took bytes after it was done");
    outcome.used += used;
  }
  require(outcome.used <= server::kMaxRequestHeadBytes, "the head outgrew its bound");
  if (outcome.status == server::HttpRequestParser::Status::Bad) {
    outcome.error = parser.errorStatus();
    require(outcome.error == 400 || outcome.error == 431, "a bad request gets 400 or 431");
    outcome.response = server::errorResponse(outcome.error);
  } else if (outcome.status == server::HttpRequestParser::Status::Done) {
    const server::WebAnswer answer = server::answerRequest(parser.request());
    bool allowed = false;
    for (const int status : kAllowedStatuses) allowed = allowed || status == answer.status;
    require(allowed, "a status outside docs/PROTOCOL.md §11–§12");
    require((answer.kind == server::WebAnswer::Kind::Upgrade) == (answer.status == 101),
            "only a 101 upgrades");
    outcome.response = answer.response;
  }
  return outcome;
}

void checkResponse(const std::string& response) {
  if (response.empty()) return;
  require(response.rfind("HTTP/1.1 ", 0) == 0, "a response without its status line");
  const std::size_t head_end = response.find("\r\n\r\n");
  require(head_end != std::string::npos, "a response without the end of its head");
  const std::string_view head = std::string_view(response).substr(0, head_end);
  for (const char c : head) {
    require(static_cast<unsigned char>(c) >= 0x20 || c == '\r' || c == '\n',
            "a control character in a response head");
  }
  require(head.find("\r\n\r\n") == std::string_view::npos, "a blank line inside a head");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t read_size = data[0] == 255 ? size : static_cast<std::size_t>(data[0]) + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome split = parse(bytes, read_size);
  const Outcome whole = parse(bytes, bytes.size() + 1);
  require(split.status == whole.status && split.used == whole.used && split.error == whole.error &&
              split.response == whole.response,
          "the outcome depends on how the bytes were split");
  checkResponse(whole.response);
  return 0;
}
