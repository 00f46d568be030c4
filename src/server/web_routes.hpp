// What the web port answers to a complete request (SPEC §7): the page, the WebSocket upgrade, or
// a short error after which the connection closes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_request.hpp"
#include "server/web_origin.hpp"

namespace server {

inline constexpr std::string_view kPagePath = "/";
inline constexpr std::string_view kChatPath = "/chat";

struct WebAnswer {
  enum class Kind {
    Close,    // send `response`, then close (the page, or an error)
    Upgrade,  // send `response` (101), then speak WebSocket
  };
  Kind kind = Kind::Close;
  int status = 0;
  std::string response;
};

// `origins`: the --web-origin list, whose pages may open the WebSocket besides the server's own
// (SPEC §9).
WebAnswer answerRequest(const HttpRequest& request, const std::vector<WebOrigin>& origins = {});
// A status with its short text body, for the parser's 400 and 431 and the request timeout's 408.
std::string errorResponse(int status);
// The answer to an HTTP request sent to the chat port (a browser that some web page, or its user,
// pointed there): 308 to the web page on `web_port` when there is one, otherwise 400 with a body
// that says how to join. `request` is null when the head never arrived whole.
std::string chatPortAnswer(const HttpRequest* request, std::uint16_t web_port);
// The Sec-WebSocket-Accept value for a client's key (RFC 6455 §4.2.2).
std::string websocketAccept(std::string_view key);
// Whether `origin` ("http://host:port") names the server the request was sent to (`host`).
bool sameOrigin(std::string_view origin, std::string_view host);

}  // namespace server
