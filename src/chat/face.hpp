// The seam between the chat and a way in that does not speak netcat (docs/PROTOCOL.md §13): the
// chat hands a face its clients' bytes and tells it what happens; the face answers with the
// chat's own operations (Chat's "what a face does" section). Netcat clients, by TCP or the
// WebSocket, need no face: their bytes are the chat's own.
#pragma once

#include <cstddef>
#include <string_view>

#include "chat/chat.hpp"

namespace chat {

// What a face keeps of each of its clients (Chat::Client::face_state).
struct FaceState {
  virtual ~FaceState() = default;
};

class Face {
 public:
  virtual ~Face() = default;

  // A new client of this face: its greeting, if it has one.
  virtual void greet(Chat::Client& client, const Now& now) = 0;
  // The client's bytes. Takes whole lines while the client's flood allowance lasts and it stays;
  // returns how many bytes it took (the chat holds the rest and hands them back later).
  virtual std::size_t feed(Chat::Client& client, std::string_view bytes, const Now& now) = 0;

  // A message in `room` by `author`, for `to`, a member of it.
  virtual void said(Chat::Client& to, const Chat::Client& author, const Chat::Room& room,
                    std::string_view text, const Now& now) = 0;
  // A private message to `to`.
  virtual void whispered(Chat::Client& to, const Chat::Client& sender, std::string_view text,
                         const Now& now) = 0;
  // Someone joined, left or was renamed in `room`, where `to` is too.
  virtual void happened(Chat::Client& to, const Chat::Client& subject, const Chat::Room& room,
                        const Happening& what, const Now& now) = 0;

  // Why the chat lets the client go, for its last words before the close.
  enum class Farewell { ShuttingDown, TimedOut };
  virtual void farewell(Chat::Client& to, Farewell why) = 0;
};

}  // namespace chat
