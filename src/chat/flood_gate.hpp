// One client's allowance of input lines (docs/PROTOCOL.md §10.1 flood control): a burst, then a
// steady rate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chat {

// A token bucket kept as the moment it would next be empty (the "theoretical arrival time" of
// the generic cell rate algorithm), in integer microseconds rather than a fractional count of
// tokens: fractional rates add up without drift, and the moment nextAllowedMs() names is exactly
// the one at which allows() turns true, so a loop that wakes for it never wakes too early.
class FloodGate {
 public:
  // `rate` lines per second once `burst` lines (at least 1) are used; a rate of 0 or less lets
  // every line through.
  FloodGate(double rate, std::size_t burst);

  bool enabled() const { return interval_us_ > 0; }
  // Whether a line may be handled at `now_ms` (monotonic).
  bool allows(std::int64_t now_ms) const;
  // Spends one line of the allowance; call once for every line handled.
  void take(std::int64_t now_ms);
  // The first moment at which allows() holds: `now_ms` or earlier when it holds already.
  std::int64_t nextAllowedMs() const;

 private:
  std::int64_t interval_us_ = 0;   // time one token takes to come back; 0: no limit
  std::int64_t tolerance_us_ = 0;  // how far ahead of time a burst may run
  std::int64_t empty_at_us_ = 0;   // when the bucket will be empty; in the past: full
};

}  // namespace chat
