// The measured choice between pausing before select() and not.
#include "server/gather_policy.hpp"

namespace server {

bool GatherPolicy::afterTurn(std::int64_t now_ms, std::size_t bytes_read, int senders) {
  if (!started_ || now_ms - cycle_start_ms_ >= settings_.cycle_ms) {
    started_ = true;
    decided_ = false;
    cycle_start_ms_ = now_ms;
    bytes_without_ = 0;
    bytes_with_ = 0;
  }
  const std::int64_t elapsed = now_ms - cycle_start_ms_;
  const bool busy = senders >= settings_.min_senders;
  if (elapsed < settings_.probe_ms) {
    bytes_without_ += bytes_read;
    return false;
  }
  if (elapsed < 2 * settings_.probe_ms) {
    bytes_with_ += bytes_read;
    return busy;
  }
  if (!decided_) {
    decided_ = true;
    // Both stretches last probe_ms, so their bytes compare as rates. With no input at all the
    // verdict is "pause", which changes nothing: a quiet turn never pauses.
    pausing_ = bytes_with_ * 100 >= bytes_without_ * settings_.keep_percent;
  }
  return pausing_ && busy;
}

}  // namespace server
