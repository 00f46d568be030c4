// The IRC face: registration, the commands of docs/PROTOCOL.md §13, and the chat's events as IRC
// lines. Every rule of the chat (names, rooms, limits, passwords) is the chat's own; this file only
// translates.
#include "faces/irc/irc_face.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <utility>
#include <vector>

#include "chat/chat_state.hpp"
#include "chat/protocol.hpp"
#include "chat/text.hpp"
#include "faces/irc/irc_replies.hpp"
#include "faces/irc/irc_text.hpp"
#include "faces/irc/irc_writer.hpp"

namespace faces::irc {

namespace r = replies;
using Client = chat::Chat::Client;
using Room = chat::Chat::Room;

namespace {

constexpr char kChannelMark = '#';
// What a USER's ident may hold here (it goes into every nick!user@host): bytes that no client
// misreads, at most this many.
constexpr std::size_t kMaxUserBytes = 16;
constexpr std::string_view kNetcatUser = "nc";
constexpr std::string_view kWebUser = "web";
constexpr std::string_view kDefaultUser = "user";
constexpr std::string_view kQuitPrefix = "Quit: ";
constexpr std::string_view kPrivmsg = "PRIVMSG";
// The peer text of a browser starts with this (server::kWebPeerPrefix).
constexpr std::string_view kWebPeer = "web ";

std::string cleanUser(std::string_view typed) {
  std::string user;
  for (const char c : typed) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (ok && user.size() < kMaxUserBytes) user.push_back(c);
  }
  return user.empty() ? std::string(kDefaultUser) : user;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The non-empty items of a list: channels and targets by ',', capabilities and nicks by ' '.
std::vector<std::string_view> splitList(std::string_view list, char separator = ',') {
  std::vector<std::string_view> items;
  while (!list.empty()) {
    const std::size_t end = list.find(separator);
    const std::string_view item = list.substr(0, end);
    if (!item.empty()) items.push_back(item);
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return items;
}

// A history line "[YYYY-MM-DD HH:MM:SS][name]:text" (names hold no brackets): its parts.
struct HistoryLine {
  std::string_view stamp;
  std::string_view name;
  std::string_view text;
};

bool parseHistoryLine(std::string_view line, HistoryLine& out) {
  if (line.size() < 2 || line.front() != '[') return false;
  const std::size_t stamp_end = line.find("][");
  if (stamp_end == std::string_view::npos) return false;
  const std::size_t name_end = line.find("]:", stamp_end + 2);
  if (name_end == std::string_view::npos) return false;
  out.stamp = line.substr(1, stamp_end - 1);
  out.name = line.substr(stamp_end + 2, name_end - stamp_end - 2);
  out.text = line.substr(name_end + 2);
  return true;
}

// Local "YYYY-MM-DD HH:MM:SS", as the chat stamps lines, to seconds since 1970 (UTC); 0 when it
// does not read as one.
std::int64_t unixFromStamp(std::string_view stamp) {
  std::tm tm{};
  const std::string copy(stamp);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  return t == static_cast<std::time_t>(-1) ? 0 : static_cast<std::int64_t>(t);
}

// A room whose name an IRC client can type as a channel: no spaces, commas or BEL (RFC 2812 §1.3).
bool isChannelable(std::string_view room) {
  return room.find_first_of(" ,\x07:") == std::string_view::npos;
}

}  // namespace

struct IrcFace::Session : chat::FaceState {
  LineFramer framer;
  std::string user{kDefaultUser};
  std::string realname;
  std::string password;
  std::string quit_reason;  // what QUIT said, for the others
  std::string away;         // AWAY's message; empty: here
  bool gave_password = false;
  bool gave_user = false;
  bool negotiating = false;  // between CAP LS or REQ and CAP END: registration waits
  bool registered = false;
  bool server_time = false;
  bool batch = false;
  std::uint64_t batches = 0;
};

IrcFace::IrcFace(chat::Chat& chat, IrcSettings settings)
    : chat_(chat), settings_(std::move(settings)) {}

IrcFace::Session& IrcFace::session(const Client& client) {
  return static_cast<Session&>(*client.face_state);
}

// --- input --------------------------------------------------------------------------------------

void IrcFace::greet(Client& client, const chat::Now&) {
  client.face_state = std::make_unique<Session>();
}

// Each line costs one of the client's flood allowance, as a netcat line does (docs/PROTOCOL.md
// §10.1); a line past IRC's bounds gets 417 and goes nowhere.
std::size_t IrcFace::feed(Client& client, std::string_view bytes, const chat::Now& now) {
  Session& state = session(client);
  std::size_t used = 0;
  while (used < bytes.size() && !client.doomed && client.gate.allows(now.ms)) {
    const LineFramer::Step step = state.framer.next(bytes.substr(used));
    used += step.consumed;
    if (step.event == LineFramer::Event::NeedMore) break;
    client.gate.take(now.ms);
    if (step.event == LineFramer::Event::TooLong) {
      numeric(client, r::kErrInputTooLong, {}, r::kInputTooLongText);
      continue;
    }
    handleLine(client, step.line, now);
  }
  return used;
}

struct IrcFace::Commands {
  using Handler = void (*)(IrcFace& face, Client& client, const Message& m, const chat::Now& now);
  struct Row {
    std::string_view verb;
    Handler run;
    std::size_t min_params;
    bool before_registration;  // allowed before 001 (RFC 2812 §3.1; IRCv3 CAP)
  };

