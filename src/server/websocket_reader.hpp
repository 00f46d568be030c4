// RFC 6455 frames from a client, read from bytes as they arrive: whole text messages out, the
// answers to pings and closes, or the close code that ends the connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/utf8_stream.hpp"
#include "server/websocket_frames.hpp"

namespace server {

// A message larger than this is refused (close 1009) as soon as a frame header says so, before
// any of it is kept: a chat line is at most 4096 bytes, and a browser has no reason to send more.
inline constexpr std::size_t kMaxWebSocketMessage = 64 * 1024;

class WebSocketReader {
 public:
  enum class State {
    Open,
    Closed,  // the peer sent a close; its echo is in the replies
    Failed,  // the peer broke the protocol; send a close with failCode()
  };

  // Reads every byte given. Completed text messages are appended to `messages` (valid UTF-8,
  // whole), pongs and the close echo to `replies`. Once not Open, it takes nothing more.
  State read(std::string_view bytes, std::string& messages, std::string& replies);
  State state() const { return state_; }
  std::uint16_t failCode() const { return fail_code_; }
  // The code of the peer's close (0 when it gave none).
  std::uint16_t peerCode() const { return peer_code_; }
  // Bytes of an unfinished message held, for tests and the fuzzer.
  std::size_t held() const { return message_.size(); }

 private:
  enum class Step { Header, Length, Mask, Payload };

  void fail(std::uint16_t code);
  void startFrame();
  void startPayload();
  void takePayload(std::string_view& bytes);
  void finishFrame(std::string& messages, std::string& replies);
  void finishClose(std::string& replies);

  State state_ = State::Open;
  std::uint16_t fail_code_ = 0;
  std::uint16_t peer_code_ = 0;
  Step step_ = Step::Header;
  std::array<std::uint8_t, 8> field_{};  // the header, extended length or mask being gathered
  std::size_t field_size_ = 0;
  std::size_t field_need_ = 2;
  bool fin_ = false;
  WebSocketOpcode opcode_ = WebSocketOpcode::Text;
  std::uint64_t length_ = 0;
  std::uint64_t remaining_ = 0;
  std::array<std::uint8_t, 4> mask_{};
  std::size_t mask_at_ = 0;
  bool in_message_ = false;  // a text message's first frame came without FIN
  std::string message_;
  Utf8Stream utf8_;
  std::string control_;  // a ping's or close's payload (at most 125 bytes)
};

}  // namespace server
