// The frame reader moves through header, extended length, mask and payload for each frame,
// checking each rule of RFC 6455 §5 as soon as the bytes that decide it are in.
#include "server/websocket_reader.hpp"

namespace server {
namespace {

constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kOpcodeBits = 0x0F;
constexpr std::uint8_t kMaskBit = 0x80;
constexpr std::uint8_t kLengthBits = 0x7F;
constexpr std::uint8_t kControlBit = 0x08;
constexpr std::size_t kMaskBytes = 4;

bool isKnownOpcode(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

// Codes a peer may send (RFC 6455 §7.4, and the IANA registry's 1012-1014); 1005, 1006 and
// 1015 are for reporting only and never go on the wire.
bool isValidCloseCode(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace

WebSocketReader::State WebSocketReader::read(std::string_view bytes, std::string& messages,
                                             std::string& replies) {
  while (state_ == State::Open && !bytes.empty()) {
    if (step_ == Step::Payload) {
      takePayload(bytes);
    } else {
      field_[field_size_++] = static_cast<std::uint8_t>(bytes.front());
      bytes.remove_prefix(1);
      if (field_size_ < field_need_) continue;
      if (step_ == Step::Header) {
        startFrame();
      } else if (step_ == Step::Length) {
        length_ = 0;
        for (std::size_t i = 0; i < field_size_; ++i) length_ = length_ << 8 | field_[i];
        const bool minimal = field_size_ == 2 ? length_ >= kLength16 : length_ > 0xFFFF;
        if (!minimal || (length_ >> 63) != 0) {
          fail(close_code::kProtocolError);
        } else if (!(static_cast<std::uint8_t>(opcode_) & kControlBit) &&
                   message_.size() + length_ > kMaxWebSocketMessage) {
          fail(close_code::kTooBig);
        } else {
          step_ = Step::Mask;
          field_size_ = 0;
          field_need_ = kMaskBytes;
        }
      } else {
        for (std::size_t i = 0; i < kMaskBytes; ++i) mask_[i] = field_[i];
        startPayload();
      }
    }
    if (state_ == State::Open && step_ == Step::Payload && remaining_ == 0) {
      finishFrame(messages, replies);
    }
  }
  return state_;
}

void WebSocketReader::fail(std::uint16_t code) {
  state_ = State::Failed;
  fail_code_ = code;
  message_.clear();
  message_.shrink_to_fit();
}

void WebSocketReader::startFrame() {
  const std::uint8_t first = field_[0];
  const std::uint8_t second = field_[1];
  const std::uint8_t opcode = first & kOpcodeBits;
  const bool control = (opcode & kControlBit) != 0;
  fin_ = (first & kFinBit) != 0;
  if ((first & kReservedBits) != 0 || !isKnownOpcode(opcode) || !(second & kMaskBit)) {
    return fail(close_code::kProtocolError);
  }
  const std::uint8_t length7 = second & kLengthBits;
  if (control && (!fin_ || length7 > kMax7BitLength)) return fail(close_code::kProtocolError);
  opcode_ = static_cast<WebSocketOpcode>(opcode);
  if (opcode_ == WebSocketOpcode::Continuation && !in_message_) {
    return fail(close_code::kProtocolError);
  }
  if ((opcode_ == WebSocketOpcode::Text || opcode_ == WebSocketOpcode::Binary) && in_message_) {
    return fail(close_code::kProtocolError);
  }
  // The chat is text: a binary message is data it cannot take (RFC 6455 §7.4.1).
  if (opcode_ == WebSocketOpcode::Binary) return fail(close_code::kUnacceptableData);
  if (opcode_ == WebSocketOpcode::Text) in_message_ = true;
  field_size_ = 0;
  if (length7 == kLength16 || length7 == kLength64) {
    step_ = Step::Length;
    field_need_ = length7 == kLength16 ? 2 : 8;
    return;
  }
  length_ = length7;
  if (!control && message_.size() + length_ > kMaxWebSocketMessage) {
    return fail(close_code::kTooBig);
  }
  step_ = Step::Mask;
  field_need_ = kMaskBytes;
}

void WebSocketReader::startPayload() {
  step_ = Step::Payload;
  remaining_ = length_;
  mask_at_ = 0;
  control_.clear();
}

void WebSocketReader::takePayload(std::string_view& bytes) {
  const std::size_t n =
      remaining_ < bytes.size() ? static_cast<std::size_t>(remaining_) : bytes.size();
  const bool control = (static_cast<std::uint8_t>(opcode_) & kControlBit) != 0;
  std::string& into = control ? control_ : message_;
  const std::size_t start = into.size();
  into.append(bytes.data(), n);
  for (std::size_t i = start; i < into.size(); ++i) {
    into[i] = static_cast<char>(static_cast<std::uint8_t>(into[i]) ^ mask_[mask_at_]);
    mask_at_ = (mask_at_ + 1) % kMaskBytes;
  }
  bytes.remove_prefix(n);
  remaining_ -= n;
  // Text is checked as it arrives, so a bad byte fails the connection at once (RFC 6455 §8.1).
  if (!control && !utf8_.feed(std::string_view(into).substr(start))) {
    fail(close_code::kInvalidText);
  }
}

void WebSocketReader::finishFrame(std::string& messages, std::string& replies) {
  step_ = Step::Header;
  field_size_ = 0;
  field_need_ = 2;
  switch (opcode_) {
    case WebSocketOpcode::Text:
    case WebSocketOpcode::Continuation:
      if (!fin_) return;
      if (!utf8_.atBoundary()) return fail(close_code::kInvalidText);
      messages += message_;
      message_.clear();
      in_message_ = false;
      return;
    case WebSocketOpcode::Ping:
      appendFrame(WebSocketOpcode::Pong, control_, replies);
      return;
    case WebSocketOpcode::Close:
      return finishClose(replies);
    case WebSocketOpcode::Pong:
    case WebSocketOpcode::Binary:
      return;
  }
}

void WebSocketReader::finishClose(std::string& replies) {
  if (control_.size() == 1) return fail(close_code::kProtocolError);
  if (control_.size() >= 2) {
    const auto code = static_cast<std::uint16_t>(static_cast<std::uint8_t>(control_[0]) << 8 |
                                                 static_cast<std::uint8_t>(control_[1]));
    if (!isValidCloseCode(code)) return fail(close_code::kProtocolError);
    Utf8Stream reason;
    if (!reason.feed(std::string_view(control_).substr(2)) || !reason.atBoundary()) {
      return fail(close_code::kInvalidText);
    }
    peer_code_ = code;
  }
  appendCloseFrame(peer_code_, {}, replies);
  state_ = State::Closed;
}

}  // namespace server