  static void cap(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    Session& state = session(client);
    const std::string sub = upper(m.params[0]);
    const std::string nick = face.myNick(client);
    std::string& out = face.out_;
    if (sub == r::kCapLs) {
      if (!state.registered) state.negotiating = true;
      out.clear();
      appendLine(out, face.settings_.server_name, r::kCap, {nick, r::kCapLs}, r::kCapsOffered);
      face.send(client, out);
    } else if (sub == r::kCapList) {
      std::string enabled;
      if (state.server_time) enabled.append(r::kCapServerTime);
      if (state.batch) enabled.append(enabled.empty() ? "" : " ").append(r::kCapBatch);
      out.clear();
      appendLine(out, face.settings_.server_name, r::kCap, {nick, r::kCapList}, enabled);
      face.send(client, out);
    } else if (sub == r::kCapReq) {
      if (!state.registered) state.negotiating = true;
      const std::string_view wanted = m.params.size() > 1 ? m.params[1] : std::string_view();
      bool server_time = state.server_time;
      bool batch = state.batch;
      const std::vector<std::string_view> caps = splitList(wanted, ' ');
      bool known = !caps.empty();
      for (std::string_view cap : caps) {
        const bool on = cap.front() != '-';
        if (!on) cap.remove_prefix(1);
        if (cap == r::kCapServerTime) {
          server_time = on;
        } else if (cap == r::kCapBatch) {
          batch = on;
        } else {
          known = false;
        }
      }
      if (known) {
        state.server_time = server_time;
        state.batch = batch;
      }
      out.clear();
      appendLine(out, face.settings_.server_name, r::kCap, {nick, known ? r::kCapAck : r::kCapNak},
                 wanted);
      face.send(client, out);
    } else if (sub == r::kCapEnd) {
      state.negotiating = false;
      face.tryRegister(client, now);
    } else {
      face.numeric(client, r::kErrInvalidCapCmd, {m.params[0]}, r::kInvalidCapCmdText);
    }
  }

  static void pass(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    Session& state = session(client);
    if (state.registered) {
      return face.numeric(client, r::kErrAlreadyRegistered, {}, r::kAlreadyRegisteredText);
    }
    state.password = m.params[0];
    state.gave_password = true;
  }

  static void nick(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    if (m.params.empty() || m.params[0].empty()) {
      return face.numeric(client, r::kErrNoNicknameGiven, {}, r::kNoNicknameGivenText);
    }
    const std::string& wanted = m.params[0];
    if (!isValidNick(wanted)) {
      return face.numeric(client, r::kErrErroneousNickname, {wanted}, r::kErroneousNicknameText);
    }
    if (wanted == client.name) return;
    const std::string old_mask = face.maskOf(client);
    const std::string_view refusal = face.chat_.claimName(client, wanted, now);
    if (refusal == chat::protocol::kNameTaken) {
      return face.numeric(client, r::kErrNicknameInUse, {wanted}, r::kNicknameInUseText);
    }
    if (!refusal.empty()) {
      return face.numeric(client, r::kErrErroneousNickname, {wanted}, r::kErroneousNicknameText);
    }
    if (session(client).registered) {
      face.out_.clear();
      appendLine(face.out_, old_mask, "NICK", {}, client.name);
      face.send(client, face.out_);
      return;
    }
    face.tryRegister(client, now);
  }

  static void user(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    Session& state = session(client);
    if (state.registered) {
      return face.numeric(client, r::kErrAlreadyRegistered, {}, r::kAlreadyRegisteredText);
    }
    // RFC 2812 §3.1.3: the real name is the last parameter, and it may not be empty.
    if (m.params[3].empty()) {
      return face.numeric(client, r::kErrNeedMoreParams, {m.command}, r::kNeedMoreParamsText);
    }
    state.user = cleanUser(m.params[0]);
    state.realname = m.params[3];
    state.gave_user = true;
    face.tryRegister(client, now);
  }

