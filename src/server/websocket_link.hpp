// One chat client carried by WebSocket: its frames become the chat's input bytes, and the chat's
// output becomes text frames, one in flight at a time, so the chat's own queue (and its limit)
// keeps everything the socket has not taken yet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/websocket_reader.hpp"

namespace server {

// The most of the chat's output one frame carries; a client's output rarely waits longer than
// this, and the copy into a frame stays small.
inline constexpr std::size_t kMaxOutgoingFrame = 64 * 1024;
// Pongs waiting for a client that sends pings but does not read: past this, its input waits in
// the socket until they have gone, as flood control makes a flooder's lines wait (SPEC §3).
inline constexpr std::size_t kMaxWaitingReplies = 64 * 1024;

class WebSocketLink {
 public:
  // `first` goes out before anything else: the handshake's answer.
  explicit WebSocketLink(std::string first = {});

  // Frames the client sent: the chat input they carry is appended to `input`.
  WebSocketReader::State read(std::string_view bytes, std::string& input);
  // False while too many answers wait to be sent (kMaxWaitingReplies).
  bool wantsInput() const { return replies_.size() < kMaxWaitingReplies; }
  const WebSocketReader& reader() const { return reader_; }

  // Queues a ping (SPEC §9) unless something is waiting to go out anyway, which keeps the
  // connection just as busy: a ping is sent only to a connection that is otherwise silent.
  void pingIfIdle(std::string_view pending);

  // Whether there is something to send, given the chat's pending output: an unfinished character
  // at its end waits for the rest, so it alone is not.
  bool wantsToWrite(std::string_view pending) const;
  // The bytes to send now (empty: nothing), building the next frame from `pending` when none is
  // in flight. Valid until the next call.
  std::string_view output(std::string_view pending);
  // The socket took `bytes` of output(); returns how many bytes of the chat's pending output are
  // now delivered (counted when their whole frame has gone).
  std::size_t took(std::size_t bytes);

  // Everything still to send when the connection ends: the rest of the frame in flight, the
  // chat's last output `farewell` (which begins with that frame's text), and a close frame with
  // `code`.
  std::string closing(std::string_view farewell, std::uint16_t code);

 private:
  WebSocketReader reader_;
  std::string replies_;  // pongs, the close echo, the handshake answer
  std::string flight_;   // bytes being sent
  std::size_t flight_sent_ = 0;
  std::size_t flight_text_ = 0;  // bytes of the chat's output that flight_ carries
  std::string payload_;          // scratch for the next frame's text, reused every turn
};

}  // namespace server
