// libFuzzer target: the chat core driven by a fuzzed sequence of events, checked after each one.
//
// The input is a program: settings, then events (connect, bytes from a client, disconnect, clock
// tick, the socket taking some of a client's output, ...), decoded with FuzzedDataProvider. After
// every event the target checks what docs/PROTOCOL.md promises whatever clients do: names unique
// ignoring ASCII case, at most --max-clients connections, output only for live clients and bounded,
// held input bounded, every byte a client receives printable UTF-8, and chat messages seen by each
// client in the one order in which the chat handled them, no message, public or private, ever
// delivered to a client that ignores its sender, and telnet answers (IAC WILL/WONT/DONT x) only
// for a client that sent IAC. With a password (half the inputs), no chat message reaches a client
// before its password was accepted, and a connection is refused only when the chat is full or its
// address guessed wrong too often. It ends with a shutdown.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat.hpp"
#include "chat/protocol.hpp"
#include "chat/text.hpp"
#include "fuzz/utf8_check.hpp"

namespace {

using chat::ClientId;

// Events per input, so a long input cannot turn one run into minutes.
constexpr int kMaxEvents = 4000;
// The server hands the chat at most this much per read (server.cpp, kReadChunk).
constexpr std::size_t kReadChunk = 64 * 1024;
// Output queued beyond the 1 MiB limit: a timeout or shutdown notice appended as the client is
// dropped, never more.
constexpr std::size_t kQueueSlack = 64;
// Input the chat may hold for one client: the rest of one read behind a replay, plus the reader's
// unfinished line.
constexpr std::size_t kMaxInputHeld = kReadChunk + chat::kMaxLineBytes + 1;
constexpr std::string_view kStamp = "2020-01-20 15:48:41";
constexpr std::string_view kPassword = "open sesame";
// Connections come from a few addresses, so that wrong passwords add up to a lockout.
constexpr int kAddresses = 3;

// A chat message the target types with a unique number, "#N". Bytes the fuzzer makes up never
// hold '#', so every '#' a client receives belongs to one of these; nor '/', so only the
// target's own commands can move a client to another room.
constexpr char kMarker = '#';
constexpr char kCommand = '/';

const char* const kNames[] = {
    "ann",
    "Ann",
    "ANN",
    "bob",
    " bob\t",
    "Zo\xc3\xab",
    "zo\xc3\xab",
    "ZO\xc3\xab",
    "carl jr",
    "",
    "   ",
    "[x]",
    "a\033b",  // ESC inside a name
    "\xff\xfe",
    "0123456789abcdef0123456789abcdef",
    "0123456789abcdef0123456789abcdefg",
    "\xe2\x82\xac\xe2\x82\xac",
    "dave",
    "/join r1",
};
const char* const kCommands[] = {
    "/help",
    "/list",
    "/rooms",
    "/join r1",
    "/join R1",
    "/join general",
    "/join r2",
    "/join [bad]",
    "/join ",
    "/name ann",
    "/name Bob",
    "/name eve",
    "/name [x]",
    "/quit",
    "/nope",
    "//slash",
    "/JOIN r1",
    "/join 0123456789abcdef012345678",
    "/msg",
    "/msg ann",
    "/msg ann hi",
    "/msg carl jr hey",
    "/msg Carl hi",
    "/ignore",
    "/ignore ann",
    "/ignore BOB",
    "/ignore carl jr",
    "/unignore ann",
    "/unignore",
    "/unignore bob",
};

[[noreturn]] void fail(const char* what, ClientId id = 0) {
  std::fprintf(stderr, "invariant broken: %s (client %llu)\n", what,
               static_cast<unsigned long long>(id));
  std::abort();
}

void require(bool ok, const char* what, ClientId id = 0) {
  if (!ok) fail(what, id);
}

struct CheckingLog : chat::EventLog {
  void event(std::string_view text) override {
    require(text.find('\n') == std::string_view::npos, "an event log line holds a newline");
  }
};

struct CheckingJournal : chat::Journal {
  bool append(std::string_view line, std::string& why) override {
    require(line.find('\n') == std::string_view::npos, "a journal line holds a newline");
    require(fuzz::isStrictUtf8(line) && !fuzz::hasControl(line),
            "a journal line is not printable UTF-8");
    if (failing) {
      why = "No space left on device";
      return false;
    }
    return true;
  }
  bool failing = false;
};

// For each message number, the clients that ignored its sender when the chat handled it, with
// how many /join lines each had typed by then: until it types another (whose replay may show the
// message from history), such a client must never receive that number.
using Forbidden = std::map<std::uint64_t, std::map<ClientId, std::uint64_t>>;

// Everything one client has received, checked line by line as it arrives.
struct Viewer {
  ClientId id = 0;
  const Forbidden* forbidden = nullptr;
  std::uint64_t joins_typed = 0;
  bool sent_iac = false;                 // only a client that negotiates gets telnet answers
  int answer_bytes_left = 0;             // of the telnet answer being received (IAC, verb, option)
  std::string line;                      // the unfinished line
  std::uint64_t received = 0;            // bytes so far
  std::deque<std::uint64_t> room_moves;  // offsets from which a /join may show another room
  std::uint64_t last_marker = 0;         // last message number seen in the current room
  bool needs_password = false;           // the chat has one: nothing of it before the name prompt
  bool past_password = false;            // the name prompt came

