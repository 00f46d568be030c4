// Who may connect, by address (SPEC §8): --allow and --deny rules, as ncat has them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/ip_address.hpp"

namespace server {

// Rules are checked one by one for every connection accepted; ten thousand cost microseconds.
// A longer list is a block list feed, which a firewall (ipset, nftables sets) handles better.
inline constexpr std::size_t kMaxAddressRules = 10000;
// A rule is one address and a prefix; a longer line in a rule file is certainly not one.
inline constexpr std::size_t kMaxRuleLineBytes = 256;

// One rule and where it came from, as the log names it: "--deny 203.0.113.0/24" or
// "--denyfile blocked.txt line 3: 203.0.113.0/24".
struct SourcedRule {
  CidrRule rule;
  std::string source;
};

struct AccessVerdict {
  bool allowed = true;
  std::string why;  // when refused: "address not allowed (--deny 203.0.113.0/24)"
};

class AddressRules {
 public:
  enum class List { Allow, Deny };

  // Adds a rule; false with `why` set (one line) when the list is full.
  bool add(List list, CidrRule rule, std::string source, std::string& why);
  // Reads a rule file: one rule per line, '#' starts a comment, blank lines and surrounding
  // spaces are fine. False with `why` naming the file and the line of the first problem.
  bool addFile(List list, const std::string& path, std::string& why);
  // The same from text already read; `path` only names it in messages.
  bool addText(List list, std::string_view text, const std::string& path, std::string& why);

  bool empty() const { return allow_.empty() && deny_.empty(); }
  // With any allow rule only matching addresses get in; a denied address never does.
  AccessVerdict judge(const IpAddress& address) const;

 private:
  std::vector<SourcedRule>& rules(List list) { return list == List::Allow ? allow_ : deny_; }

  std::vector<SourcedRule> allow_;
  std::vector<SourcedRule> deny_;
};

}  // namespace server
