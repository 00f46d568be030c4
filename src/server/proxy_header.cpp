// The header is gathered byte by byte up to its CRLF (within 107 bytes), refusing at once what
// cannot become one, then its fields are checked exactly: single spaces, the address family of
// the protocol word, ports without leading zeros.
#include "server/proxy_header.hpp"

#include <optional>
#include <utility>

namespace server {
namespace {

constexpr std::string_view kSignature = "PROXY ";
constexpr std::string_view kUnknown = "UNKNOWN";
constexpr std::size_t kTcpFields = 6;  // PROXY, the protocol, two addresses, two ports
constexpr std::size_t kMaxPortDigits = 5;
constexpr unsigned kMaxPort = 65535;

bool parsePort(std::string_view text, std::uint16_t& port) {
  if (text.empty() || text.size() > kMaxPortDigits) return false;
  if (text.size() > 1 && text.front() == '0') return false;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > kMaxPort) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// Splits at single spaces into at most `room` fields; false for an empty field (two spaces,
// or a space at either end) or too many fields.
bool splitFields(std::string_view line, std::string_view* fields, std::size_t room,
                 std::size_t& count) {
  count = 0;
  while (true) {
    const std::size_t space = line.find(' ');
    const std::string_view field = line.substr(0, space);
    if (field.empty() || count >= room) return false;
    fields[count++] = field;
    if (space == std::string_view::npos) return true;
    line.remove_prefix(space + 1);
  }
}

}  // namespace

ProxyHeaderParser::Status ProxyHeaderParser::feed(std::string_view bytes, std::size_t& used) {
  used = 0;
  while (status_ == Status::NeedMore && used < bytes.size()) {
    ++used;
    ++length_;
    status_ = take(bytes[used - 1]);
  }
  return status_;
}

ProxyHeaderParser::Status ProxyHeaderParser::take(char c) {
  const std::size_t at = line_.size();
  if (at < kSignature.size() && c != kSignature[at]) return fail("not a PROXY header");
  if (!line_.empty() && line_.back() == '\r' && c != '\n') {
    return fail("malformed PROXY header (CR without LF)");
  }
  if (c == '\n') {
    if (line_.empty() || line_.back() != '\r') {
      return fail("malformed PROXY header (LF without CR)");
    }
    line_.pop_back();
    return parseLine(line_);
  }
  line_ += c;
  if (line_.size() >= kMaxProxyHeaderBytes) {
    return fail("PROXY header longer than " + std::to_string(kMaxProxyHeaderBytes) + " bytes");
  }
  return Status::NeedMore;
}

ProxyHeaderParser::Status ProxyHeaderParser::fail(std::string problem) {
  problem_ = std::move(problem);
  line_.clear();
  return Status::Bad;
}

ProxyHeaderParser::Status ProxyHeaderParser::parseLine(std::string_view line) {
  const std::string_view rest = line.substr(kSignature.size());
  // UNKNOWN may carry anything after it; the receiver ignores it (proxy-protocol.txt §2.1).
  if (rest == kUnknown || rest.substr(0, kUnknown.size() + 1) == std::string(kUnknown) + " ") {
    line_.clear();
    return Status::Done;
  }
  std::string_view fields[kTcpFields];
  std::size_t count = 0;
  if (!splitFields(line, fields, kTcpFields, count) || count != kTcpFields) {
    return fail("malformed PROXY header");
  }
  const bool v4 = fields[1] == "TCP4";
  if (!v4 && fields[1] != "TCP6") return fail("malformed PROXY header (unknown protocol)");
  std::optional<IpAddress> source;
  std::optional<IpAddress> destination;
  if (v4) {
    source = parseIpv4Address(fields[2]);
    destination = parseIpv4Address(fields[3]);
  } else if (fields[2].find(':') != std::string_view::npos &&
             fields[3].find(':') != std::string_view::npos) {
    source = parseIpAddress(fields[2]);
    destination = parseIpAddress(fields[3]);
  }
  std::uint16_t destination_port = 0;
  if (!source || !destination) return fail("malformed PROXY header (bad address)");
  if (!parsePort(fields[4], source_port_) || !parsePort(fields[5], destination_port)) {
    return fail("malformed PROXY header (bad port)");
  }
  source_ = *source;
  has_source_ = true;
  line_.clear();
  return Status::Done;
}

}  // namespace server
