// The chat itself: people, names, rooms, history and commands, driven by events, with no sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chat/flood_gate.hpp"
#include "chat/guess_limit.hpp"
#include "chat/history.hpp"
#include "chat/line_reader.hpp"
#include "chat/outbox.hpp"
#include "chat/telnet_filter.hpp"

namespace chat {

struct Commands;
class Face;

// A connection's identity for its whole life; never reused, unlike socket numbers.
using ClientId = std::uint64_t;

// Limits fixed by docs/PROTOCOL.md; the ones a user can change come from the command line.
inline constexpr std::size_t kMaxLineBytes = 4096;
inline constexpr std::size_t kMaxNameCodePoints = 32;
inline constexpr std::size_t kMaxRoomCodePoints = 24;
// Live traffic a client may leave unread before it is dropped as too slow.
inline constexpr std::size_t kMaxQueuedBytes = 1024 * 1024;
// History replay is topped up to this much queued output, so any history size streams through a
// bounded buffer as the client reads.
inline constexpr std::size_t kReplayWindow = 256 * 1024;
// Rooms are kept with their history; their number is bounded so memory is.
inline constexpr std::size_t kMaxRooms = 100;

struct Settings {
  std::size_t max_clients = 10;
  std::size_t history = 10000;
  std::int64_t name_timeout_ms = 60 * 1000;
  // Flood control (docs/PROTOCOL.md §10.1): lines a client may send at once, then lines per second;
  // 0 is off.
  double rate = 2.0;
  std::size_t burst = 20;
  // Connections at once from one IP address; 0 is no limit.
  std::size_t max_per_address = 0;
  // The chat's password (--password-file); empty: none, and nobody is asked.
  std::string password{};
};

// The answer to a new connection: admitted, or the line it is sent before it is closed. True when
// admitted, so `if (!chat.connect(...))` reads as it did when the answer was a bool.
struct Admission {
  std::string_view refusal;  // empty when admitted
  operator bool() const { return refusal.empty(); }
};

// The moment of an event as the server saw it.
struct Now {
  std::int64_t ms = 0;      // monotonic milliseconds, for timeouts
  std::string_view stamp;   // local time "YYYY-MM-DD HH:MM:SS", for what people read
  std::int64_t unix_s = 0;  // the same second in UTC, since 1970 (0: unknown, read `stamp`)
};

// The operator's log: one line per event, the caller adds the time.
class EventLog {
 public:
  virtual ~EventLog() = default;
  virtual void event(std::string_view text) = 0;
};

// The persistent chat log: each line must be written through before the chat goes on.
class Journal {
 public:
  virtual ~Journal() = default;
  // Returns false, with the reason in `why`, when the line could not be written.
  virtual bool append(std::string_view line, std::string& why) = 0;
};

// A join, leave or rename, as the chat tells faces of it (netcat clients get `notice` lines).
struct Happening {
  enum class Kind { Joined, Parted, Quit, Renamed };
  Kind kind = Kind::Joined;
  // The same for every room one happening is told in, so a face shows it once per client.
  std::uint64_t serial = 0;
  std::string_view old_name{};  // Renamed: the name before
};

// A client the chat is done with. Unless `abort`, `farewell` is sent before the socket closes.
struct Departure {
  ClientId id = 0;
  std::string farewell;
  bool abort = false;
};

class Chat {
 public:
  // What the chat knows of a client and of a room (chat_state.hpp): faces read them.
  struct Client;
  struct Room;

  Chat(Settings settings, EventLog& events, Journal* journal = nullptr);
  ~Chat();
  Chat(const Chat&) = delete;
  Chat& operator=(const Chat&) = delete;

  // Puts a chat line `[ts][name]:text` back into a room's history at start-up (from the log).
  void restoreHistory(std::string_view room, std::string_view line);
  // The room the existing log's last records belong to, so the next record names its room when
  // it differs.
  void resumeJournal(std::string_view room);

  // A new connection from `peer` ("address:port"). Refused when the chat is full or its address
  // has --max-per-address connections already: the caller sends the refusal and closes it; the
  // chat keeps nothing of it.
  // `face`: the way in when it is not netcat (face.hpp); it greets the client and reads its bytes.
  Admission connect(ClientId id, std::string_view peer, const Now& now, Face* face = nullptr);
  // Bytes the client sent. Call only while wantsInput(id).
  void receive(ClientId id, std::string_view bytes, const Now& now);
  // The connection ended from the client's side (EOF, reset, error): it is forgotten, others
  // are told, and no Departure is produced for it.
  void disconnected(ClientId id, std::string_view why, const Now& now);
  // Timeouts, and input held back by flood control; call at least at nextDeadline().
  void tick(const Now& now);
  // Tells everyone the server is going away; every client becomes a Departure.
  void shutdown(const Now& now);

  // Output waiting for the client; valid until the next call into the chat.
  std::string_view pending(ClientId id) const;
  // `bytes` of pending(id) reached the socket.
  void sent(ClientId id, std::size_t bytes, const Now& now);
  // False while the client's history replay is still streaming, and while flood control holds
  // its lines back (docs/PROTOCOL.md §10.1): meanwhile its input waits in the socket.
  bool wantsInput(ClientId id) const;
  std::vector<Departure> takeDepartures();
  std::int64_t nextDeadline() const;