  static void ping(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    if (m.params.empty()) return face.numeric(client, r::kErrNoOrigin, {}, r::kNoOriginText);
    face.out_.clear();
    appendLine(face.out_, face.settings_.server_name, "PONG", {face.settings_.server_name},
               m.params[0]);
    face.send(client, face.out_);
  }

  static void pong(IrcFace&, Client&, const Message&, const chat::Now&) {}

  static void quit(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    Session& state = session(client);
    state.quit_reason = std::string(kQuitPrefix) + (m.params.empty() ? "" : m.params[0]);
    face.out_.clear();
    appendLine(face.out_, {}, r::kError, {}, r::kErrorQuit);
    face.send(client, face.out_);
    face.chat_.letGo(client, "quit");
  }

  static void join(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    if (m.params[0] == "0") {
      while (!client.channels.empty()) {
        Room& room = *client.channels.front();
        face.out_.clear();
        appendLine(face.out_, face.maskOf(client), "PART", {channelOf(room)});
        face.send(client, face.out_);
        face.chat_.leaveChannel(client, room, now);
      }
      return;
    }
    for (const std::string_view channel : splitList(m.params[0])) {
      if (client.doomed) return;
      // A name no channel can spell is refused before the chat would make its room.
      if (channel.size() < 2 || channel.front() != kChannelMark ||
          !isChannelable(chat::text::trimBlanks(channel.substr(1)))) {
        face.numeric(client, r::kErrNoSuchChannel, {channel}, r::kNoSuchChannelText);
        continue;
      }
      std::string_view refusal;
      Room* room = face.chat_.openRoom(channel.substr(1), refusal);
      if (room == nullptr) {
        const bool full = refusal == chat::protocol::kTooManyRooms;
        face.numeric(client, full ? r::kErrTooManyChannels : r::kErrNoSuchChannel, {channel},
                     full ? refusal : r::kNoSuchChannelText);
        continue;
      }
      if (isMemberOf(client, *room)) continue;
      face.joined(client, *room, now);
    }
  }

  static void part(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    for (const std::string_view channel : splitList(m.params[0])) {
      Room* room = face.channelNamed(channel);
      if (room == nullptr) {
        face.numeric(client, r::kErrNoSuchChannel, {channel}, r::kNoSuchChannelText);
        continue;
      }
      if (!isMemberOf(client, *room)) {
        face.numeric(client, r::kErrNotOnChannel, {channel}, r::kNotOnChannelText);
        continue;
      }
      face.out_.clear();
      if (m.params.size() > 1) {
        appendLine(face.out_, face.maskOf(client), "PART", {channelOf(*room)}, m.params[1]);
      } else {
        appendLine(face.out_, face.maskOf(client), "PART", {channelOf(*room)});
      }
      face.send(client, face.out_);
      face.part_reason_ = m.params.size() > 1 ? m.params[1] : std::string();
      face.chat_.leaveChannel(client, *room, now);
      face.part_reason_.clear();
    }
  }

  static void names(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    if (m.params.empty()) {
      return face.numeric(client, r::kRplEndOfNames, {"*"}, r::kEndOfNamesText);
    }
    for (const std::string_view channel : splitList(m.params[0])) {
      if (const Room* room = face.channelNamed(channel)) {
        face.names(client, *room);
      } else {
        face.numeric(client, r::kRplEndOfNames, {channel}, r::kEndOfNamesText);
      }
    }
  }

  static void list(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    face.numeric(client, r::kRplListStart, {r::kListStartChannel}, r::kListStartText);
    std::vector<std::string_view> only;
    if (!m.params.empty()) only = splitList(m.params[0]);
    for (const auto& owned : face.chat_.rooms()) {
      const Room& room = *owned;
      if (!isChannelable(room.name)) continue;
      const std::string channel = channelOf(room);
      if (!only.empty() && std::none_of(only.begin(), only.end(), [&](std::string_view wanted) {
            return equalsIgnoringAsciiCase(wanted, channel);
          })) {
        continue;
      }
      const std::string count = std::to_string(room.members.size());
      face.numeric(client, r::kRplList, {channel, count}, "");
    }
    face.numeric(client, r::kRplListEnd, {}, r::kListEndText);
  }

  static void who(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    const std::string_view mask = m.params.empty() ? std::string_view("*") : m.params[0];
    const auto reply = [&](const Client& whom, std::string_view channel) {
      const std::string nick = face.nickOf(whom);
      const std::string realname = std::string(r::kWhoHopCount) + face.realnameOf(whom);
      face.numeric(client, r::kRplWhoReply,
                   {channel, face.userOf(whom), face.settings_.server_name,
                    face.settings_.server_name, nick, r::kWhoHereFlag},
                   realname);
    };
    if (!mask.empty() && mask.front() == kChannelMark) {
      if (const Room* room = face.channelNamed(mask)) {
        for (const Client* member : room->members) reply(*member, channelOf(*room));
      }
    } else if (const Client* whom = face.clientForNick(mask)) {
      reply(*whom, "*");
    }
    face.numeric(client, r::kRplEndOfWho, {mask}, r::kEndOfWhoText);
  }

