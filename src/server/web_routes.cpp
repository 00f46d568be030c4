// The web port's answers. Every error is a short text body and "Connection: close": the server
// keeps no HTTP connection open, so nothing of HTTP outlives one request.
#include "server/web_routes.hpp"

#include <optional>

#include "chat/text.hpp"
#include "server/base64.hpp"
#include "server/page_policy.hpp"
#include "server/sha1.hpp"
#include "web/page.hpp"

namespace server {
namespace {

// RFC 6455 §1.3: appended to the client's key before hashing.
constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::string_view kWebSocketVersion = "13";
// A key is 16 random bytes, base64-encoded (RFC 6455 §4.1).
constexpr std::size_t kWebSocketKeyBytes = 16;
constexpr int kDefaultHttpPort = 80;
constexpr int kDefaultHttpsPort = 443;
constexpr int kMaxPort = 65535;

struct Status {
  int code;
  std::string_view reason;
  std::string_view body;
};

constexpr Status kStatuses[] = {
    {400, "Bad Request", "Bad request.\n"},
    {403, "Forbidden", "This chat accepts connections only from its own page.\n"},
    {404, "Not Found", "Not found.\n"},
    {405, "Method Not Allowed", "Only GET is served here.\n"},
    {308, "Permanent Redirect", "The chat's web page is elsewhere.\n"},
    {408, "Request Timeout", "The request took too long.\n"},
    {426, "Upgrade Required", "This needs WebSocket version 13.\n"},
    {431, "Request Header Fields Too Large", "The request's header is too large.\n"},
};

// `body`, when given, replaces the status's own short text.
std::string statusResponse(int code, std::string_view extra_headers, std::string_view body = {}) {
  Status status{500, "Internal Server Error", "Internal error.\n"};
  for (const Status& known : kStatuses) {
    if (known.code == code) status = known;
  }
  if (body.empty()) body = status.body;
  return "HTTP/1.1 " + std::to_string(status.code) + " " + std::string(status.reason) +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) +
         "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

WebAnswer closeWith(int code, std::string_view extra_headers = {}) {
  return WebAnswer{WebAnswer::Kind::Close, code, statusResponse(code, extra_headers)};
}

std::string pageResponse() {
  const std::string_view page = web::page();
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
         std::to_string(page.size()) + "\r\nContent-Security-Policy: " + pagePolicy(page) +
         "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\n"
         "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n" +
         std::string(page);
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool listsToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (chat::text::asciiLower(item) == token) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

struct Authority {
  std::string host;  // lower case, IPv6 without brackets
  int port = -1;     // -1: none given
};

// "host", "host:port", "[v6]", "[v6]:port".
std::optional<Authority> parseAuthority(std::string_view text) {
  Authority authority;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    authority.host = chat::text::asciiLower(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const std::size_t colon = text.find(':');
    authority.host = chat::text::asciiLower(text.substr(0, colon));
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
    if (colon != std::string_view::npos && port.empty()) return std::nullopt;
  }
  if (authority.host.empty() || authority.host.find_first_of("/@?# ") != std::string::npos) {
    return std::nullopt;
  }
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    authority.port = std::stoi(std::string(port));
    if (authority.port > kMaxPort) return std::nullopt;
  }
  return authority;
}

// Host names and address literals only: what goes into a Location or a reply is never anything a
// client could use to add a header or markup.
bool isPlainHost(std::string_view host) {
  return !host.empty() &&
         host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-:") == std::string::npos;
}

std::string bracketed(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

bool isWebSocketKey(std::string_view key) {
  const std::optional<std::string> bytes = base64Decode(key);
  return bytes && bytes->size() == kWebSocketKeyBytes;
}

WebAnswer answerUpgrade(const HttpRequest& request, const std::vector<WebOrigin>& origins) {
  if (request.minor_version != 1 || !listsToken(request.upgrade, "websocket") ||
      !listsToken(request.connection, "upgrade") || !isWebSocketKey(request.websocket_key)) {
    return closeWith(400);
  }
  if (request.websocket_version != kWebSocketVersion) {
    return closeWith(426, "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n");
  }
  // Browsers always send Origin; without it the peer is a program, which could say anything.
  if (request.has_origin && !sameOrigin(request.origin, request.host) &&
      !originListed(request.origin, origins)) {
    return closeWith(403);
  }
  return WebAnswer{WebAnswer::Kind::Upgrade, 101,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                       websocketAccept(request.websocket_key) + "\r\n\r\n"};
}

}  // namespace

WebAnswer answerRequest(const HttpRequest& request, const std::vector<WebOrigin>& origins) {
  if (request.path != kPagePath && request.path != kChatPath) return closeWith(404);
  if (request.method != "GET") return closeWith(405, "Allow: GET\r\n");
  if (request.has_body) return closeWith(400);
  if (request.path == kChatPath) return answerUpgrade(request, origins);
  // Built once: the page and its policy never change while the server runs.
  static const std::string page = pageResponse();
  return WebAnswer{WebAnswer::Kind::Close, 200, page};
}

std::string errorResponse(int status) { return statusResponse(status, {}); }

std::string websocketAccept(std::string_view key) {
  const Sha1Digest digest = sha1(std::string(key) + std::string(kWebSocketGuid));
  return base64Encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string chatPortAnswer(const HttpRequest* request, std::uint16_t web_port) {
  std::optional<Authority> host;
  if (request != nullptr && request->has_host) host = parseAuthority(request->host);
  if (host && !isPlainHost(host->host)) host.reset();
  if (host && web_port != 0) {
    return statusResponse(308, "Location: http://" + bracketed(host->host) + ":" +
                                   std::to_string(web_port) + "/\r\n");
  }
  const std::string where =
      host ? host->host + " " + std::to_string(host->port < 0 ? kDefaultHttpPort : host->port)
           : std::string("HOST PORT");
  return statusResponse(
      400, {},
      "This is a chat for nc and telnet, not a web page. Join it with: nc " + where + "\n");
}

bool sameOrigin(std::string_view origin, std::string_view host) {
  int default_port = 0;
  std::string_view rest;
  const std::string scheme = chat::text::asciiLower(origin.substr(0, origin.find("://")));
  if (origin.find("://") == std::string_view::npos) return false;
  rest = origin.substr(origin.find("://") + 3);
  if (scheme == "http") {
    default_port = kDefaultHttpPort;
  } else if (scheme == "https") {
    default_port = kDefaultHttpsPort;  // behind a TLS proxy that passes Host on
  } else {
    return false;
  }
  const std::optional<Authority> from = parseAuthority(rest);
  const std::optional<Authority> to = parseAuthority(host);
  if (!from || !to) return false;
  const int from_port = from->port < 0 ? default_port : from->port;
  const int to_port = to->port < 0 ? default_port : to->port;
  return from->host == to->host && from_port == to_port;
}

}  // namespace server
