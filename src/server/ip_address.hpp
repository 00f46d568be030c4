// IP address literals and address/prefix rules (SPEC §8, §9): pure, bounded parsers and the match
// that --allow, --deny and --trusted-proxy use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace server {

// The longest address literal there is: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".
// Longer text is refused before it is looked at.
inline constexpr std::size_t kMaxAddressText = 45;

// An IPv4 address is kept as its IPv4-mapped IPv6 form ::ffff:a.b.c.d, so that one comparison
// covers both families; `v4` says the bytes are such a mapped address.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};

bool operator==(const IpAddress& a, const IpAddress& b);
inline bool operator!=(const IpAddress& a, const IpAddress& b) { return !(a == b); }

// "1.2.3.4" (exactly four decimal parts 0-255, no leading zeros: "01.2.3.4" could be octal to
// other programs), or IPv6 text with at most one "::" and an optional dotted IPv4 tail.
// "::ffff:1.2.3.4" (and every other spelling of a mapped address) comes back as IPv4. A zone
// ("fe80::1%eth0") is refused: it names a link of one machine, which a rule or a peer never
// carries. Nothing else is accepted: no brackets, no spaces, no port.
std::optional<IpAddress> parseIpAddress(std::string_view text);
// Only the dotted quad, for where IPv6 text is not allowed (PROXY TCP4).
std::optional<IpAddress> parseIpv4Address(std::string_view text);
// "1.2.3.4" for IPv4 (mapped ones too), RFC 5952 text for IPv6 ("2001:db8::1").
std::string formatIpAddress(const IpAddress& address);

// An address and how many of its leading bits a rule compares: 0-32 for an IPv4 rule (written
// as IPv4, or as a mapped IPv6 address with a prefix of 96 or more), 0-128 for an IPv6 one.
struct CidrRule {
  IpAddress address;
  int bits = 0;
};

// "ADDR" (every bit counts) or "ADDR/BITS" (BITS decimal, no sign, no leading zeros). Bits
// beyond the prefix may be set ("10.1.2.3/8" is 10.0.0.0/8), as ncat takes them. On failure
// returns nullopt and sets `why` to one line naming the problem.
std::optional<CidrRule> parseCidrRule(std::string_view text, std::string& why);
// "10.0.0.0/8", "2001:db8::/32"; a single address without "/BITS".
std::string formatCidrRule(const CidrRule& rule);
// Whether `address` lies in the rule's prefix. An IPv4 address, mapped or not, matches IPv4
// rules and the IPv6 rules that cover ::ffff:0:0/96.
bool matches(const CidrRule& rule, const IpAddress& address);

// The address in a peer as the server names it: "1.2.3.4:5678", "[::1]:5678", with or without
// its port, after a word naming the way in ("web 1.2.3.4:5678").
std::optional<IpAddress> peerIpAddress(std::string_view peer);
// The other way: "1.2.3.4:5678" or "[2001:db8::1]:5678", as the server names a peer.
std::string formatPeer(const IpAddress& address, std::uint16_t port);

}  // namespace server
