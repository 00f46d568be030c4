// Address literals are read part by part with fixed bounds (four decimal parts, eight hex
// groups), so no input can make the parsers loop or allocate beyond a few bytes.
#include "server/ip_address.hpp"

#include <algorithm>

namespace server {
namespace {

constexpr std::size_t kIpv4Parts = 4;
constexpr std::size_t kIpv6Groups = 8;
constexpr std::size_t kMaxHexDigits = 4;
constexpr std::size_t kMaxDecimalDigits = 3;
constexpr int kIpv4Bits = 32;
constexpr int kIpv6Bits = 128;
// Where the IPv4 address sits in its mapped form, ::ffff:a.b.c.d.
constexpr std::size_t kMappedOffset = 12;
constexpr int kMappedPrefixBits = 96;
// How much of a bad prefix length a message repeats: enough to recognise it.
constexpr std::size_t kMaxQuotedBits = 8;
constexpr std::array<std::uint8_t, kMappedOffset> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                                   0, 0, 0, 0, 0xff, 0xff};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isMapped(const std::array<std::uint8_t, 16>& bytes) {
  return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

IpAddress fromBytes(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress address;
  address.bytes = bytes;
  address.v4 = isMapped(bytes);
  return address;
}

// A decimal number without sign or leading zeros ("0" itself is fine), at most `max_digits`.
std::optional<unsigned> parseDecimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  if (text.size() > 1 && text.front() == '0') return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (!isDigit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// Four decimal parts into `out[0..3]`.
bool parseDottedQuad(std::string_view text, std::uint8_t* out) {
  for (std::size_t part = 0; part < kIpv4Parts; ++part) {
    const std::size_t dot = text.find('.');
    const bool last = part + 1 == kIpv4Parts;
    if (last != (dot == std::string_view::npos)) return false;
    const auto value = parseDecimal(text.substr(0, dot), kMaxDecimalDigits);
    if (!value || *value > 255) return false;
    out[part] = static_cast<std::uint8_t>(*value);
    if (!last) text.remove_prefix(dot + 1);
  }
  return true;
}

// Colon-separated groups into `groups`; the last may be a dotted quad, counting as two, when
// `dotted_tail` (only at the very end of an address). Returns how many groups, or nullopt;
// `text` empty: none.
std::optional<std::size_t> parseGroups(std::string_view text, std::uint16_t* groups,
                                       std::size_t room, bool dotted_tail) {
  std::size_t count = 0;
  while (!text.empty()) {
    const std::size_t colon = text.find(':');
    const std::string_view group = text.substr(0, colon);
    if (dotted_tail && colon == std::string_view::npos &&
        group.find('.') != std::string_view::npos) {
      std::uint8_t quad[kIpv4Parts];
      if (count + 2 > room || !parseDottedQuad(group, quad)) return std::nullopt;
      groups[count++] = static_cast<std::uint16_t>(quad[0] << 8 | quad[1]);
      groups[count++] = static_cast<std::uint16_t>(quad[2] << 8 | quad[3]);
      return count;
    }
    if (group.empty() || group.size() > kMaxHexDigits || count >= room) return std::nullopt;
    unsigned value = 0;
    for (const char c : group) {
      const int digit = hexValue(c);
      if (digit < 0) return std::nullopt;
      value = value << 4 | static_cast<unsigned>(digit);
    }
    groups[count++] = static_cast<std::uint16_t>(value);
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
    if (text.empty()) return std::nullopt;  // a trailing single ':'
  }
  return count;
}

std::optional<IpAddress> parseIpv6(std::string_view text) {
  std::uint16_t head[kIpv6Groups] = {};
  std::uint16_t tail[kIpv6Groups] = {};
  std::size_t head_count = 0;
  std::size_t tail_count = 0;
  const std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    const auto count = parseGroups(text, head, kIpv6Groups, true);
    if (!count || *count != kIpv6Groups) return std::nullopt;
    head_count = *count;
  } else {
    const std::string_view after = text.substr(gap + 2);
    if (after.find("::") != std::string_view::npos) return std::nullopt;
    // "::" stands for at least one group of zeros.
    const auto before_count = parseGroups(text.substr(0, gap), head, kIpv6Groups - 1, false);
    if (!before_count) return std::nullopt;
    const auto after_count = parseGroups(after, tail, kIpv6Groups - 1 - *before_count, true);
    if (!after_count) return std::nullopt;
    head_count = *before_count;
    tail_count = *after_count;
  }
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < head_count; ++i) {
    bytes[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    bytes[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
  }
  const std::size_t tail_start = kIpv6Groups - tail_count;
  for (std::size_t i = 0; i < tail_count; ++i) {
    bytes[2 * (tail_start + i)] = static_cast<std::uint8_t>(tail[i] >> 8);
    bytes[2 * (tail_start + i) + 1] = static_cast<std::uint8_t>(tail[i] & 0xff);
  }
  return fromBytes(bytes);
}

// `text` between quotes for a one-line message: bounded, control characters escaped.
std::string quoted(std::string_view text, std::size_t most) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (const char c : text.substr(0, most)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + (text.size() > most ? "...'" : "'");
}

// Compares the first `bits` bits of `a` and `b`.
bool samePrefix(const std::uint8_t* a, const std::uint8_t* b, int bits) {
  const auto whole = static_cast<std::size_t>(bits / 8);
  if (!std::equal(a, a + whole, b)) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

std::string formatIpv6(const std::array<std::uint8_t, 16>& bytes) {
  std::uint16_t groups[kIpv6Groups];
  for (std::size_t i = 0; i < kIpv6Groups; ++i) {
    groups[i] = static_cast<std::uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  }
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::", the first on a tie.
  std::size_t best_start = kIpv6Groups;
  std::size_t best_length = 1;
  for (std::size_t i = 0; i < kIpv6Groups;) {
    std::size_t j = i;
    while (j < kIpv6Groups && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < kIpv6Groups; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int digit = groups[i] >> shift & 0xf;
      if (digit == 0 && !started && shift > 0) continue;
      started = true;
      text += kHex[digit];
    }
  }
  return text;
}

}  // namespace

bool operator==(const IpAddress& a, const IpAddress& b) { return a.bytes == b.bytes; }

std::optional<IpAddress> parseIpv4Address(std::string_view text) {
  if (text.size() > kMaxAddressText) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
  if (!parseDottedQuad(text, bytes.data() + kMappedOffset)) return std::nullopt;
  return fromBytes(bytes);
}

std::optional<IpAddress> parseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddressText) return std::nullopt;
  if (text.find(':') == std::string_view::npos) return parseIpv4Address(text);
  return parseIpv6(text);
}

std::string formatIpAddress(const IpAddress& address) {
  if (!address.v4) return formatIpv6(address.bytes);
  std::string text;
  for (std::size_t i = kMappedOffset; i < address.bytes.size(); ++i) {
    if (i > kMappedOffset) text += '.';
    text += std::to_string(address.bytes[i]);
  }
  return text;
}

std::optional<CidrRule> parseCidrRule(std::string_view text, std::string& why) {
  const std::size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  const auto address = parseIpAddress(address_text);
  if (!address) {
    why = quoted(address_text, kMaxAddressText + 1) + " is not an IPv4 or IPv6 address";
    return std::nullopt;
  }
  const bool written_as_v6 = address_text.find(':') != std::string_view::npos;
  const int most = written_as_v6 ? kIpv6Bits : kIpv4Bits;
  CidrRule rule{*address, most};
  if (slash != std::string_view::npos) {
    const std::string_view bits_text = text.substr(slash + 1);
    const auto bits = parseDecimal(bits_text, kMaxDecimalDigits);
    if (!bits || *bits > static_cast<unsigned>(most)) {
      why = "the prefix length after '/' must be a whole number from 0 to " + std::to_string(most) +
            ", not " + quoted(bits_text, kMaxQuotedBits);
      return std::nullopt;
    }
    rule.bits = static_cast<int>(*bits);
  }
  if (written_as_v6 && rule.address.v4) {
    // A mapped address with a prefix inside the mapped range is an IPv4 rule; a shorter
    // prefix reaches beyond IPv4, so the rule stays IPv6.
    if (rule.bits >= kMappedPrefixBits) {
      rule.bits -= kMappedPrefixBits;
    } else {
      rule.address.v4 = false;
    }
  }
  return rule;
}

std::string formatCidrRule(const CidrRule& rule) {
  std::string text = formatIpAddress(rule.address);
  const int most = rule.address.v4 ? kIpv4Bits : kIpv6Bits;
  if (rule.bits != most) text += "/" + std::to_string(rule.bits);
  return text;
}

bool matches(const CidrRule& rule, const IpAddress& address) {
  if (rule.address.v4) {
    return address.v4 && samePrefix(rule.address.bytes.data() + kMappedOffset,
                                    address.bytes.data() + kMappedOffset, rule.bits);
  }
  return samePrefix(rule.address.bytes.data(), address.bytes.data(), rule.bits);
}

std::optional<IpAddress> peerIpAddress(std::string_view peer) {
  if (const std::size_t space = peer.rfind(' '); space != std::string_view::npos) {
    peer.remove_prefix(space + 1);
  }
  if (!peer.empty() && peer.front() == '[') {
    const std::size_t close = peer.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = peer.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parseDecimal(rest.substr(1), 5))) {
      return std::nullopt;
    }
    return parseIpAddress(peer.substr(1, close - 1));
  }
  const std::size_t colon = peer.find(':');
  if (colon != std::string_view::npos && peer.rfind(':') == colon) {
    if (!parseDecimal(peer.substr(colon + 1), 5)) return std::nullopt;
    return parseIpv4Address(peer.substr(0, colon));
  }
  return parseIpAddress(peer);
}

std::string formatPeer(const IpAddress& address, std::uint16_t port) {
  const std::string text = formatIpAddress(address);
  return (address.v4 ? text : "[" + text + "]") + ":" + std::to_string(port);
}

}  // namespace server