  void absorb(std::string_view bytes) {
    for (char c : bytes) {
      ++received;
      if (answer_bytes_left > 0 || c == '\xff') {
        checkAnswerByte(static_cast<unsigned char>(c));
        continue;
      }
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      finishLine();
      line.clear();
    }
  }

  // Telnet answers are IAC WILL, WONT or DONT and an option, nothing else, and only for a client
  // that sent IAC itself.
  void checkAnswerByte(unsigned char byte) {
    if (answer_bytes_left == 0) {
      require(sent_iac, "a client that never sent IAC received one", id);
      answer_bytes_left = 2;
      return;
    }
    if (answer_bytes_left-- == 2) {
      require(byte == 251 || byte == 252 || byte == 254, "a telnet answer that is no refusal", id);
    }
  }

  void finishLine() {
    require(fuzz::isStrictUtf8(line), "a client received invalid UTF-8", id);
    require(!fuzz::hasControl(line), "a client received a control character", id);
    if (!past_password && line.find(chat::protocol::kNamePrompt) != std::string::npos) {
      past_password = true;
    }
    const std::size_t mark = line.find(kMarker);
    if (mark == std::string::npos) return;
    require(past_password || !needs_password, "a message reached a client before its password", id);
    require(line.find(kMarker, mark + 1) == std::string::npos, "two messages on one line", id);
    const std::string digits = line.substr(mark + 1);
    require(!digits.empty() && digits.size() < 12 &&
                digits.find_first_not_of("0123456789") == std::string::npos,
            "a message number is not at the end of its line", id);
    while (!room_moves.empty() && received > room_moves.front()) {
      room_moves.pop_front();
      last_marker = 0;
    }
    const std::uint64_t number = std::stoull(digits);
    const auto banned = forbidden->find(number);
    if (banned != forbidden->end()) {
      const auto entry = banned->second.find(id);
      require(entry == banned->second.end() || entry->second != joins_typed,
              "a client received a message from someone it ignores", id);
    }
    // Private lines go from person to person, outside any room's order.
    if (line.find(chat::protocol::kPrivateMark) != std::string::npos) return;
    require(number > last_marker, "a client saw messages out of order or twice", id);
    last_marker = number;
  }

  void finish() {
    require(fuzz::isStrictUtf8(line) && !fuzz::hasControl(line),
            "a client's last bytes are not printable UTF-8", id);
  }
};

class Harness {
 public:
  explicit Harness(FuzzedDataProvider& in) : in_(in) {
    settings_.max_clients = in_.ConsumeIntegralInRange<std::size_t>(1, 12);
    const std::size_t histories[] = {0, 1, 3, 10000};
    settings_.history = histories[in_.ConsumeIntegralInRange<std::size_t>(0, 3)];
    settings_.name_timeout_ms = in_.ConsumeIntegralInRange<std::int64_t>(1, 120000);
    if (in_.ConsumeBool()) settings_.password = kPassword;
    chat_ = std::make_unique<chat::Chat>(settings_, log_, &journal_);
  }

  void run() {
    for (int events = 0; events < kMaxEvents && in_.remaining_bytes() > 0; ++events) {
      step();
      check();
    }
    finish();
  }

 private:
  chat::Now now() const { return chat::Now{ms_, kStamp}; }

  // A live client most of the time, sometimes one that is gone or never was.
  ClientId pick() {
    if (live_.empty() || in_.ConsumeIntegralInRange<int>(0, 15) == 0) {
      return in_.ConsumeBool() ? next_id_ : std::max<ClientId>(1, next_id_ - 1);
    }
    auto it = live_.begin();
    std::advance(it, in_.ConsumeIntegralInRange<std::size_t>(0, live_.size() - 1));
    return it->first;
  }

