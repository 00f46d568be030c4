// Removes telnet negotiation (IAC sequences) from a byte stream, across packet boundaries, and
// answers it as a server that supports no option.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class TelnetFilter {
 public:
  // Returns the data bytes of `chunk`: either a view of `chunk` itself (no IAC in sight, the
  // common case) or of `scratch`, which it fills. Data after an interrupt is dropped.
  std::string_view filter(std::string_view chunk, std::string& scratch);

  // Replies owed to the peer's negotiation (RFC 1143: only requests get one, so no loop can
  // start); empty unless the peer sent IAC.
  bool hasAnswers() const { return !answers_.empty(); }
  std::string takeAnswers();
  // The peer sent IAC IP (telnet's Ctrl-C): the person wants out.
  bool interrupted() const { return interrupted_; }

 private:
  enum class State { Data, Command, Option, Subnegotiation, SubnegotiationCommand };

  // A subnegotiation that never ends would swallow everything after it; real ones are a few
  // bytes, so after this many the filter gives up on it and reads data again.
  static constexpr std::size_t kMaxSubnegotiation = 1024;

  void step(unsigned char byte, std::string& out);
  void answer(unsigned char verb, unsigned char option);

  State state_ = State::Data;
  unsigned char verb_ = 0;  // WILL, WONT, DO or DONT, while its option byte is awaited
  std::size_t sub_length_ = 0;
  std::string answers_;
  bool interrupted_ = false;
};

}  // namespace chat
