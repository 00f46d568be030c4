// When the server pauses before select(), so that more input gathers into each turn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>

namespace server {

// Under load every turn ends with one send() per client, so the more input a turn gathers, the
// more messages each send carries and the fewer system calls and TCP segments each delivery
// costs. A short pause before the next select() gathers more when clients send as fast as they
// can. When instead each client waits for the server's reply (which carries its ACK) before it
// sends again, as clients with Nagle's algorithm and delayed ACKs do, the pause only slows them
// down and costs a wake-up. Which case holds is measured, not guessed: each cycle starts with a
// stretch without pauses and one with them, and pausing goes on for the rest of the cycle only if
// the load is heavy (light load gains little and would only wait), pausing made each byte of
// input cheaper in CPU time, and it kept most of the input rate.
class GatherPolicy {
 public:
  struct Settings {
    int min_senders = 4;            // a turn that read from fewer clients never leads to a pause
    std::int64_t probe_ms = 50;     // the length of each of the two measured stretches
    std::int64_t cycle_ms = 1000;   // both stretches, then the verdict holds until the next cycle
    std::size_t keep_percent = 50;  // of the input rate without pauses, that pausing must keep
    // Input in the stretch without pauses that counts as heavy load.
    std::size_t heavy_bytes = 64 * 1024;
  };
  // Microseconds of CPU time the process has used; read three times a cycle.
  using CpuClock = std::function<std::int64_t()>;

  explicit GatherPolicy(CpuClock cpu_clock) : GatherPolicy(std::move(cpu_clock), Settings()) {}
  GatherPolicy(CpuClock cpu_clock, const Settings& settings)
      : settings_(settings), cpu_clock_(std::move(cpu_clock)) {}

  // Called after every turn with the monotonic time, the bytes of input that turn read and the
  // number of clients they came from. True when the next select() should come after a pause.
  bool afterTurn(std::int64_t now_ms, std::size_t bytes_read, int senders);

  // The verdict of the last complete measurement (false before the first).
  bool pausing() const { return pausing_; }

 private:
  enum class Stretch { Without, With, Decided };

  Settings settings_;
  CpuClock cpu_clock_;
  bool started_ = false;
  Stretch stretch_ = Stretch::Without;
  bool heavy_ = false;
  bool pausing_ = false;
  std::int64_t cycle_start_ms_ = 0;
  std::int64_t cpu_mark_us_ = 0;
  std::int64_t cpu_without_us_ = 0;
  std::size_t bytes_without_ = 0;
  std::size_t bytes_with_ = 0;
};

}  // namespace server
