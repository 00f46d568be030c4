// RFC 854 command parsing, just enough to drop every negotiation a telnet client sends.
#include "chat/telnet_filter.hpp"

namespace chat {
namespace {

constexpr unsigned char kIac = 255;
constexpr unsigned char kDont = 254;
constexpr unsigned char kWill = 251;
constexpr unsigned char kSb = 250;
constexpr unsigned char kSe = 240;

}  // namespace

std::string_view TelnetFilter::filter(std::string_view chunk, std::string& scratch) {
  if (state_ == State::Data && chunk.find(static_cast<char>(kIac)) == std::string_view::npos) {
    return chunk;
  }
  scratch.clear();
  for (char c : chunk) step(static_cast<unsigned char>(c), scratch);
  return scratch;
}

void TelnetFilter::step(unsigned char byte, std::string& out) {
  switch (state_) {
    case State::Data:
      if (byte == kIac) {
        state_ = State::Command;
      } else {
        out.push_back(static_cast<char>(byte));
      }
      return;
    case State::Command:
      if (byte == kIac) {  // an escaped 255 data byte
        out.push_back(static_cast<char>(byte));
        state_ = State::Data;
      } else if (byte >= kWill && byte <= kDont) {
        state_ = State::Option;
      } else if (byte == kSb) {
        state_ = State::Subnegotiation;
        sub_length_ = 0;
      } else {
        state_ = State::Data;
      }
      return;
    case State::Option:
      state_ = State::Data;
      return;
    case State::Subnegotiation:
      if (byte == kIac) {
        state_ = State::SubnegotiationCommand;
      } else if (++sub_length_ > kMaxSubnegotiation) {
        state_ = State::Data;
      }
      return;
    case State::SubnegotiationCommand:
      state_ = byte == kSe ? State::Data : State::Subnegotiation;
      return;
  }
}

}  // namespace chat
