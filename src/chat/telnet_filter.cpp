// RFC 854 command parsing: drop every negotiation a telnet client sends, refuse every option
// (RFC 1143), confirm a timing mark (RFC 860), and notice an interrupt.
#include "chat/telnet_filter.hpp"

#include <utility>

namespace chat {
namespace {

constexpr unsigned char kIac = 255;
constexpr unsigned char kDont = 254;
constexpr unsigned char kDo = 253;
constexpr unsigned char kWont = 252;
constexpr unsigned char kWill = 251;
constexpr unsigned char kSb = 250;
constexpr unsigned char kIp = 244;
constexpr unsigned char kSe = 240;
// RFC 860: telnet asks DO TIMING-MARK after Ctrl-C and shows nothing until it is answered.
constexpr unsigned char kTimingMark = 6;

}  // namespace

std::string_view TelnetFilter::filter(std::string_view chunk, std::string& scratch) {
  if (state_ == State::Data && !interrupted_ &&
      chunk.find(static_cast<char>(kIac)) == std::string_view::npos) {
    return chunk;
  }
  scratch.clear();
  for (char c : chunk) step(static_cast<unsigned char>(c), scratch);
  return scratch;
}

std::string TelnetFilter::takeAnswers() { return std::exchange(answers_, {}); }

void TelnetFilter::step(unsigned char byte, std::string& out) {
  switch (state_) {
    case State::Data:
      if (byte == kIac) {
        state_ = State::Command;
      } else if (!interrupted_) {
        out.push_back(static_cast<char>(byte));
      }
      return;
    case State::Command:
      state_ = State::Data;
      if (byte == kIac) {  // an escaped 255 data byte
        if (!interrupted_) out.push_back(static_cast<char>(byte));
      } else if (byte >= kWill && byte <= kDont) {
        verb_ = byte;
        state_ = State::Option;
      } else if (byte == kSb) {
        state_ = State::Subnegotiation;
        sub_length_ = 0;
      } else if (byte == kIp) {
        interrupted_ = true;
      } else if (byte < kSe && !interrupted_) {
        // Not a command: the byte after IAC went missing. That is telnet's "send synch", whose
        // DM travels as TCP urgent data and is taken out of the stream, so what follows is data.
        out.push_back(static_cast<char>(byte));
      }
      return;
    case State::Option:
      answer(verb_, byte);
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

// Every option is off and stays off: a request to turn one on is refused, a request to turn one
// off needs no answer since it is off already. The timing mark is the one option "agreed to":
// WILL TIMING-MARK is how a server says it has reached that point of the stream.
void TelnetFilter::answer(unsigned char verb, unsigned char option) {
  unsigned char reply = 0;
  if (verb == kDo) {
    reply = option == kTimingMark ? kWill : kWont;
  } else if (verb == kWill) {
    reply = kDont;
  } else {
    return;
  }
  answers_.push_back(static_cast<char>(kIac));
  answers_.push_back(static_cast<char>(reply));
  answers_.push_back(static_cast<char>(option));
}

}  // namespace chat
