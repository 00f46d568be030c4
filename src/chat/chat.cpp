// Chat rules of docs/PROTOCOL.md §4–§10: every event in, every byte a client sees out, in one
// global order.
#include "chat/chat.hpp"

#include <algorithm>
#include <utility>

#include "chat/chat_state.hpp"
#include "chat/face.hpp"
#include "chat/http_line.hpp"
#include "chat/log_format.hpp"
#include "chat/password.hpp"
#include "chat/peer_address.hpp"
#include "chat/protocol.hpp"
#include "chat/text.hpp"

namespace chat {

namespace p = protocol;

Chat::Chat(Settings settings, EventLog& events, Journal* journal)
    : settings_(settings), events_(events), journal_(journal) {
  journal_room_ = &createRoom(p::kDefaultRoom);
}

Chat::~Chat() = default;

// --- lookup -------------------------------------------------------------------------------------

Chat::Client* Chat::find(ClientId id) const {
  const auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second.get();
}

Chat::Room* Chat::findRoom(std::string_view name) const {
  const auto it = rooms_by_key_.find(text::asciiLower(name));
  return it == rooms_by_key_.end() ? nullptr : it->second;
}

Chat::Room& Chat::createRoom(std::string_view name) {
  rooms_.push_back(std::make_unique<Room>(name, settings_.history));
  Room& room = *rooms_.back();
  rooms_by_key_.emplace(room.key, &room);
  return room;
}

void Chat::dropRoomIfUnused(Room& room) {
  if (room.key == p::kDefaultRoom || !room.members.empty() || room.arriving != 0 ||
      !room.history.empty()) {
    return;
  }
  if (journal_room_ == &room) journal_room_ = nullptr;
  rooms_by_key_.erase(room.key);
  rooms_.erase(std::find_if(rooms_.begin(), rooms_.end(),
                            [&](const auto& owned) { return owned.get() == &room; }));
}

std::string Chat::nameOf(ClientId id) const {
  const Client* client = find(id);
  return client ? client->name : std::string();
}

std::size_t Chat::inputHeld(ClientId id) const {
  const Client* client = find(id);
  return client ? client->held_input.size() + client->reader.buffered() : 0;
}

bool Chat::ignores(ClientId who, ClientId whom) const {
  const Client* ignorer = find(who);
  const Client* ignored = find(whom);
  return ignorer != nullptr && ignored != nullptr && ignoresClient(*ignorer, *ignored);
}

std::string Chat::describe(const Client& client) const {
  std::string label = "#" + std::to_string(client.id) + " " + client.peer;
  if (!client.name.empty()) label += " \"" + client.name + "\"";
  return label;
}

// --- events in ----------------------------------------------------------------------------------

void Chat::restoreHistory(std::string_view room_name, std::string_view line) {
  Room* room = findRoom(room_name);
  if (room == nullptr) {
    if (rooms_.size() >= kMaxRooms) return;
    room = &createRoom(room_name);
  }
  room->history.add(line);
  journal_room_ = room;
}

void Chat::resumeJournal(std::string_view room) { journal_room_ = findRoom(room); }

Admission Chat::connect(ClientId id, std::string_view peer, const Now& now, Face* face) {
  clock_ms_ = now.ms;
  const std::string label = "#" + std::to_string(id) + " " + std::string(peer);
  std::string address = peerAddress(peer);
  if (!settings_.password.empty() && guesses_.lockedOut(GuessLimit::keyOf(address), now.ms)) {
    events_.event(label + " refused: too many wrong passwords from " + address);
    return Admission{p::kTooManyWrongPasswords};
  }
  const auto same_address = per_address_.find(address);
  if (settings_.max_per_address > 0 && same_address != per_address_.end() &&
      same_address->second >= settings_.max_per_address) {
    events_.event(label + " rejected: too many connections from " + address + " (" +
                  std::to_string(settings_.max_per_address) + " at once)");
    return Admission{p::kTooManyFromAddress};
  }
  if (clients_.size() >= settings_.max_clients) {
    events_.event(label + " rejected: chat is full (" + std::to_string(settings_.max_clients) +
                  " connections)");
    return Admission{p::kChatFull};
  }
  auto owned = std::make_unique<Client>();
  Client& client = *owned;
  client.id = id;
  client.peer = std::string(peer);
  client.address = std::move(address);
  ++per_address_[client.address];
  client.gate = FloodGate(settings_.rate, settings_.burst);
  client.name_deadline_ms = now.ms + settings_.name_timeout_ms;
  client.face = face;
  if (face != nullptr) {
    // A face registers its clients its own way; the deadline of the prompts covers it too.
    client.phase = Phase::Naming;
  } else {
    client.phase = settings_.password.empty() ? Phase::Naming : Phase::Password;
    client.out.append(p::kWelcome);
    client.out.append(client.phase == Phase::Password ? p::kPasswordPrompt : p::kNamePrompt);
  }
  clients_.emplace(id, std::move(owned));
  events_.event(describe(client) + " connected");
  if (face != nullptr) face->greet(client, now);
  return Admission{};
}

void Chat::receive(ClientId id, std::string_view bytes, const Now& now) {
  clock_ms_ = now.ms;
  Client* client = find(id);
  if (client == nullptr || client->doomed) return;
  if (client->face != nullptr) {
    if (holdsInput(*client)) {
      client->held_input.append(bytes);
    } else {
      feed(*client, bytes, now);
    }
    return settle(now);
  }
  const std::string_view data = client->telnet.filter(bytes, telnet_scratch_);
  if (client->telnet.hasAnswers()) queue(*client, client->telnet.takeAnswers());
  if (holdsInput(*client)) {
    client->held_input.append(data);
  } else {
    feed(*client, data, now);
  }
  if (client->telnet.interrupted()) quit(*client, "interrupted (telnet IP)");
  settle(now);
}

void Chat::disconnected(ClientId id, std::string_view why, const Now& now) {
  Client* client = find(id);
  if (client == nullptr) return;
  client->socket_gone = true;
  if (!client->doomed) doom(*client, why, true);
  settle(now);
}

void Chat::tick(const Now& now) {
  clock_ms_ = now.ms;
  releaseHeldInput(now);
  for (auto& [id, client] : clients_) {
    if (atPrompt(*client) && !client->doomed && now.ms >= client->name_deadline_ms) {
      if (client->face != nullptr) {
        client->face->farewell(*client, Face::Farewell::TimedOut);
        doom(*client, "timed out registering", false);
        continue;
      }
      const bool password = client->phase == Phase::Password;
      client->out.append(password ? p::kPasswordTimedOut : p::kNameTimedOut);
      doom(*client,
           password ? "timed out waiting for the password" : "timed out waiting for a name", false);
    }
  }
  settle(now);
}

// The log ends as the chat did: the shutdown, then the leave of everyone still in a room, so
// that it tells who was there to the end.
void Chat::shutdown(const Now& now) {
  shutting_down_ = true;
  events_.event("shutting down: telling " + std::to_string(clients_.size()) + " client(s)");
  writeJournal(std::string("[").append(now.stamp).append("] ").append(p::kShutdownRecord));
  for (const auto& room : rooms_) {
    for (const Client* member : room->members) {
      record(*room, std::string("[")
                        .append(now.stamp)
                        .append("] ")
                        .append(member->name)
                        .append(p::kLeftSuffix));
    }
  }
  for (auto& [id, client] : clients_) {
    if (client->doomed) continue;
    if (client->face != nullptr) {
      client->face->farewell(*client, Face::Farewell::ShuttingDown);
    } else {
      client->out.append(p::kShuttingDown);
    }
    doom(*client, "server shutting down", false);
  }
  settle(now);
}

std::string_view Chat::pending(ClientId id) const {
  const Client* client = find(id);
  return client ? client->out.pending() : std::string_view();
}

void Chat::sent(ClientId id, std::size_t bytes, const Now& now) {
  Client* client = find(id);
  if (client == nullptr) return;
  client->out.consume(bytes);
  if (client->phase == Phase::Replaying && !client->doomed) pumpReplay(*client, now);
  settle(now);
}

bool Chat::wantsInput(ClientId id) const {
  const Client* client = find(id);
  return client != nullptr && !client->doomed && !holdsInput(*client) &&
         client->gate.allows(clock_ms_);
}

std::vector<Departure> Chat::takeDepartures() { return std::exchange(departures_, {}); }

std::int64_t Chat::nextDeadline() const {
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  for (const auto& [id, client] : clients_) {
    if (atPrompt(*client)) next = std::min(next, client->name_deadline_ms);
    // Held lines are taken up, and the socket read again, when the next line is allowed.
    if (!client->doomed && client->phase != Phase::Replaying &&
        (!client->held_input.empty() || !client->gate.allows(clock_ms_))) {
      next = std::min(next, client->gate.nextAllowedMs());
    }
  }
  return next;
}

// --- input --------------------------------------------------------------------------------------

// Every line counts against the flood allowance, whatever it is: a name, a command, a message,
// a blank line or one too long; each gets an answer, so each costs the others something.
void Chat::feed(Client& client, std::string_view bytes, const Now& now) {
  if (!client.gate.allows(now.ms)) {
    client.held_input.append(bytes);
    return;
  }
  if (client.face != nullptr) {
    const std::size_t taken = client.face->feed(client, bytes, now);
    if (taken < bytes.size() && !client.doomed) client.held_input.append(bytes.substr(taken));
    return;
  }
  const std::size_t used = client.reader.feed(
      bytes,
      [&](std::string_view line) {
        client.gate.take(now.ms);
        return handleLine(client, line, now) && client.gate.allows(now.ms);
      },
      [&] {
        client.gate.take(now.ms);
        handleTooLong(client, now);
        return !client.doomed && client.gate.allows(now.ms);
      });
  // Stopped early: a replay started or the allowance ran out (keep the rest for later), or the
  // client is leaving.
  if (used < bytes.size() && !client.doomed) client.held_input.append(bytes.substr(used));
}

bool Chat::holdsInput(const Client& client) const {
  return client.phase == Phase::Replaying || !client.held_input.empty();
}

// Lines held back by flood control go on as soon as the allowance lets them, before anything the
// client sends later, which still waits in its socket.
void Chat::releaseHeldInput(const Now& now) {
  for (auto& [id, client] : clients_) {
    if (client->doomed || client->phase == Phase::Replaying || client->held_input.empty() ||
        !client->gate.allows(now.ms)) {
      continue;
    }
    const std::string held = std::exchange(client->held_input, {});
    feed(*client, held, now);
  }
}

// Returns whether to go on reading this client's input now.
bool Chat::handleLine(Client& client, std::string_view line, const Now& now) {
  // A browser that some web page sent to the chat port, and whose request came too late to be
  // answered as HTTP: nothing of it is a password or a name, and there is no one to answer.
  if (atPrompt(client) && !std::exchange(client.answered_prompt, true) && isHttpRequestLine(line)) {
    client.out.take();
    doom(client, "sent an HTTP request to the chat port", false);
    return false;
  }
  if (client.phase == Phase::Password) {
    handlePassword(client, line, now);
  } else if (client.phase == Phase::Naming) {
    handleName(client, line, now);
  } else if (line.substr(0, 1) == "/" && line.substr(0, 2) != "//") {
    // A command gets the line as typed: /name and /join refuse control characters by the name
    // rules, where cleaning them out first would quietly accept a different name.
    handleCommand(client, line, now);
  } else {
    text_scratch_.clear();
    text::sanitizeMessage(line, text_scratch_);
    std::string_view text = text_scratch_;
    if (text.substr(0, 2) == "//") text.remove_prefix(1);
    handleMessage(client, text, now);
  }
  return !client.doomed && client.phase != Phase::Replaying;
}

void Chat::handleTooLong(Client& client, const Now& now) {
  client.answered_prompt = true;
  if (client.phase == Phase::Password) {
    refusePassword(client, now);  // no password is that long
  } else if (client.phase == Phase::Naming) {
    queue(client, p::kNameTooLong);
    queue(client, p::kNamePrompt);
  } else {
    queueWithPrompt(client, p::kMessageTooLong, now);
  }
}

// The reply refusing `typed` as a name for `client`, or empty when `name` (trimmed and repaired)
// may be used; a client's own name, in any case, is not taken for it.
std::string_view Chat::refuseName(const Client& client, std::string_view typed,
                                  std::string& name) const {
  name.clear();
  text::repairUtf8(text::trimBlanks(typed), name);
  switch (text::judgeName(name, kMaxNameCodePoints)) {
    case text::NameVerdict::Empty:
      return p::kNameEmpty;
    case text::NameVerdict::TooLong:
      return p::kNameTooLong;
    case text::NameVerdict::BadCharacters:
      return p::kNameBadChars;
    case text::NameVerdict::Ok:
      break;
  }
  const std::string key = text::asciiLower(name);
  if (key != client.name_key && taken_names_.count(key) != 0) return p::kNameTaken;
  return {};
}

void Chat::handlePassword(Client& client, std::string_view line, const Now& now) {
  if (!passwordMatches(settings_.password, line)) return refusePassword(client, now);
  client.phase = Phase::Naming;
  queue(client, p::kNamePrompt);
}

// One try per connection. The log line names the address on its own, in the form the fail2ban
// filter of the package matches (docs/PROTOCOL.md).
void Chat::refusePassword(Client& client, const Now& now) {
  queue(client, p::kWrongPassword);
  events_.event(describe(client) + " wrong password from " + client.address);
  const std::string key = GuessLimit::keyOf(client.address);
  if (guesses_.wrong(key, now.ms)) {
    events_.event("too many wrong passwords from " + key + ": refused for " +
                  std::to_string(GuessLimit::kLockoutMs / 60000) + " minutes");
  }
  doom(client, "wrong password", false);
}

bool Chat::atPrompt(const Client& client) {
  return client.phase == Phase::Password || client.phase == Phase::Naming;
}

void Chat::handleName(Client& client, std::string_view line, const Now& now) {
  std::string name;
  const std::string_view refusal = refuseName(client, line, name);
  if (!refusal.empty()) {
    queue(client, refusal);
    queue(client, p::kNamePrompt);
    return;
  }
  setName(client, std::move(name));
  enterRoom(client, *findRoom(p::kDefaultRoom), now);
}

void Chat::handleMessage(Client& client, std::string_view text, const Now& now) {
  if (text::isBlank(text)) {
    queueWithPrompt(client, {}, now);
    return;
  }
  say(client, *client.room, text, now);
  queueWithPrompt(client, {}, now);
}

void Chat::say(Client& author, Room& room, std::string_view text, const Now& now) {
  // Formatted once for all recipients; the history line is the same bytes without the framing
  // newlines.
  framed_.clear();
  framed_.append("\n[").append(now.stamp).append("][").append(author.name).append("]:");
  framed_.append(text).push_back('\n');
  const std::string_view line = std::string_view(framed_).substr(1, framed_.size() - 2);
  record(room, line);
  room.history.add(line);
  tellRoomFrom(room, author, framed_, text, now);
}

// --- joining and leaving rooms ------------------------------------------------------------------

void Chat::enterRoom(Client& client, Room& room, const Now& now) {
  client.room = &room;
  client.phase = Phase::Replaying;
  client.replay_seq = room.history.beginSeq();
  ++room.arriving;
  pumpReplay(client, now);
}

void Chat::pumpReplay(Client& client, const Now& now) {
  const History& history = client.room->history;
  client.replay_seq = std::max(client.replay_seq, history.beginSeq());
  while (client.replay_seq < history.endSeq() && client.out.size() < kReplayWindow) {
    client.out.append(history.at(client.replay_seq++));
    client.out.append('\n');
  }
  if (client.replay_seq == history.endSeq()) finishJoin(client, now);
}

// The join takes effect, for everyone, once the newcomer has the whole history: messages sent
// meanwhile reached it through the history, so no one sees events in a different order.
void Chat::finishJoin(Client& client, const Now& now) {
  Room& room = *client.room;
  --room.arriving;
  room.members.push_back(&client);
  if (!client.ignoring.empty()) ++room.ignorers;
  client.phase = Phase::Chatting;
  queueWithPrompt(client, {}, now);
  events_.event(describe(client) + " joined " + room.name);
  announce(room, client, client.name + std::string(p::kJoinedSuffix),
           Happening{Happening::Kind::Joined, ++happenings_}, now);
  if (!client.held_input.empty() && !client.doomed) {
    const std::string held = std::exchange(client.held_input, {});
    feed(client, held, now);
  }
}

// `notice` tells the rest of the room (unless the server is going away: then everyone has been
// told already and the log has the leaves); a face shows a move as a part, a leave as a quit.
void Chat::leaveRoom(Client& client, std::string_view notice, const Now& now) {
  const Happening what{client.doomed ? Happening::Kind::Quit : Happening::Kind::Parted,
                       ++happenings_};
  Room& room = *client.room;
  if (client.phase == Phase::Replaying) {
    --room.arriving;
  } else if (client.phase == Phase::Chatting) {
    dropMember(room, client);
    if (!shutting_down_) announce(room, client, notice, what, now);
  }
  client.room = nullptr;
  dropRoomIfUnused(room);
}

// --- what a face does for its clients ----------------------------------------------------------

std::string_view Chat::claimName(Client& client, std::string_view typed, const Now& now) {
  std::string name;
  const std::string_view refusal = refuseName(client, typed, name);
  if (!refusal.empty()) return refusal;
  if (name == client.name) return {};
  if (client.name.empty() || client.phase != Phase::Chatting) {
    setName(client, std::move(name));
  } else {
    rename(client, std::move(name), now);
  }
  return {};
}

// The name and its key in the one namespace of names (and nicks); the prompt follows.
void Chat::setName(Client& client, std::string name) {
  if (!client.name_key.empty()) taken_names_.erase(client.name_key);
  client.name = std::move(name);
  client.name_key = text::asciiLower(client.name);
  taken_names_.insert(client.name_key);
  client.prompt.clear();
}

// /name, or a face's rename: every room the client is in is told, a face's client once.
void Chat::rename(Client& client, std::string name, const Now& now) {
  events_.event(describe(client) + " renamed to \"" + name + "\"");
  const std::string old = client.name;
  setName(client, std::move(name));
  const std::string notice = old + std::string(p::kRenamedMiddle) + client.name + ".";
  const Happening what{Happening::Kind::Renamed, ++happenings_, old};
  if (client.room != nullptr) announce(*client.room, client, notice, what, now);
  for (Room* room : client.channels) announce(*room, client, notice, what, now);
}

bool Chat::checkPassword(Client& client, std::string_view password, const Now& now) {
  if (settings_.password.empty() || passwordMatches(settings_.password, password)) return true;
  events_.event(describe(client) + " wrong password from " + client.address);
  const std::string key = GuessLimit::keyOf(client.address);
  if (guesses_.wrong(key, now.ms)) {
    events_.event("too many wrong passwords from " + key + ": refused for " +
                  std::to_string(GuessLimit::kLockoutMs / 60000) + " minutes");
  }
  doom(client, "wrong password", false);
  return false;
}

void Chat::registered(Client& client, const Now&) {
  client.phase = Phase::Chatting;
  events_.event(describe(client) + " registered");
}

Chat::Room* Chat::openRoom(std::string_view typed, std::string_view& refusal) {
  refusal = {};
  std::string name;
  text::repairUtf8(text::trimBlanks(typed), name);
  switch (text::judgeName(name, kMaxRoomCodePoints)) {
    case text::NameVerdict::Empty:
      refusal = p::kRoomEmpty;
      return nullptr;
    case text::NameVerdict::TooLong:
      refusal = p::kRoomTooLong;
      return nullptr;
    case text::NameVerdict::BadCharacters:
      refusal = p::kRoomBadChars;
      return nullptr;
    case text::NameVerdict::Ok:
      break;
  }
  if (Room* room = findRoom(name)) return room;
  if (rooms_.size() >= kMaxRooms) {
    refusal = p::kTooManyRooms;
    return nullptr;
  }
  return &createRoom(name);
}

void Chat::enterChannel(Client& client, Room& room, const Now& now) {
  if (std::find(client.channels.begin(), client.channels.end(), &room) != client.channels.end()) {
    return;
  }
  client.channels.push_back(&room);
  room.members.push_back(&client);
  ++room.faced;
  events_.event(describe(client) + " joined " + room.name);
  announce(room, client, client.name + std::string(p::kJoinedSuffix),
           Happening{Happening::Kind::Joined, ++happenings_}, now);
}

void Chat::leaveChannel(Client& client, Room& room, const Now& now) {
  const auto it = std::find(client.channels.begin(), client.channels.end(), &room);
  if (it == client.channels.end()) return;
  client.channels.erase(it);
  dropMember(room, client);
  events_.event(describe(client) + " left " + room.name);
  announce(room, client, client.name + std::string(p::kLeftSuffix),
           Happening{Happening::Kind::Parted, ++happenings_}, now);
  dropRoomIfUnused(room);
}

void Chat::dropMember(Room& room, Client& client) {
  room.members.erase(std::find(room.members.begin(), room.members.end(), &client));
  if (client.face != nullptr) --room.faced;
  if (!client.ignoring.empty()) --room.ignorers;
}

// The operator learns that a private message was sent, never what it said; one the recipient
// ignores is dropped unseen, and the sender is not told (docs/PROTOCOL.md §7).
void Chat::whisper(Client& sender, Client& recipient, std::string_view text, const Now& now) {
  events_.event(describe(sender) + " sent a private message to " + describe(recipient));
  if (ignoresClient(recipient, sender)) return;
  if (recipient.face != nullptr) return recipient.face->whispered(recipient, sender, text, now);
  std::string line("\n[");
  line.append(now.stamp).append("][").append(sender.name).append(p::kPrivateMark);
  queueWithPrompt(recipient, line.append(text).append("\n"), now);
}

Chat::Client* Chat::clientNamed(std::string_view name) const {
  for (const auto& [id, candidate] : clients_) {
    if (!candidate->name.empty() && text::equalsIgnoringAsciiCase(candidate->name, name)) {
      return candidate.get();
    }
  }
  return nullptr;
}

// --- output -------------------------------------------------------------------------------------

void Chat::queue(Client& client, std::string_view bytes) {
  if (client.doomed) return;
  if (client.out.size() + bytes.size() > kMaxQueuedBytes) {
    doom(client, "too slow (output queue full)", true);
    return;
  }
  client.out.append(bytes);
}

void Chat::queueWithPrompt(Client& client, std::string_view bytes, const Now& now) {
  if (client.doomed) return;
  const std::string& prompt = promptOf(client, now);
  if (client.out.size() + bytes.size() + prompt.size() > kMaxQueuedBytes) {
    doom(client, "too slow (output queue full)", true);
    return;
  }
  client.out.append(bytes);
  client.out.append(prompt);
}

// "[<ts>][<name>]:", rebuilt only when the second or the name changes: a broadcast appends it
// for every recipient, so building it piece by piece each time was most of the chat's own work.
const std::string& Chat::promptOf(Client& client, const Now& now) {
  const std::string& prompt = client.prompt;
  if (prompt.size() < 1 + now.stamp.size() || prompt.compare(1, now.stamp.size(), now.stamp) != 0) {
    client.prompt.assign("[").append(now.stamp).append("][").append(client.name).append("]:");
  }
  return client.prompt;
}

void Chat::tellRoom(Room& room, const Client* except, std::string_view framed, const Now& now) {
  for (Client* member : room.members) {
    if (member != except) queueWithPrompt(*member, framed, now);
  }
}

// A message by `author`: in a room where nobody ignores anyone and everyone speaks netcat (the
// usual case) it costs what any broadcast costs; otherwise only the members who ignore someone
// have their set checked, and members with a face get `text` from it.
void Chat::tellRoomFrom(Room& room, const Client& author, std::string_view framed,
                        std::string_view text, const Now& now) {
  if (room.ignorers == 0 && room.faced == 0) return tellRoom(room, &author, framed, now);
  for (Client* member : room.members) {
    if (member == &author || ignoresClient(*member, author) || member->doomed) continue;
    if (member->face != nullptr) {
      member->face->said(*member, author, room, text, now);
    } else {
      queueWithPrompt(*member, framed, now);
    }
  }
}

// A join, leave, move or rename: logged as "[ts] <notice>", shown to the rest of the room as
// "\n<notice>\n" and a fresh prompt, or by their face, once per happening.
void Chat::announce(Room& room, const Client& subject, std::string_view notice,
                    const Happening& what, const Now& now) {
  record(room, std::string("[").append(now.stamp).append("] ").append(notice));
  const std::string framed = std::string("\n").append(notice).append("\n");
  for (Client* member : room.members) {
    if (member == &subject || member->doomed) continue;
    if (member->face == nullptr) {
      queueWithPrompt(*member, framed, now);
    } else if (member->last_happening != what.serial) {
      member->last_happening = what.serial;
      member->face->happened(*member, subject, room, what, now);
    }
  }
}

void Chat::record(Room& room, std::string_view line) {
  if (journal_ == nullptr) return;
  if (journal_room_ != &room) {
    if (!writeJournal(std::string(log_format::kRoomMarker).append(room.name))) return;
    journal_room_ = &room;
  }
  writeJournal(line);
}

// A line of no room in particular, or the room marker before one.
bool Chat::writeJournal(std::string_view line) {
  if (journal_ == nullptr) return true;
  std::string why;
  const bool ok = journal_->append(line, why);
  if (!ok && !journal_failing_) events_.event("error: cannot write the chat log: " + why);
  if (ok && journal_failing_) events_.event("the chat log is being written again");
  journal_failing_ = !ok;
  return ok;
}

// --- ignoring ----------------------------------------------------------------------------------

bool Chat::isMember(const Client& client) {
  return client.room != nullptr && client.phase == Phase::Chatting;
}

bool Chat::ignoresClient(const Client& who, const Client& whom) {
  return !who.ignoring.empty() && who.ignoring.count(&whom) != 0;
}

// A member of a room counts among its room's ignorers from its first entry to its last.
void Chat::startIgnoring(Client& who, Client& whom) {
  if (who.ignoring.empty() && isMember(who)) ++who.room->ignorers;
  who.ignoring.insert(&whom);
  whom.ignored_by.insert(&who);
}

void Chat::stopIgnoring(Client& who, Client& whom) {
  if (who.ignoring.erase(&whom) == 0) return;
  whom.ignored_by.erase(&who);
  if (who.ignoring.empty() && isMember(who)) --who.room->ignorers;
}

// A client that leaves ends every pair it is part of, on both sides.
void Chat::forgetIgnores(Client& client) {
  while (!client.ignored_by.empty()) stopIgnoring(**client.ignored_by.begin(), client);
  while (!client.ignoring.empty()) {
    stopIgnoring(client, *find((*client.ignoring.begin())->id));
  }
}

// --- leaving ------------------------------------------------------------------------------------

// /quit, or telnet's interrupt: a goodbye, so that the person sees the chat let them go.
void Chat::quit(Client& client, std::string_view why) {
  if (client.doomed) return;
  queue(client, p::kGoodbye);
  doom(client, why, false);
}

// Clients are never removed in the middle of handling an event (a broadcast may be iterating over
// them, a LineReader may be running); they are marked here and removed by settle().
void Chat::doom(Client& client, std::string_view why, bool abort) {
  if (client.doomed) return;
  client.doomed = true;
  client.abort = abort;
  client.why = std::string(why);
  doomed_.push_back(client.id);
}

void Chat::settle(const Now& now) {
  while (!doomed_.empty()) {
    const ClientId id = doomed_.back();
    doomed_.pop_back();
    if (Client* client = find(id)) remove(*client, now);
  }
}

void Chat::remove(Client& client, const Now& now) {
  const char* where = client.phase == Phase::Naming && client.face != nullptr ? " registering"
                      : client.phase == Phase::Naming   ? " at the name prompt"
                      : client.phase == Phase::Password ? " at the password prompt"
                                                        : "";
  events_.event(describe(client) + " left" + where + ": " + client.why);
  forgetIgnores(client);
  if (client.room != nullptr) leaveRoom(client, client.name + std::string(p::kLeftSuffix), now);
  if (!client.channels.empty()) {
    const Happening quit{Happening::Kind::Quit, ++happenings_};
    while (!client.channels.empty()) {
      Room& room = *client.channels.back();
      client.channels.pop_back();
      dropMember(room, client);
      if (!shutting_down_) {
        announce(room, client, client.name + std::string(p::kLeftSuffix), quit, now);
      }
      dropRoomIfUnused(room);
    }
  }
  if (!client.name_key.empty()) taken_names_.erase(client.name_key);
  if (const auto same = per_address_.find(client.address);
      same != per_address_.end() && --same->second == 0) {
    per_address_.erase(same);
  }
  if (!client.socket_gone) {
    departures_.push_back(
        Departure{client.id, client.abort ? std::string() : client.out.take(), client.abort});
  }
  clients_.erase(client.id);
}

}  // namespace chat
