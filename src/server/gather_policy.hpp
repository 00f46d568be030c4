// When the server pauses before select(), so that more input gathers into each turn.
#pragma once

#include <cstddef>
#include <cstdint>

namespace server {

// Under load every turn ends with one send() per client, so the more input a turn gathers, the
// more messages each send carries and the fewer system calls and TCP segments each delivery
// costs. A short pause before the next select() gathers more when clients send as fast as they
// can. When instead each client waits for the server's reply (which carries its ACK) before it
// sends again, as clients with Nagle's algorithm and delayed ACKs do, the pause only slows them
// down and costs a wake-up. Which case holds is measured, not guessed: each cycle starts with a
// stretch without pauses and one with them, and pausing goes on for the rest of the cycle only if
// it kept most of the input rate.
class GatherPolicy {
 public:
  struct Settings {
    int min_senders = 4;              // a turn that read from fewer clients never leads to a pause
    std::int64_t probe_ms = 50;       // the length of each of the two measured stretches
    std::int64_t cycle_ms = 1000;     // both stretches, then the verdict holds until the next cycle
    std::size_t keep_percent = 80;    // of the input rate without pauses, that pausing must keep
  };

  GatherPolicy() = default;
  explicit GatherPolicy(const Settings& settings) : settings_(settings) {}

  // Called after every turn with the monotonic time, the bytes of input that turn read and the
  // number of clients they came from. True when the next select() should come after a pause.
  bool afterTurn(std::int64_t now_ms, std::size_t bytes_read, int senders);

  // The verdict of the last complete measurement (true before the first).
  bool pausing() const { return pausing_; }

 private:
  Settings settings_;
  bool started_ = false;
  bool decided_ = false;
  bool pausing_ = true;
  std::int64_t cycle_start_ms_ = 0;
  std::size_t bytes_without_ = 0;
  std::size_t bytes_with_ = 0;
};

}  // namespace server
