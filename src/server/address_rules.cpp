// The allow and deny lists: rules from the command line and from files, and the verdict on an
// address.
#include "server/address_rules.hpp"

#include <fstream>
#include <utility>

namespace server {
namespace {

constexpr std::string_view kBlank = " \t\r";
// A rule file of the largest allowed list is well below this; a bigger file is not a rule file.
constexpr std::size_t kMaxRuleFileBytes = kMaxAddressRules * 64;

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kBlank);
  return text.substr(first, last - first + 1);
}

std::string_view fileOption(AddressRules::List list) {
  return list == AddressRules::List::Allow ? "--allowfile" : "--denyfile";
}

}  // namespace

bool AddressRules::add(List list, CidrRule rule, std::string source, std::string& why) {
  if (allow_.size() + deny_.size() >= kMaxAddressRules) {
    why = "more than " + std::to_string(kMaxAddressRules) +
          " --allow and --deny rules (a firewall handles longer lists better)";
    return false;
  }
  rules(list).push_back(SourcedRule{rule, std::move(source)});
  return true;
}

bool AddressRules::addFile(List list, const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::string(fileOption(list)) + " " + path + ": cannot open it for reading";
    return false;
  }
  std::string text;
  char chunk[4096];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRuleFileBytes) {
      why = std::string(fileOption(list)) + " " + path + ": larger than " +
            std::to_string(kMaxRuleFileBytes) + " bytes, too large for a rule file";
      return false;
    }
  }
  if (in.bad()) {
    why = std::string(fileOption(list)) + " " + path + ": cannot read it";
    return false;
  }
  return addText(list, text, path, why);
}

bool AddressRules::addText(List list, std::string_view text, const std::string& path,
                           std::string& why) {
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const std::string where =
        std::string(fileOption(list)) + " " + path + " line " + std::to_string(number);
    if (line.size() > kMaxRuleLineBytes) {
      why = where + ": longer than " + std::to_string(kMaxRuleLineBytes) + " bytes";
      return false;
    }
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::string problem;
    const auto rule = parseCidrRule(line, problem);
    if (!rule) {
      why = where + ": " + problem;
      return false;
    }
    if (!add(list, *rule, where + ": " + std::string(line), problem)) {
      why = where + ": " + problem;
      return false;
    }
  }
  return true;
}

AccessVerdict AddressRules::judge(const IpAddress& address) const {
  for (const SourcedRule& deny : deny_) {
    if (matches(deny.rule, address)) return {false, "address not allowed (" + deny.source + ")"};
  }
  if (allow_.empty()) return {};
  for (const SourcedRule& allow : allow_) {
    if (matches(allow.rule, address)) return {};
  }
  return {false, "address not allowed (no --allow rule matches)"};
}

}  // namespace server