  static void whois(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    const std::string_view nick = m.params.back();
    const Client* whom = face.clientForNick(nick);
    if (whom == nullptr) {
      face.numeric(client, r::kErrNoSuchNick, {nick}, r::kNoSuchNickText);
    } else {
      const std::string shown = face.nickOf(*whom);
      face.numeric(client, r::kRplWhoisUser,
                   {shown, face.userOf(*whom), face.settings_.server_name, "*"},
                   face.realnameOf(*whom));
      std::string channels;
      const auto add = [&](const Room* room) {
        if (room == nullptr || !isChannelable(room->name)) return;
        channels.append(channels.empty() ? "" : " ").append(channelOf(*room));
      };
      add(whom->room);
      for (const Room* room : whom->channels) add(room);
      if (!channels.empty()) face.numeric(client, r::kRplWhoisChannels, {shown}, channels);
    }
    face.numeric(client, r::kRplEndOfWhois, {nick}, r::kEndOfWhoisText);
  }

  static void mode(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    const std::string_view target = m.params[0];
    if (!target.empty() && target.front() == kChannelMark) {
      const Room* room = face.channelNamed(target);
      if (room == nullptr) {
        return face.numeric(client, r::kErrNoSuchChannel, {target}, r::kNoSuchChannelText);
      }
      if (m.params.size() == 1) {
        return face.numeric(client, r::kRplChannelModeIs, {channelOf(*room), r::kNoModes},
                            std::nullopt);
      }
      if (m.params[1] == "b" || m.params[1] == "+b") {
        return face.numeric(client, r::kRplEndOfBanList, {channelOf(*room)}, r::kEndOfBanListText);
      }
      return face.numeric(client, r::kErrChanOPrivsNeeded, {channelOf(*room)},
                          r::kChanOPrivsNeededText);
    }
    if (equalsIgnoringAsciiCase(target, face.nickOf(client))) {
      // No user mode can be set here: the answer to a query and to a change is the same.
      return face.numeric(client, r::kRplUModeIs, {r::kNoModes}, std::nullopt);
    }
    if (face.clientForNick(target) == nullptr) {
      return face.numeric(client, r::kErrNoSuchNick, {target}, r::kNoSuchNickText);
    }
    face.numeric(client, r::kErrUsersDontMatch, {}, r::kUsersDontMatchText);
  }

  static void topic(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    const Room* room = face.channelNamed(m.params[0]);
    if (room == nullptr) {
      return face.numeric(client, r::kErrNoSuchChannel, {m.params[0]}, r::kNoSuchChannelText);
    }
    if (!isMemberOf(client, *room)) {
      return face.numeric(client, r::kErrNotOnChannel, {m.params[0]}, r::kNotOnChannelText);
    }
    if (m.params.size() > 1) {
      return face.numeric(client, r::kErrChanOPrivsNeeded, {channelOf(*room)},
                          r::kChanOPrivsNeededText);
    }
    face.numeric(client, r::kRplNoTopic, {channelOf(*room)}, r::kNoTopicText);
  }

  static void privmsg(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    face.message(client, m, false, now);
  }

  static void notice(IrcFace& face, Client& client, const Message& m, const chat::Now& now) {
    face.message(client, m, true, now);
  }

  static void motd(IrcFace& face, Client& client, const Message&, const chat::Now&) {
    face.motd(client);
  }

  // Away is only a note for IRC users who write to this one (301); the chat shows nothing of it.
  static void away(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    Session& state = session(client);
    state.away = m.params.empty() ? std::string() : m.params[0];
    if (state.away.empty()) return face.numeric(client, r::kRplUnaway, {}, r::kUnawayText);
    face.numeric(client, r::kRplNowAway, {}, r::kNowAwayText);
  }

  static void userhost(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    std::string found;
    for (std::size_t i = 0; i < m.params.size() && i < r::kMaxUserHostNicks; ++i) {
      const Client* whom = face.clientForNick(m.params[i]);
      if (whom == nullptr) continue;
      const bool away = whom->face == &face && !session(*whom).away.empty();
      found.append(found.empty() ? "" : " ").append(face.nickOf(*whom)).append(away ? "=-" : "=+");
      found.append(face.userOf(*whom)).append("@").append(face.settings_.server_name);
    }
    face.numeric(client, r::kRplUserHost, {}, found);
  }