  void step() {
    switch (in_.ConsumeIntegralInRange<int>(0, 13)) {
      case 0:
        return connect();
      case 1:
        return typeLine(pick(), in_.PickValueInArray(kNames));
      case 2:
        return say(pick());
      case 3:
        return command(pick());
      case 4:
        return raw(pick());
      case 5:
        return flood(pick());
      case 6:
        return disconnect(pick());
      case 7:
        ms_ += in_.ConsumeIntegralInRange<std::int64_t>(0, 70000);
        return chat_->tick(now());
      case 8:
        return take(pick(), in_.ConsumeIntegral<std::uint32_t>());
      case 9:
        for (auto& entry : live_) take(entry.first, SIZE_MAX);
        return;
      case 10:
        return whisper(pick());
      case 11:
        return ignore(pick());
      case 12:
        return typeLine(pick(), in_.ConsumeBool() ? std::string(kPassword) : "open sesame?");
      default:
        journal_.failing = !journal_.failing;
        return;
    }
  }

  void connect() {
    const ClientId id = next_id_++;
    const bool full = live_.size() >= settings_.max_clients;
    const std::string address =
        "10.0.0." + std::to_string(in_.ConsumeIntegralInRange<int>(1, kAddresses));
    const chat::Admission admission = chat_->connect(id, address + ":" + std::to_string(id), now());
    const bool accepted = admission;
    require(!accepted || !full, "connect ignored --max-clients", id);
    require(accepted || full ||
                (!settings_.password.empty() &&
                 admission.refusal == chat::protocol::kTooManyWrongPasswords),
            "a connection refused for no reason", id);
    if (accepted) {
      live_[id].id = id;
      live_[id].forbidden = &forbidden_;
      live_[id].needs_password = !settings_.password.empty();
    }
  }

  // Bytes from a client, cut into reads as the server does, and only while it wants input.
  void type(ClientId id, std::string_view bytes) {
    const auto it = live_.find(id);
    if (it != live_.end() && bytes.find('\xff') != std::string_view::npos)
      it->second.sent_iac = true;
    for (std::size_t at = 0; at < bytes.size(); at += kReadChunk) {
      if (!chat_->wantsInput(id)) return;
      chat_->receive(id, bytes.substr(at, kReadChunk), now());
      collectDepartures(0);
    }
  }

  void say(ClientId id) {
    if (chat_->nameOf(id).empty()) return;
    const std::uint64_t number = ++marker_;
    noteIgnorers(id, number);
    type(id, kMarker + std::to_string(number) + "\n");
  }

  // A private message to a live client, by the name it has now, spelt in another case.
  void whisper(ClientId id) {
    if (chat_->nameOf(id).empty()) return;
    const std::string to = chat::text::asciiLower(chat_->nameOf(pick()));
    const std::uint64_t number = ++marker_;
    noteIgnorers(id, number);
    typeLine(id, "/msg " + to + " " + kMarker + std::to_string(number));
  }

  void ignore(ClientId id) {
    const std::string whom = chat_->nameOf(pick());
    typeLine(id, (in_.ConsumeBool() ? "/ignore " : "/unignore ") + whom);
  }

  // A line typed by a client that wants input is handled at once: whoever ignores its author
  // now must not get it.
  void noteIgnorers(ClientId author, std::uint64_t number) {
    if (!chat_->wantsInput(author)) return;
    for (const auto& [id, viewer] : live_) {
      if (chat_->wantsInput(id) && chat_->ignores(id, author)) {
        forbidden_[number][id] = viewer.joins_typed;
      }
    }
  }

  void command(ClientId id) { typeLine(id, in_.PickValueInArray(kCommands)); }

  // A line the target composed; a /join in it may show the client another room's history.
  void typeLine(ClientId id, const std::string& text) {
    const auto it = live_.find(id);
    if (it != live_.end() && chat::text::asciiLower(text).rfind("/join", 0) == 0) {
      // Whatever was queued before this line belongs to the old room.
      it->second.room_moves.push_back(it->second.received + chat_->pending(id).size());
      ++it->second.joins_typed;
    }
    type(id, text + "\n");
  }

  void raw(ClientId id) {
    std::string bytes = in_.ConsumeRandomLengthString(8192);
    bytes.erase(std::remove_if(bytes.begin(), bytes.end(),
                               [](char c) { return c == kMarker || c == kCommand; }),
                bytes.end());
    type(id, bytes);
  }

  // Many long lines at once: fills output queues, history and the too-long path.
  void flood(ClientId id) {
    const std::size_t length = in_.ConsumeIntegralInRange<std::size_t>(0, 5000);
    const int count = in_.ConsumeIntegralInRange<int>(1, 40);
    char fill = static_cast<char>(in_.ConsumeIntegralInRange<int>(0x20, 0x7E));
    if (fill == kMarker || fill == kCommand) fill = 'x';
    std::string bytes;
    for (int i = 0; i < count; ++i) bytes.append(length, fill).push_back('\n');
    type(id, bytes);
  }