  // --- What a face (face.hpp) does for its clients: the chat's rules, whatever the way in. ---
  // Gives `client` the name, or says why not (the same replies as the name prompt's); a client
  // that has a name already is renamed, and every room it is in is told.
  std::string_view claimName(Client& client, std::string_view name, const Now& now);
  // True when `password` is the chat's; otherwise the wrong guess is counted and logged and the
  // client is let go (its face has queued its answer first).
  bool checkPassword(Client& client, std::string_view password, const Now& now);
  // Named and through any password: the client takes part from now on.
  void registered(Client& client, const Now& now);
  // The room of that name, made when there is none and the rules allow (or the refusal).
  Room* openRoom(std::string_view name, std::string_view& refusal);
  Room* findRoom(std::string_view name) const;
  // A face's client enters or leaves one room, keeping the others.
  void enterChannel(Client& client, Room& room, const Now& now);
  void leaveChannel(Client& client, Room& room, const Now& now);
  // A message in a room, or to one person.
  void say(Client& author, Room& room, std::string_view text, const Now& now);
  void whisper(Client& sender, Client& recipient, std::string_view text, const Now& now);
  // The named client called `name` (ignoring ASCII case), or null.
  Client* clientNamed(std::string_view name) const;
  template <typename Visit>
  void forEachClient(const Visit& visit) const {
    for (const auto& entry : clients_) visit(*entry.second);
  }
  const std::vector<std::unique_ptr<Room>>& rooms() const { return rooms_; }
  const Settings& settings() const { return settings_; }
  // Output for the client, bounded like every client's (too slow: it is let go).
  void queueFor(Client& client, std::string_view bytes) { queue(client, bytes); }
  // The client leaves after what is queued for it (`why` is for the log).
  void letGo(Client& client, std::string_view why) { doom(client, why, false); }

  // Introspection for tests and the fuzzer.
  std::size_t clientCount() const { return clients_.size(); }
  std::size_t roomCount() const { return rooms_.size(); }
  bool isConnected(ClientId id) const { return clients_.count(id) != 0; }
  std::string nameOf(ClientId id) const;
  std::size_t inputHeld(ClientId id) const;
  bool ignores(ClientId who, ClientId whom) const;

 private:
  enum class Phase { Password, Naming, Replaying, Chatting };
  // The command handlers (commands.cpp): the chat's own rules, kept apart from its event flow.
  friend struct Commands;

  Client* find(ClientId id) const;
  Room& createRoom(std::string_view name);
  void dropRoomIfUnused(Room& room);

  void feed(Client& client, std::string_view bytes, const Now& now);
  bool holdsInput(const Client& client) const;
  void releaseHeldInput(const Now& now);
  bool handleLine(Client& client, std::string_view line, const Now& now);
  void handleTooLong(Client& client, const Now& now);
  std::string_view refuseName(const Client& client, std::string_view typed,
                              std::string& name) const;
  void handlePassword(Client& client, std::string_view line, const Now& now);
  void refusePassword(Client& client, const Now& now);
  void handleName(Client& client, std::string_view line, const Now& now);
  void setName(Client& client, std::string name);
  void rename(Client& client, std::string name, const Now& now);
  static bool atPrompt(const Client& client);
  void handleCommand(Client& client, std::string_view command, const Now& now);
  void handleMessage(Client& client, std::string_view text, const Now& now);

  void enterRoom(Client& client, Room& room, const Now& now);
  void pumpReplay(Client& client, const Now& now);
  void finishJoin(Client& client, const Now& now);
  void leaveRoom(Client& client, std::string_view notice, const Now& now);
  void dropMember(Room& room, Client& client);

  void queue(Client& client, std::string_view bytes);
  void queueWithPrompt(Client& client, std::string_view bytes, const Now& now);
  const std::string& promptOf(Client& client, const Now& now);
  void tellRoom(Room& room, const Client* except, std::string_view framed, const Now& now);
  void tellRoomFrom(Room& room, const Client& author, std::string_view framed,
                    std::string_view text, const Now& now);
  void announce(Room& room, const Client& subject, std::string_view notice, const Happening& what,
                const Now& now);

  void record(Room& room, std::string_view line);
  bool writeJournal(std::string_view line);
  std::string describe(const Client& client) const;

  static bool isMember(const Client& client);
  static bool ignoresClient(const Client& who, const Client& whom);
  void startIgnoring(Client& who, Client& whom);
  void stopIgnoring(Client& who, Client& whom);
  void forgetIgnores(Client& client);

  void quit(Client& client, std::string_view why);
  void doom(Client& client, std::string_view why, bool abort);
  void settle(const Now& now);
  void remove(Client& client, const Now& now);

  Settings settings_;
  EventLog& events_;
  Journal* journal_;
  std::unordered_map<ClientId, std::unique_ptr<Client>> clients_;
  std::vector<std::unique_ptr<Room>> rooms_;
  std::unordered_map<std::string, Room*> rooms_by_key_;
  std::unordered_set<std::string> taken_names_;  // ASCII-lowercased
  std::vector<ClientId> doomed_;
  std::vector<Departure> departures_;
  std::unordered_map<std::string, std::size_t> per_address_;  // live connections by address
  GuessLimit guesses_;  // wrong passwords by address, with a password only
  // The latest moment an event brought, for the questions asked between events (wantsInput).
  std::int64_t clock_ms_ = 0;
  // Numbers each join, leave or rename, so a face tells a client of one that it hears of through
  // several rooms only once.
  std::uint64_t happenings_ = 0;
  const Room* journal_room_ = nullptr;
  bool journal_failing_ = false;
  bool shutting_down_ = false;
  // Scratch buffers reused for every message so the steady state does not allocate.
  std::string telnet_scratch_;
  std::string text_scratch_;
  std::string framed_;
};

}  // namespace chat