  static void ison(IrcFace& face, Client& client, const Message& m, const chat::Now&) {
    std::string found;
    for (const std::string& param : m.params) {
      for (const std::string_view nick : splitList(param, ' ')) {
        if (const Client* whom = face.clientForNick(nick)) {
          found.append(found.empty() ? "" : " ").append(face.nickOf(*whom));
        }
      }
    }
    face.numeric(client, r::kRplIsOn, {}, found);
  }

  // Adding a command: one row here and one function above.
  static constexpr Row kTable[] = {
      {"CAP", cap, 1, true},          {"PASS", pass, 1, true},          {"NICK", nick, 0, true},
      {"USER", user, 4, true},        {"PING", ping, 0, true},          {"PONG", pong, 0, true},
      {"QUIT", quit, 0, true},        {"JOIN", join, 1, false},         {"PART", part, 1, false},
      {"NAMES", names, 0, false},     {"LIST", list, 0, false},         {"WHO", who, 0, false},
      {"WHOIS", whois, 1, false},     {"MODE", mode, 1, false},         {"TOPIC", topic, 1, false},
      {"PRIVMSG", privmsg, 0, false}, {"NOTICE", notice, 0, false},     {"MOTD", motd, 0, false},
      {"AWAY", away, 0, false},       {"USERHOST", userhost, 1, false}, {"ISON", ison, 1, false},
  };
};

void IrcFace::handleLine(Client& client, std::string_view line, const chat::Now& now) {
  const ParseStatus status = parseMessage(line, message_);
  if (status == ParseStatus::Empty) return;
  if (status != ParseStatus::Ok) {
    const std::string_view word =
        message_.command.empty() ? std::string_view("*") : std::string_view(message_.command);
    return numeric(client, r::kErrUnknownCommand, {word}, r::kUnknownCommandText);
  }
  const Message& m = message_;
  for (const Commands::Row& row : Commands::kTable) {
    if (row.verb != m.command) continue;
    if (!row.before_registration && !session(client).registered) {
      return numeric(client, r::kErrNotRegistered, {}, r::kNotRegisteredText);
    }
    if (m.params.size() < row.min_params) {
      return numeric(client, r::kErrNeedMoreParams, {m.command}, r::kNeedMoreParamsText);
    }
    return row.run(*this, client, m, now);
  }
  if (!session(client).registered) {
    return numeric(client, r::kErrNotRegistered, {}, r::kNotRegisteredText);
  }
  numeric(client, r::kErrUnknownCommand, {m.command}, r::kUnknownCommandText);
}

// PRIVMSG and NOTICE: to a channel one is in, or to a nick. A NOTICE never gets an error back
// (RFC 2812 §3.3.2). CTCP ACTION is the chat's "* nick text"; other CTCP requests go nowhere.
void IrcFace::message(Client& client, const Message& m, bool notice, const chat::Now& now) {
  const std::string_view command = notice ? "NOTICE" : "PRIVMSG";
  if (m.params.empty() || m.params[0].empty()) {
    if (notice) return;
    return numeric(client, r::kErrNoRecipient, {},
                   std::string(r::kNoRecipientText).append(command).append(r::kNoRecipientTextEnd));
  }
  if (m.params.size() < 2 || m.params[1].empty()) {
    if (!notice) numeric(client, r::kErrNoTextToSend, {}, r::kNoTextToSendText);
    return;
  }
  const Ctcp ctcp = classifyCtcp(m.params[1]);
  if (ctcp.kind == CtcpKind::Other) return;
  std::string& stripped = stripped_;
  stripped.clear();
  stripFormatting(ctcp.text, stripped);
  text_.clear();
  if (ctcp.kind == CtcpKind::Action) text_.append("* ").append(client.name).append(" ");
  chat::text::sanitizeMessage(stripped, text_);
  if (chat::text::isBlank(ctcp.kind == CtcpKind::Action ? stripped : text_)) {
    if (!notice) numeric(client, r::kErrNoTextToSend, {}, r::kNoTextToSendText);
    return;
  }
  for (const std::string_view target : splitList(m.params[0])) {
    if (client.doomed) return;
    if (target.front() == kChannelMark) {
      Room* room = channelNamed(target);
      if (room == nullptr) {
        if (!notice) numeric(client, r::kErrNoSuchNick, {target}, r::kNoSuchNickText);
      } else if (!isMemberOf(client, *room)) {
        if (!notice) numeric(client, r::kErrCannotSendToChan, {target}, r::kCannotSendToChanText);
      } else {
        relaying_ = command;
        chat_.say(client, *room, text_, now);
        relaying_ = kPrivmsg;
      }
      continue;
    }
    Client* recipient = clientForNick(target);
    if (recipient == nullptr) {
      if (!notice) numeric(client, r::kErrNoSuchNick, {target}, r::kNoSuchNickText);
      continue;
    }
    relaying_ = command;
    chat_.whisper(client, *recipient, text_, now);
    relaying_ = kPrivmsg;
    if (!notice && recipient->face == this && !session(*recipient).away.empty()) {
      numeric(client, r::kRplAway, {target}, session(*recipient).away);
    }
  }
}

// --- registration -------------------------------------------------------------------------------

// Registered once NICK and USER are in and any CAP negotiation has ended; with a password, the
// PASS given is checked then, once (docs/PROTOCOL.md §13.2).
void IrcFace::tryRegister(Client& client, const chat::Now& now) {
  Session& state = session(client);
  if (state.registered || state.negotiating || !state.gave_user || client.name.empty()) return;
  if (!chat_.settings().password.empty()) {
    const std::string_view given = state.gave_password ? state.password : std::string_view();
    if (!chat_.checkPassword(client, given, now)) {
      // The chat let the client go; its answer goes out before the close.
      out_.clear();
      appendLine(out_, settings_.server_name, r::kErrPasswdMismatch, {myNick(client)},
                 r::kPasswdMismatchText);
      appendLine(out_, {}, r::kError, {}, r::kErrorWrongPassword);
      client.out.append(out_);
      return;
    }
  }
  state.registered = true;
  chat_.registered(client, now);
  welcome(client);
  motd(client);
}

void IrcFace::welcome(Client& client) {
  const std::string& server = settings_.server_name;
  numeric(client, r::kRplWelcome, {}, std::string(r::kWelcomeText).append(maskOf(client)));
  numeric(client, r::kRplYourHost, {},
          std::string(r::kYourHostText)
              .append(server)
              .append(r::kYourHostVersionText)
              .append(settings_.version));
  numeric(client, r::kRplCreated, {}, std::string(r::kCreatedText).append(settings_.created));
  numeric(client, r::kRplMyInfo, {server, settings_.version, r::kUserModes, r::kChannelModes},
          std::nullopt);
  const std::vector<std::string> tokens(std::begin(r::kISupportTokens),
                                        std::end(r::kISupportTokens));
  const std::string nick = myNick(client);
  out_.clear();
  const std::string fixed = ":" + server + " " + std::string(r::kRplISupport) + " " + nick + " :" +
                            std::string(r::kISupportText);
  for (const std::string& run : packWords(fixed, tokens, kMaxISupportTokens)) {
    out_.append(":").append(server).append(" ").append(r::kRplISupport).append(" ").append(nick);
    out_.append(" ").append(run).append(" :").append(r::kISupportText).append("\r\n");
  }
  send(client, out_);
}

void IrcFace::motd(Client& client) {
  numeric(
      client, r::kRplMotdStart, {},
      std::string(r::kMotdStartText).append(settings_.server_name).append(r::kMotdStartTextEnd));
  for (const std::string_view line : r::kMotdLines) {
    numeric(client, r::kRplMotd, {}, std::string(r::kMotdLinePrefix).append(line));
  }
  numeric(client, r::kRplEndOfMotd, {}, r::kEndOfMotdText);
}

// --- channels -----------------------------------------------------------------------------------

// The JOIN as every member sees it, then the topic, the names and the history for the joiner.
void IrcFace::joined(Client& client, Room& room, const chat::Now& now) {
  chat_.enterChannel(client, room, now);
  if (client.doomed) return;
  out_.clear();
  appendLine(out_, maskOf(client), "JOIN", {channelOf(room)});
  send(client, out_);
  numeric(client, r::kRplNoTopic, {channelOf(room)}, r::kNoTopicText);
  names(client, room);
  replay(client, room);
}

void IrcFace::names(Client& client, const Room& room) {
  const std::string channel = channelOf(room);
  std::vector<std::string> nicks;
  nicks.reserve(room.members.size());
  for (const Client* member : room.members) nicks.push_back(nickOf(*member));
  const std::string nick = myNick(client);
  const std::string fixed = ":" + settings_.server_name + " " + std::string(r::kRplNamReply) + " " +
                            nick + " " + std::string(r::kPublicChannelSymbol) + " " + channel +
                            " :";
  for (const std::string& run : packWords(fixed, nicks)) {
    numeric(client, r::kRplNamReply, {r::kPublicChannelSymbol, channel}, run);
  }
  numeric(client, r::kRplEndOfNames, {channel}, r::kEndOfNamesText);
}

// The room's newest lines, with the time each was said, to a client that asked for server-time
// (IRCv3 server-time; in a chathistory batch when it asked for batch too). Others get none: a
// line without its time would read as said now, and a bridge would post it again.
void IrcFace::replay(Client& client, const Room& room) {
  Session& state = session(client);
  if (!state.server_time || settings_.history == 0 || room.history.empty()) return;
  std::uint64_t seq = room.history.endSeq();
  std::size_t bytes = 0;
  while (seq > room.history.beginSeq() && room.history.endSeq() - seq < settings_.history) {
    const std::size_t size = room.history.at(seq - 1).size();
    if (bytes + size > kMaxReplayBytes) break;
    bytes += size;
    --seq;
  }
  if (seq == room.history.endSeq()) return;
  const std::string channel = channelOf(room);
  std::string batch;
  if (state.batch) {
    batch = "h" + std::to_string(++state.batches);
    out_.clear();
    appendLine(out_, settings_.server_name, "BATCH", {"+" + batch, r::kChatHistoryBatch, channel});
    send(client, out_);
  }
  for (; seq < room.history.endSeq(); ++seq) {
    HistoryLine line;
    if (!parseHistoryLine(room.history.at(seq), line)) continue;
    const Client* author = chat_.clientNamed(line.name);
    const std::string source =
        author != nullptr ? maskOf(*author) : maskFor(line.name, kNetcatUser);
    deliver(client, kPrivmsg, source, channel, line.name, line.text, unixFromStamp(line.stamp),
            batch);
  }
  if (state.batch) {
    out_.clear();
    appendLine(out_, settings_.server_name, "BATCH", {"-" + batch});
    send(client, out_);
  }
}

// --- events out ---------------------------------------------------------------------------------

void IrcFace::said(Client& to, const Client& author, const Room& room, std::string_view text,
                   const chat::Now& now) {
  send(to, renderedFor(to, author, room, text,
                       now.unix_s != 0 ? now.unix_s : unixFromStamp(now.stamp)));
}

void IrcFace::whispered(Client& to, const Client& sender, std::string_view text,
                        const chat::Now& now) {
  if (!session(to).registered) return;
  deliver(to, sender.face == this ? relaying_ : kPrivmsg, maskOf(sender), nickOf(to), sender.name,
          text, now.unix_s != 0 ? now.unix_s : unixFromStamp(now.stamp));
}

void IrcFace::happened(Client& to, const Client& subject, const Room& room,
                       const chat::Happening& what, const chat::Now&) {
  if (!session(to).registered) return;
  out_.clear();
  switch (what.kind) {
    case chat::Happening::Kind::Joined:
      appendLine(out_, maskOf(subject), "JOIN", {channelOf(room)});
      break;
    case chat::Happening::Kind::Parted:
      if (subject.face == this && !part_reason_.empty()) {
        appendLine(out_, maskOf(subject), "PART", {channelOf(room)}, part_reason_);
      } else {
        appendLine(out_, maskOf(subject), "PART", {channelOf(room)});
      }
      break;
    case chat::Happening::Kind::Quit: {
      const std::string reason = subject.face == this && !session(subject).quit_reason.empty()
                                     ? session(subject).quit_reason
                                     : std::string(kQuitPrefix).append(subject.why);
      appendLine(out_, maskOf(subject), "QUIT", {}, reason);
      break;
    }
    case chat::Happening::Kind::Renamed:
      appendLine(out_, maskFor(what.old_name, userOf(subject)), "NICK", {}, nickOf(subject));
      break;
  }
  send(to, out_);
}

void IrcFace::farewell(Client& to, Farewell why) {
  out_.clear();
  appendLine(out_, {}, r::kError, {},
             why == Farewell::ShuttingDown ? r::kErrorShuttingDown : r::kErrorRegistrationTimeout);
  to.out.append(out_);
}

// The chat's own refusal (full, too many from the address, locked out) without its line end.
std::string IrcFace::refusal(std::string_view netcat_refusal) const {
  const std::string_view reason =
      netcat_refusal.substr(0, netcat_refusal.find_last_not_of('\n') + 1);
  std::string out;
  appendLine(out, {}, r::kError, {}, std::string(r::kQuitReasonPrefix).append(reason));
  return out;
}

// --- lines out ----------------------------------------------------------------------------------

void IrcFace::numeric(Client& client, std::string_view code,
                      std::initializer_list<std::string_view> middles,
                      std::optional<std::string_view> trailing) {
  const std::string nick = myNick(client);
  std::string line;
  line.append(":").append(settings_.server_name).append(" ").append(code).append(" ").append(nick);
  for (const std::string_view middle : middles) {
    // A word as a client sent it (a nick, a channel, a command) may hold what would change the
    // line's shape: spaces and line ends go, and a leading ':' would start the trailing part.
    std::string piece;
    for (const char c : middle) {
      if (c != ' ' && c != '\r' && c != '\n' && c != '\0' && (c != ':' || !piece.empty())) {
        piece.push_back(c);
      }
    }
    line.append(" ").append(piece.empty() ? "*" : piece);
  }
  if (trailing) {
    line.append(" :");
    for (const char c : *trailing) {
      if (c != '\r' && c != '\n' && c != '\0') line.push_back(c);
    }
  }
  line.append("\r\n");
  send(client, line);
}

void IrcFace::send(Client& client, std::string_view line) { chat_.queueFor(client, line); }

void IrcFace::deliver(Client& to, std::string_view command, std::string_view source,
                      std::string_view target, std::string_view author_name, std::string_view text,
                      std::int64_t unix_s, std::string_view batch) {
  std::string lines;
  render(lines, session(to).server_time, command, source, target, author_name, text, unix_s, batch);
  send(to, lines);
}

void IrcFace::render(std::string& lines, bool timed, std::string_view command,
                     std::string_view source, std::string_view target, std::string_view author_name,
                     std::string_view text, std::int64_t unix_s, std::string_view batch) const {
  // The chat's "* name does something" is an ACTION from that name.
  const std::string action_prefix = std::string("* ").append(author_name).append(" ");
  const bool action =
      text.size() > action_prefix.size() && text.substr(0, action_prefix.size()) == action_prefix;
  if (action) text.remove_prefix(action_prefix.size());
  const std::string stamp = timed ? formatServerTime(unix_s) : std::string();
  std::string fixed =
      ":" + std::string(source) + " " + std::string(command) + " " + std::string(target) + " :";
  // The ACTION's framing takes room on every line too.
  if (action)
    fixed.append(
        "\x01"
        "ACTION \x01");
  for (const std::string_view piece : splitText(fixed, text)) {
    const std::string body = action ? ctcpAction(piece) : std::string(piece);
    if (!batch.empty()) {
      appendLine(lines, {{"batch", batch}, {"time", stamp}}, source, command, {target}, body);
    } else if (timed) {
      appendLine(lines, {{"time", stamp}}, source, command, {target}, body);
    } else {
      appendLine(lines, source, command, {target}, body);
    }
  }
}

std::string_view IrcFace::renderedFor(Client& to, const Client& author, const Room& room,
                                      std::string_view text, std::int64_t unix_s) {
  Rendered& r = rendered_;
  const std::string_view command = author.face == this ? relaying_ : kPrivmsg;
  if (r.author != author.id || r.unix_s != unix_s || r.room != room.name || r.name != author.name ||
      r.command != command || r.text != text) {
    r.command = std::string(command);
    r.author = author.id;
    r.room = room.name;
    r.name = author.name;
    r.text = std::string(text);
    r.unix_s = unix_s;
    r.plain.clear();
    r.timed.clear();
  }
  const bool timed = session(to).server_time;
  std::string& lines = timed ? r.timed : r.plain;
  if (lines.empty())
    render(lines, timed, command, maskOf(author), channelOf(room), author.name, text, unix_s);
  return lines;
}

// --- names --------------------------------------------------------------------------------------

std::string IrcFace::nickOf(const Client& client) const { return nickForName(client.name); }

// An IRC client's real name as its USER gave it; anyone else's is their name.
std::string IrcFace::realnameOf(const Client& client) const {
  return client.face == this ? session(client).realname : client.name;
}

std::string_view IrcFace::userOf(const Client& client) const {
  if (client.face == this) return session(client).user;
  if (client.peer.compare(0, kWebPeer.size(), kWebPeer) == 0) return kWebUser;
  return kNetcatUser;
}

std::string IrcFace::maskFor(std::string_view name, std::string_view user) const {
  return nickForName(name) + "!" + std::string(user) + "@" + settings_.server_name;
}

std::string IrcFace::maskOf(const Client& client) const {
  return maskFor(client.name, userOf(client));
}

// How numerics address the client: its nick, or "*" before it has one.
std::string IrcFace::myNick(const Client& client) const {
  return client.name.empty() ? std::string(r::kNoNickYet) : nickOf(client);
}

std::string IrcFace::channelOf(const Room& room) {
  return std::string(1, kChannelMark) + room.name;
}

Room* IrcFace::channelNamed(std::string_view channel) const {
  if (channel.size() < 2 || channel.front() != kChannelMark) return nullptr;
  return chat_.findRoom(channel.substr(1));
}

Client* IrcFace::clientForNick(std::string_view nick) const {
  const std::optional<std::string> name = nameForNick(nick);
  return name ? chat_.clientNamed(*name) : nullptr;
}

bool IrcFace::isMemberOf(const Client& client, const Room& room) {
  return std::find(client.channels.begin(), client.channels.end(), &room) != client.channels.end();
}

}  // namespace faces::irc
