// The per-address count of wrong passwords, with its bounded table.
#include "chat/guess_limit.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "chat/text.hpp"

namespace chat {
namespace {

constexpr std::size_t kIpv6Groups = 8;
constexpr std::size_t kPrefixGroups = 4;  // a /64
// A full table forgets this fraction of itself at once.
constexpr std::size_t kEvictionBatchDivisor = 8;

std::vector<std::string> splitGroups(std::string_view text) {
  std::vector<std::string> groups;
  while (!text.empty()) {
    const std::size_t colon = text.find(':');
    groups.emplace_back(text.substr(0, colon));
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  return groups;
}

// A group without its leading zeros, so that "0db8" and "db8" count as one.
std::string trimGroup(std::string group) {
  const std::size_t first = group.find_first_not_of('0');
  return first == std::string::npos ? "0" : group.substr(first);
}

}  // namespace

std::string GuessLimit::keyOf(std::string_view address) {
  const std::string lower = text::asciiLower(address);
  if (lower.find(':') == std::string::npos) return lower;
  // The first four groups of the full form: those before "::" as written, zeros for what "::"
  // stands for. An IPv4 tail is in the last 32 bits, never in the /64.
  const std::size_t gap = lower.find("::");
  std::vector<std::string> head = splitGroups(std::string_view(lower).substr(0, gap));
  if (gap != std::string::npos) {
    while (head.size() < kIpv6Groups) head.emplace_back("0");
  }
  head.resize(std::max(head.size(), kPrefixGroups), "0");
  std::string key;
  for (std::size_t i = 0; i < kPrefixGroups; ++i) key += trimGroup(head[i]) + ":";
  return key + ":/64";
}

bool GuessLimit::lockedOut(const std::string& key, std::int64_t now_ms) const {
  const auto it = records_.find(key);
  return it != records_.end() && now_ms < it->second.locked_until;
}

bool GuessLimit::wrong(const std::string& key, std::int64_t now_ms) {
  if (records_.count(key) == 0 && records_.size() >= kMaxAddresses) makeRoom(now_ms);
  Record& record = records_[key];
  record.last = now_ms;
  // Only the wrong passwords of the last ten minutes count.
  const auto stale = std::remove_if(record.recent.begin(), record.recent.begin() + record.count,
                                    [&](std::int64_t at) { return now_ms - at >= kWindowMs; });
  record.count = static_cast<std::size_t>(stale - record.recent.begin());
  record.recent[record.count++] = now_ms;
  if (record.count < kMaxWrong) return false;
  record.count = 0;
  record.locked_until = now_ms + kLockoutMs;
  return true;
}

// Forgets every address that no longer matters; when all still do, the eighth of the table whose
// last wrong password is the oldest, addresses that are shut out last. A batch, so that a flood of
// new addresses costs one pass over the table per many of them, not one each.
void GuessLimit::makeRoom(std::int64_t now_ms) {
  for (auto it = records_.begin(); it != records_.end();) {
    const bool matters = now_ms < it->second.locked_until || now_ms - it->second.last < kWindowMs;
    it = matters ? std::next(it) : records_.erase(it);
  }
  if (records_.size() < kMaxAddresses) return;
  using Entry = std::pair<std::pair<bool, std::int64_t>, const std::string*>;
  std::vector<Entry> order;
  order.reserve(records_.size());
  for (const auto& [key, record] : records_) {
    const bool locked = now_ms < record.locked_until;
    order.push_back({{locked, locked ? record.locked_until : record.last}, &key});
  }
  const std::size_t batch = kMaxAddresses / kEvictionBatchDivisor;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(batch), order.end());
  std::vector<std::string> doomed;
  for (std::size_t i = 0; i < batch; ++i) doomed.push_back(*order[i].second);
  for (const std::string& key : doomed) records_.erase(key);
}

}  // namespace chat
