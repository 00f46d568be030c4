// The IRC face (docs/PROTOCOL.md §13): IRC clients' lines become the chat's intents, and the
// chat's events become IRC lines, so IRC users and nc users share one chat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "chat/face.hpp"
#include "faces/irc/irc_message.hpp"

namespace faces::irc {

// History replayed on JOIN to a client that asked for server-time: the default of --irc-history.
inline constexpr std::size_t kDefaultIrcHistory = 100;
// However many lines --irc-history allows, one JOIN replays at most this many bytes of them (the
// newest), so a join never comes near the output queue's bound (chat::kMaxQueuedBytes).
inline constexpr std::size_t kMaxReplayBytes = 256 * 1024;

struct IrcSettings {
  // --irc-name: how the server calls itself in numerics, PONG and message sources.
  std::string server_name = "netcat-chat";
  std::size_t history = kDefaultIrcHistory;  // --irc-history
  std::string version;                       // in 002 and 004
  std::string created;                       // in 003
};

class IrcFace final : public chat::Face {
 public:
  IrcFace(chat::Chat& chat, IrcSettings settings);

  void greet(chat::Chat::Client& client, const chat::Now& now) override;
  std::size_t feed(chat::Chat::Client& client, std::string_view bytes,
                   const chat::Now& now) override;
  void said(chat::Chat::Client& to, const chat::Chat::Client& author, const chat::Chat::Room& room,
            std::string_view text, const chat::Now& now) override;
  void whispered(chat::Chat::Client& to, const chat::Chat::Client& sender, std::string_view text,
                 const chat::Now& now) override;
  void happened(chat::Chat::Client& to, const chat::Chat::Client& subject,
                const chat::Chat::Room& room, const chat::Happening& what,
                const chat::Now& now) override;
  void farewell(chat::Chat::Client& to, Farewell why) override;

  // The ERROR line that a connection the chat refused (full, too many from its address, locked
  // out) gets instead of the chat's netcat refusal.
  std::string refusal(std::string_view netcat_refusal) const;

 private:
  struct Session;
  struct Commands;
  friend struct Commands;

  static Session& session(const chat::Chat::Client& client);
  void handleLine(chat::Chat::Client& client, std::string_view line, const chat::Now& now);
  void tryRegister(chat::Chat::Client& client, const chat::Now& now);
  void welcome(chat::Chat::Client& client);
  void motd(chat::Chat::Client& client);
  void joined(chat::Chat::Client& client, chat::Chat::Room& room, const chat::Now& now);
  void names(chat::Chat::Client& client, const chat::Chat::Room& room);
  void replay(chat::Chat::Client& client, const chat::Chat::Room& room);
  void message(chat::Chat::Client& client, const Message& message, bool notice,
               const chat::Now& now);

  // Lines out, each appended to out_ and queued for the client.
  void numeric(chat::Chat::Client& client, std::string_view code,
               std::initializer_list<std::string_view> middles,
               std::optional<std::string_view> trailing);
  void send(chat::Chat::Client& client, std::string_view line);
  // `text` from `source` to `target` (a channel or a nick), cut to fit, with its time when the
  // client asked for server-time; `batch` names the batch it belongs to.
  void deliver(chat::Chat::Client& to, std::string_view command, std::string_view source,
               std::string_view target, std::string_view author_name, std::string_view text,
               std::int64_t unix_s, std::string_view batch = {});
  // The lines of deliver() for a client with or without server-time, appended to `lines`.
  void render(std::string& lines, bool timed, std::string_view command, std::string_view source,
              std::string_view target, std::string_view author_name, std::string_view text,
              std::int64_t unix_s, std::string_view batch = {}) const;

  std::string nickOf(const chat::Chat::Client& client) const;
  std::string realnameOf(const chat::Chat::Client& client) const;
  std::string maskOf(const chat::Chat::Client& client) const;
  std::string maskFor(std::string_view name, std::string_view user) const;
  std::string_view userOf(const chat::Chat::Client& client) const;
  std::string myNick(const chat::Chat::Client& client) const;
  static std::string channelOf(const chat::Chat::Room& room);
  chat::Chat::Room* channelNamed(std::string_view channel) const;
  chat::Chat::Client* clientForNick(std::string_view nick) const;
  static bool isMemberOf(const chat::Chat::Client& client, const chat::Chat::Room& room);

  // The last message rendered by said(), so a broadcast to many IRC members builds its lines once
  // (with and without @time) instead of once per member.
  struct Rendered {
    chat::ClientId author = 0;  // never reused, unlike an address
    std::string room;
    std::string name;
    std::string command;
    std::string text;
    std::int64_t unix_s = -1;
    std::string plain;  // empty until a member without server-time needs it
    std::string timed;  // likewise, with server-time
  };
  std::string_view renderedFor(chat::Chat::Client& to, const chat::Chat::Client& author,
                               const chat::Chat::Room& room, std::string_view text,
                               std::int64_t unix_s);

  chat::Chat& chat_;
  IrcSettings settings_;
  Rendered rendered_;
  Message message_;  // the line being handled, reused
  std::string out_;  // the lines being written, reused
  std::string text_;
  std::string stripped_;
  // While one of this face's clients' lines is being relayed: its command (PRIVMSG or NOTICE,
  // which the others get as it was sent), and a PART's reason.
  std::string_view relaying_ = "PRIVMSG";
  std::string part_reason_;
};

}  // namespace faces::irc