  void disconnect(ClientId id) {
    chat_->disconnected(id, "connection reset", now());
    const auto it = live_.find(id);
    if (it != live_.end()) {
      it->second.finish();
      live_.erase(it);
    }
    collectDepartures(id);
  }

  // The socket takes up to `bytes` of the client's output.
  void take(ClientId id, std::size_t bytes) {
    for (int round = 0; round < 64 && bytes > 0; ++round) {
      const std::string_view pending = chat_->pending(id);
      if (pending.empty()) return;
      const auto it = live_.find(id);
      require(it != live_.end(), "output queued for a client that is not connected", id);
      const std::size_t n = std::min(bytes, pending.size());
      it->second.absorb(pending.substr(0, n));
      bytes -= n;
      chat_->sent(id, n, now());
      collectDepartures(0);
    }
  }

  // `forgotten` was just reported disconnected: the chat must not answer with a Departure.
  void collectDepartures(ClientId forgotten) {
    for (const chat::Departure& gone : chat_->takeDepartures()) {
      require(gone.id != forgotten, "a departure for a client the server already closed", gone.id);
      const auto it = live_.find(gone.id);
      require(it != live_.end(), "a departure for an unknown or departed client", gone.id);
      require(!chat_->isConnected(gone.id), "a departed client is still connected", gone.id);
      require(gone.farewell.size() <= chat::kMaxQueuedBytes + kQueueSlack,
              "a farewell beyond the queue limit", gone.id);
      if (!gone.abort) it->second.absorb(gone.farewell);
      it->second.finish();
      live_.erase(it);
      departed_ = gone.id;
    }
  }

  void check() {
    collectDepartures(0);
    require(chat_->clientCount() == live_.size(), "the chat counts other clients than connected");
    require(chat_->clientCount() <= settings_.max_clients, "more clients than --max-clients");
    require(chat_->roomCount() <= chat::kMaxRooms, "more rooms than the limit");
    std::set<std::string> names;
    for (const auto& [id, viewer] : live_) {
      require(chat_->isConnected(id), "a client vanished without a departure", id);
      require(chat_->pending(id).size() <= chat::kMaxQueuedBytes + kQueueSlack,
              "a client's output queue is beyond its limit", id);
      require(chat_->inputHeld(id) <= kMaxInputHeld, "a client's held input is beyond its bound",
              id);
      const std::string name = chat_->nameOf(id);
      if (name.empty()) continue;
      require(names.insert(chat::text::asciiLower(name)).second,
              "two clients share a name ignoring ASCII case", id);
      require(fuzz::isStrictUtf8(name) && !fuzz::hasControl(name) &&
                  name.find_first_of("[]") == std::string::npos,
              "a name breaks the naming rules", id);
    }
    for (const ClientId stranger : {next_id_, departed_}) {
      if (live_.count(stranger) != 0) continue;
      require(chat_->pending(stranger).empty(), "output for an unknown client", stranger);
      require(!chat_->wantsInput(stranger) && chat_->nameOf(stranger).empty() &&
                  chat_->inputHeld(stranger) == 0,
              "state kept for an unknown client", stranger);
    }
  }

  void finish() {
    chat_->shutdown(now());
    std::set<ClientId> told;
    for (const chat::Departure& gone : chat_->takeDepartures()) {
      const auto it = live_.find(gone.id);
      require(it != live_.end() && told.insert(gone.id).second,
              "shutdown produced a departure for an unknown client or twice", gone.id);
      require(!gone.abort, "shutdown aborted a client instead of telling it", gone.id);
      const std::string_view notice = chat::protocol::kShuttingDown;
      require(gone.farewell.size() >= notice.size() &&
                  gone.farewell.compare(gone.farewell.size() - notice.size(), notice.size(),
                                        notice) == 0,
              "a client was not told of the shutdown last", gone.id);
      it->second.absorb(gone.farewell);
      it->second.finish();
    }
    require(told.size() == live_.size(), "shutdown forgot a client");
    require(chat_->clientCount() == 0, "clients remain after shutdown");
  }

  FuzzedDataProvider& in_;
  chat::Settings settings_;
  CheckingLog log_;
  CheckingJournal journal_;
  std::unique_ptr<chat::Chat> chat_;
  std::map<ClientId, Viewer> live_;
  Forbidden forbidden_;
  ClientId next_id_ = 1;
  ClientId departed_ = 0;
  std::uint64_t marker_ = 0;
  std::int64_t ms_ = 1000;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Harness harness(in);
  harness.run();
  return 0;
}
