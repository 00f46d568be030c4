// The measured choice between pausing before select() and not.
#include "server/gather_policy.hpp"

namespace server {

bool GatherPolicy::afterTurn(std::int64_t now_ms, std::size_t bytes_read, int senders) {
  if (!started_ || now_ms - cycle_start_ms_ >= settings_.cycle_ms) {
    // This turn's input came under the old verdict; the new cycle counts from the next.
    started_ = true;
    stretch_ = Stretch::Without;
    cycle_start_ms_ = now_ms;
    bytes_without_ = 0;
    bytes_with_ = 0;
    cpu_mark_us_ = cpu_clock_();
    return false;
  }
  const std::int64_t elapsed = now_ms - cycle_start_ms_;
  const bool busy = senders >= settings_.min_senders;
  switch (stretch_) {
    case Stretch::Without: {
      bytes_without_ += bytes_read;
      if (elapsed < settings_.probe_ms) return false;
      const std::int64_t cpu = cpu_clock_();
      cpu_without_us_ = cpu - cpu_mark_us_;
      cpu_mark_us_ = cpu;
      heavy_ = bytes_without_ >= settings_.heavy_bytes;
      stretch_ = Stretch::With;
      return busy && heavy_;  // under light load the verdict is known: no pauses to try
    }
    case Stretch::With: {
      bytes_with_ += bytes_read;
      if (elapsed < 2 * settings_.probe_ms) return busy && heavy_;
      const std::int64_t cpu_with_us = cpu_clock_() - cpu_mark_us_;
      // Both stretches last probe_ms, so their bytes compare as rates; CPU per byte compares
      // as cross products.
      const bool kept = bytes_with_ * 100 >= bytes_without_ * settings_.keep_percent;
      const bool cheaper = static_cast<double>(cpu_with_us) * static_cast<double>(bytes_without_) <
                           static_cast<double>(cpu_without_us_) * static_cast<double>(bytes_with_);
      pausing_ = heavy_ && kept && cheaper;
      stretch_ = Stretch::Decided;
      return pausing_ && busy;
    }
    case Stretch::Decided:
      break;
  }
  return pausing_ && busy;
}

}  // namespace server
