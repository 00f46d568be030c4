// What the chat knows of each client and room, shared by the event flow and the commands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "chat/chat.hpp"
#include "chat/face.hpp"
#include "chat/text.hpp"

namespace chat {

struct Chat::Client {
  ClientId id = 0;
  std::string peer;
  std::string address;  // the peer's IP address, as --max-per-address counts it
  // Null for netcat clients; otherwise the way in that reads their bytes and shows them the chat.
  Face* face = nullptr;
  std::unique_ptr<FaceState> face_state;
  // A face's client may be in several rooms at once (`room` stays null for it); in joining order.
  std::vector<Room*> channels;
  std::uint64_t last_happening = 0;  // the last Happening::serial its face was told of
  Phase phase = Phase::Naming;
  std::int64_t name_deadline_ms = 0;  // for the password too: one deadline covers both prompts
  bool answered_prompt = false;       // a first line came in at a prompt
  TelnetFilter telnet;
  LineReader reader{kMaxLineBytes};
  Outbox out;
  std::string name;
  std::string name_key;  // ASCII-lowercased name, the key of taken_names_
  std::string prompt;    // cached by promptOf()
  Room* room = nullptr;
  std::uint64_t replay_seq = 0;
  FloodGate gate{0.0, 1};
  // Lines that arrived behind a name or a /join while history was still streaming, or beyond the
  // client's flood allowance; they are handled once the replay is done and as the allowance comes
  // back, so nothing the client typed is lost or reordered. Never more than the rest of one read:
  // while it holds anything, the client's socket is not read.
  std::string held_input;
  // Whom this client ignores, and who ignores it: both sides, so that whoever leaves first
  // ends the pair without a search. Pointers, so a rename changes nothing.
  std::unordered_set<const Client*> ignoring;
  std::unordered_set<Client*> ignored_by;
  bool doomed = false;
  bool socket_gone = false;
  bool abort = false;
  std::string why;
};

struct Chat::Room {
  Room(std::string_view room_name, std::size_t history_lines)
      : name(room_name), key(text::asciiLower(room_name)), history(history_lines) {}
  std::string name;
  std::string key;
  History history;
  std::vector<Client*> members;  // in order of joining
  std::size_t arriving = 0;      // clients still replaying this room's history
  // Members who ignore someone: while none do, a message goes to every member unchecked.
  std::size_t ignorers = 0;
  // Members with a face: while none have, a message is netcat bytes for every member.
  std::size_t faced = 0;
};

}  // namespace chat
