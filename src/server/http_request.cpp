// The request head is gathered up to its blank line (within the bound), then read line by line
// with the strict grammar of RFC 9112: anything it does not allow is a 400.
#include "server/http_request.hpp"

#include "chat/text.hpp"

namespace server {
namespace {

constexpr int kBadRequest = 400;
constexpr int kHeadTooLarge = 431;

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

// Field values: visible characters, spaces and tabs, and obs-text; no other controls.
bool isFieldValue(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) return false;
  }
  return true;
}

// The request target: visible ASCII only (RFC 3986 characters; no spaces, no controls).
bool isTarget(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
  }
  return true;
}

std::string_view trimWhitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "http://host:port/path?q" (absolute form) or "/path?q" (origin form) -> "/path".
bool pathOf(std::string_view target, std::string& path) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (chat::text::asciiLower(target.substr(0, scheme.size())) != scheme) continue;
    const std::size_t slash = target.find('/', scheme.size());
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    break;
  }
  if (target.front() != '/') return false;
  path = std::string(target.substr(0, target.find('?')));
  return true;
}

void appendListField(std::string& field, std::string_view value) {
  if (!field.empty()) field += ',';
  field += value;
}

}  // namespace

HttpRequestParser::Status HttpRequestParser::feed(std::string_view bytes, std::size_t& used) {
  used = 0;
  while (status_ == Status::NeedMore && used < bytes.size()) {
    // The byte that would pass the bound is refused, not taken: what the parser took is what it
    // holds or skipped, never more than the bound.
    if (head_.size() + skipped_ >= kMaxRequestHeadBytes) return fail(kHeadTooLarge);
    const char c = bytes[used++];
    if (head_.empty() && (c == '\r' || c == '\n')) {
      ++skipped_;
      continue;
    }
    head_ += c;
    // The head ends at an empty line; a bare LF ends a line too (RFC 9112 §2.2).
    const std::size_t n = head_.size();
    if (c == '\n' && ((n >= 2 && head_[n - 2] == '\n') ||
                      (n >= 3 && head_[n - 2] == '\r' && head_[n - 3] == '\n'))) {
      return status_ = parseHead();
    }
  }
  return status_;
}

HttpRequestParser::Status HttpRequestParser::fail(int status) {
  error_status_ = status;
  head_.clear();
  return status_ = Status::Bad;
}

HttpRequestParser::Status HttpRequestParser::parseHead() {
  std::string_view rest = head_;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) return fail(kBadRequest);  // a bare CR
    if (line.empty()) break;
    if (!(first ? parseRequestLine(line) : parseField(line))) return fail(kBadRequest);
    first = false;
  }
  if (request_.minor_version == 1 && !request_.has_host) return fail(kBadRequest);
  head_.clear();
  head_.shrink_to_fit();
  return Status::Done;
}

bool HttpRequestParser::parseRequestLine(std::string_view line) {
  const std::size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return false;
  const std::size_t second_space = line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return false;
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = line.substr(second_space + 1);
  if (!isToken(method) || !isTarget(target)) return false;
  if (version == "HTTP/1.1") {
    request_.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    request_.minor_version = 0;
  } else {
    return false;
  }
  request_.method = std::string(method);
  return pathOf(target, request_.path);
}

bool HttpRequestParser::parseField(std::string_view line) {
  // A line starting with whitespace would continue the previous field (obs-fold): refused,
  // as RFC 9112 §5.2 allows; so is whitespace between the name and the colon (§5.1).
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trimWhitespace(line.substr(colon + 1));
  if (!isToken(name) || !isFieldValue(value)) return false;
  const std::string key = chat::text::asciiLower(name);
  HttpRequest& r = request_;
  if (key == "host") {
    if (r.has_host) return false;  // more than one Host is a 400 (RFC 9112 §3.2)
    r.has_host = true;
    r.host = std::string(value);
  } else if (key == "origin") {
    if (r.has_origin) return false;
    r.has_origin = true;
    r.origin = std::string(value);
  } else if (key == "upgrade") {
    appendListField(r.upgrade, value);
  } else if (key == "connection") {
    appendListField(r.connection, value);
  } else if (key == "sec-websocket-key") {
    if (!r.websocket_key.empty()) return false;
    r.websocket_key = std::string(value);
  } else if (key == "sec-websocket-version") {
    if (r.has_websocket_version) return false;
    r.has_websocket_version = true;
    r.websocket_version = std::string(value);
  } else if (key == "content-length") {
    if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    r.has_body = r.has_body || value.find_first_not_of('0') != std::string_view::npos;
  } else if (key == "transfer-encoding") {
    r.has_body = true;
  } else if (key == "x-forwarded-for") {
    // Fields of a list join with "," (RFC 9110 §5.3), so an empty field still leaves a mark.
    if (r.has_forwarded_for) r.forwarded_for += ',';
    r.forwarded_for += value;
    r.has_forwarded_for = true;
  }
  return true;
}

}  // namespace server
