// The token bucket behind --rate and --burst, run on the clock the chat is given.
#include "chat/flood_gate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chat {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1000 * 1000;
constexpr std::int64_t kMicrosPerMs = 1000;
// Longest wait for one token that the arithmetic is asked to carry: about 30 years, far beyond any
// sensible --rate, and small enough that no sum of such spans and a monotonic clock overflows.
constexpr std::int64_t kMaxIntervalUs = std::int64_t{1} << 50;
// Longest head start a burst may take, for the same reason.
constexpr std::int64_t kMaxToleranceUs = std::int64_t{1} << 60;

std::int64_t intervalFor(double rate) {
  if (!(rate > 0)) return 0;  // also NaN
  const double interval = std::ceil(static_cast<double>(kMicrosPerSecond) / rate);
  if (!(interval < static_cast<double>(kMaxIntervalUs))) return kMaxIntervalUs;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(interval));
}

}  // namespace

FloodGate::FloodGate(double rate, std::size_t burst) : interval_us_(intervalFor(rate)) {
  const std::uint64_t extra = burst > 1 ? burst - 1 : 0;
  if (interval_us_ > 0) {
    const std::uint64_t most = static_cast<std::uint64_t>(kMaxToleranceUs / interval_us_);
    tolerance_us_ = static_cast<std::int64_t>(std::min(extra, most)) * interval_us_;
  }
  empty_at_us_ = std::numeric_limits<std::int64_t>::min() / 2;
}

bool FloodGate::allows(std::int64_t now_ms) const {
  return !enabled() || now_ms * kMicrosPerMs >= empty_at_us_ - tolerance_us_;
}

// The clock counts whole milliseconds, so a line taken in the millisecond its token came is
// counted from the token's own moment; otherwise every line of a client held at a fractional rate
// would start its wait up to a millisecond late, and the rate would drift below what was set.
void FloodGate::take(std::int64_t now_ms) {
  if (!enabled()) return;
  const std::int64_t now_us = now_ms * kMicrosPerMs;
  const bool counting = empty_at_us_ > now_us - kMicrosPerMs;  // not idle a whole ms
  empty_at_us_ = (counting ? empty_at_us_ : now_us) + interval_us_;
}

std::int64_t FloodGate::nextAllowedMs() const {
  if (!enabled()) return std::numeric_limits<std::int64_t>::min();
  const std::int64_t due_us = empty_at_us_ - tolerance_us_;
  // Rounded up: at the millisecond named, the token is there.
  return due_us >= 0 ? (due_us + kMicrosPerMs - 1) / kMicrosPerMs : due_us / kMicrosPerMs;
}

}  // namespace chat
