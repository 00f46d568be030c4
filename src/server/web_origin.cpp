// Origins are compared as browsers serialize them (RFC 6454 §6.2): a scheme, a host and a port
// that is omitted when it is the scheme's default, so both sides are parsed into one form first.
#include "server/web_origin.hpp"

#include "chat/text.hpp"

namespace server {
namespace {

constexpr std::string_view kSchemeEnd = "://";
constexpr int kDefaultHttpPort = 80;
constexpr int kDefaultHttpsPort = 443;
constexpr int kMaxPort = 65535;
// A port has at most 5 digits; more are a typo even when they are leading zeros.
constexpr std::size_t kMaxPortDigits = 5;
// RFC 1035's limit on a whole host name; longer ones never come from a browser.
constexpr std::size_t kMaxHostLength = 253;

bool isNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool isIpv6Character(char c) {
  return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

// A host name or IPv4 literal: letters, digits, '-' and '.', not starting or ending with '.'.
bool isNameHost(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return false;
  if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : host) {
    if (!isNameCharacter(c)) return false;
  }
  return true;
}

// "[...]" holding hexadecimal digits, colons (at least two) and dots (an embedded IPv4 tail).
bool isBracketedIpv6(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  const std::string_view inside = host.substr(1, host.size() - 2);
  std::size_t colons = 0;
  for (char c : inside) {
    if (!isIpv6Character(c)) return false;
    if (c == ':') ++colons;
  }
  return colons >= 2;
}

std::optional<int> parsePort(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxPortDigits) return std::nullopt;
  int port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > kMaxPort) return std::nullopt;
  return port;
}

}  // namespace

std::optional<WebOrigin> parseWebOrigin(std::string_view text) {
  const std::size_t scheme_end = text.find(kSchemeEnd);
  if (scheme_end == std::string_view::npos) return std::nullopt;
  WebOrigin origin;
  origin.scheme = chat::text::asciiLower(text.substr(0, scheme_end));
  if (origin.scheme == "http") {
    origin.port = kDefaultHttpPort;
  } else if (origin.scheme == "https") {
    origin.port = kDefaultHttpsPort;
  } else {
    return std::nullopt;
  }
  const std::string authority = chat::text::asciiLower(text.substr(scheme_end + kSchemeEnd.size()));
  // The port's colon is the last one after any IPv6 literal's closing bracket.
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.find(':', bracket == std::string::npos ? 0 : bracket);
  origin.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::optional<int> port = parsePort(std::string_view(authority).substr(colon + 1));
    if (!port) return std::nullopt;
    origin.port = *port;
  }
  if (!isNameHost(origin.host) && !isBracketedIpv6(origin.host)) return std::nullopt;
  return origin;
}

bool originListed(std::string_view origin, const std::vector<WebOrigin>& allowed) {
  const std::optional<WebOrigin> parsed = parseWebOrigin(origin);
  if (!parsed) return false;
  for (const WebOrigin& one : allowed) {
    if (one == *parsed) return true;
  }
  return false;
}

}  // namespace server
