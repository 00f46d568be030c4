// Removes telnet negotiation (IAC sequences) from a byte stream, across packet boundaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class TelnetFilter {
 public:
  // Returns the data bytes of `chunk`: either a view of `chunk` itself (no IAC in sight, the
  // common case) or of `scratch`, which it fills.
  std::string_view filter(std::string_view chunk, std::string& scratch);

 private:
  enum class State { Data, Command, Option, Subnegotiation, SubnegotiationCommand };

  // A subnegotiation that never ends would swallow everything after it; real ones are a few
  // bytes, so after this many the filter gives up on it and reads data again.
  static constexpr std::size_t kMaxSubnegotiation = 1024;

  void step(unsigned char byte, std::string& out);

  State state_ = State::Data;
  std::size_t sub_length_ = 0;
};

}  // namespace chat
