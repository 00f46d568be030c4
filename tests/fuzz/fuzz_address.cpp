// libFuzzer target: address literals and --allow/--deny rules through their parsers.
//
// The input is the text of one rule (or address). Checks that a parsed address formats to text
// that parses to the same address, that formatted text is canonical (formatting it again
// gives the same text), that a parsed rule keeps its prefix within the family's bits, matches
// its own address and, formatted, parses to a rule that matches the same way; and that a
// refusal always says why, in one line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/invariant.hpp"
#include "server/ip_address.hpp"

namespace {

using fuzz::require;

void checkAddress(std::string_view text) {
  const auto address = server::parseIpAddress(text);
  if (!address) return;
  require(text.size() <= server::kMaxAddressText, "an address longer than any address");
  const std::string formatted = server::formatIpAddress(*address);
  const auto again = server::parseIpAddress(formatted);
  require(again.has_value(), "a formatted address does not parse");
  require(*again == *address && again->v4 == address->v4, "format and parse disagree");
  require(server::formatIpAddress(*again) == formatted, "formatted text is not canonical");
  const auto peer = server::peerIpAddress(server::formatPeer(*address, 65535));
  require(peer.has_value() && *peer == *address, "a peer's text gives another address");
}

void checkRule(std::string_view text) {
  std::string why;
  const auto rule = server::parseCidrRule(text, why);
  if (!rule) {
    require(!why.empty(), "a refused rule without a reason");
    require(why.find('\n') == std::string::npos, "a reason of more than one line");
    return;
  }
  require(rule->bits >= 0 && rule->bits <= (rule->address.v4 ? 32 : 128),
          "a prefix beyond the family's bits");
  require(server::matches(*rule, rule->address), "a rule does not match its own address");
  const std::string formatted = server::formatCidrRule(*rule);
  std::string again_why;
  const auto again = server::parseCidrRule(formatted, again_why);
  require(again.has_value(), "a formatted rule does not parse");
  require(again->bits == rule->bits && again->address.v4 == rule->address.v4 &&
              again->address == rule->address,
          "format and parse of a rule disagree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkAddress(text);
  checkRule(text);
  return 0;
}
