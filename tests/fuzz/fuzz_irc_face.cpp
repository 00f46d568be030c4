// libFuzzer target: the chat with its IRC face, IRC and nc clients side by side, driven by a
// fuzzed sequence of events and checked after each one.
//
// The input is a program (FuzzedDataProvider): settings, then events: a connection by TCP or IRC,
// an IRC line built from the commands a client sends (with fuzzed parameters) or raw bytes, an nc
// line (a name, a message, a command), a disconnect, the clock moving on, the socket taking output.
// After every event: names stay unique ignoring ASCII case, at most --max-clients connections, no
// output beyond the queue's bound, every line an IRC client receives is one well-formed line (CR
// LF at its end only, no NUL, at most 512 bytes after its tags, tags within 8191), and what an nc
// client receives is printable UTF-8. It ends with a shutdown, after which every client is gone.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat.hpp"
#include "chat/text.hpp"
#include "faces/irc/irc_face.hpp"
#include "faces/irc/irc_message.hpp"
#include "fuzz/invariant.hpp"
#include "fuzz/utf8_check.hpp"

namespace {

using chat::ClientId;
using fuzz::require;

constexpr int kMaxEvents = 2000;
constexpr std::size_t kMaxClients = 8;
constexpr std::size_t kHistory = 20;
constexpr std::size_t kIrcHistory = 5;
// A timeout or shutdown line may be appended past the 1 MiB bound as a client is dropped.
constexpr std::size_t kQueueSlack = 128;
constexpr std::string_view kStamp = "2020-01-20 15:48:41";
constexpr std::int64_t kUnixTime = 1579535321;
constexpr std::string_view kPassword = "open sesame";

const char* const kWords[] = {
    "ann",
    "Ann",
    "bob",
    "BOB",
    "carl",
    "[x]",
    "a b",
    "Zo\xc3\xab",
    "#general",
    "#r1",
    "#R1",
    "#a b",
    "#",
    "general",
    "0",
    "*",
    "",
    ":",
    "-server-time",
    "server-time",
    "batch",
    "server-time batch",
    "open sesame",
    "wrong",
    "\x01"
    "ACTION waves\x01",
    "\x01VERSION\x01",
    "\x02"
    "bold\x03"
    "04red",
    "#r1,#r2,#general",
    "[Ana_Lee]",
    "[a{40}b]",
};
const char* const kIrcCommands[] = {
    "NICK", "USER",  "JOIN", "PART",  "PRIVMSG",    "NOTICE",  "NAMES",   "LIST",
    "WHO",  "WHOIS", "MODE", "TOPIC", "CAP LS 302", "CAP REQ", "CAP END", "CAP LIST",
    "PASS", "QUIT",  "PING", "PONG",  "MOTD",       "FROB",
};
const char* const kNcLines[] = {
    "ann",       "Ana Lee",     "a@b",         "/join r1", "/join general", "/name carl",
    "/name a b", "/msg bob hi", "/msg ann hi", "/list",    "/rooms",        "/ignore bob",
    "/quit",     "hello",       "* ann waves", "",
};

class QuietLog : public chat::EventLog {
 public:
  void event(std::string_view) override {}
};

struct Target {
  Target(chat::Settings settings)
      : chat(settings, log),
        face(chat, faces::irc::IrcSettings{"irc.test", kIrcHistory, "1", "x"}) {}

  QuietLog log;
  chat::Chat chat;
  faces::irc::IrcFace face;
  std::map<ClientId, bool> live;                // id -> speaks IRC
  std::map<ClientId, std::string> irc_partial;  // an IRC client's received bytes not yet a line
  ClientId next_id = 1;
  std::int64_t ms = 0;
};

chat::Now nowOf(const Target& t) { return chat::Now{t.ms, kStamp, kUnixTime}; }

void checkIrcLine(std::string_view line) {
  // A line starts with its tags (optional), and its end is CR LF; no NUL, CR or LF inside.
  require(line.find('\0') == std::string_view::npos, "an IRC line holds a NUL");
  require(line.find('\r') == std::string_view::npos, "an IRC line holds a CR");
  require(line.find('\n') == std::string_view::npos, "an IRC line holds an LF");
  std::string_view body = line;
  if (!body.empty() && body.front() == '@') {
    const std::size_t space = body.find(' ');
    require(space != std::string_view::npos, "tags with no message after them");
    require(space + 1 <= faces::irc::kMaxTagBytes, "tags past 8191 bytes");
    body.remove_prefix(space + 1);
  }
  require(body.size() + 2 <= faces::irc::kMaxMessageBytes, "an IRC line past 512 bytes");
  faces::irc::Message parsed;
  require(faces::irc::parseMessage(line, parsed) == faces::irc::ParseStatus::Ok,
          "a line the server sent does not parse");
}

void check(Target& t) {
  require(t.chat.clientCount() <= kMaxClients, "more clients than --max-clients");
  std::set<std::string> names;
  for (auto it = t.live.begin(); it != t.live.end();) {
    if (!t.chat.isConnected(it->first)) {
      it = t.live.erase(it);
      continue;
    }
    const std::string name = t.chat.nameOf(it->first);
    if (!name.empty()) {
      require(names.insert(chat::text::asciiLower(name)).second, "two clients share a name");
    }
    const std::string_view out = t.chat.pending(it->first);
    require(out.size() <= chat::kMaxQueuedBytes + kQueueSlack, "output past its bound");
    if (!it->second) {
      require(fuzz::isStrictUtf8(out), "nc output is not UTF-8");
    }
    ++it;
  }
}

// Takes some of a client's output, as a socket would; an IRC client's lines are checked whole.
void take(Target& t, ClientId id, std::size_t most) {
  const std::string_view out = t.chat.pending(id);
  const std::size_t n = std::min(most, out.size());
  if (n == 0) return;
  if (t.live[id]) {
    std::string& partial = t.irc_partial[id];
    partial.append(out.substr(0, n));
    std::size_t end;
    while ((end = partial.find("\r\n")) != std::string::npos) {
      checkIrcLine(std::string_view(partial).substr(0, end));
      partial.erase(0, end + 2);
    }
    require(partial.size() <= faces::irc::kMaxHeldBytes, "an IRC line never ends");
  }
  t.chat.sent(id, n, nowOf(t));
}

std::string ircLine(FuzzedDataProvider& in) {
  std::string line = in.PickValueInArray(kIrcCommands);
  const int params = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < params; ++i) {
    line += ' ';
    if (i == params - 1 && in.ConsumeBool()) line += ':';
    line += in.ConsumeBool() ? std::string(in.PickValueInArray(kWords))
                             : in.ConsumeRandomLengthString(40);
  }
  return line + (in.ConsumeBool() ? "\r\n" : "\n");
}

void drive(FuzzedDataProvider& in) {
  chat::Settings settings;
  settings.max_clients = kMaxClients;
  settings.history = kHistory;
  settings.name_timeout_ms = 60000;
  settings.rate = in.ConsumeBool() ? 0.0 : 2.0;
  settings.burst = 5;
  if (in.ConsumeBool()) settings.password = std::string(kPassword);
  Target t(settings);
  for (int event = 0; event < kMaxEvents && in.remaining_bytes() > 0; ++event) {
    const int kind = in.ConsumeIntegralInRange(0, 6);
    const ClientId some = in.ConsumeIntegralInRange<ClientId>(1, t.next_id);
    const chat::Now now = nowOf(t);
    switch (kind) {
      case 0: {
        const bool irc = in.ConsumeBool();
        const ClientId id = t.next_id++;
        const std::string peer = (irc ? "irc 127.0.0." : "127.0.0.") +
                                 std::to_string(in.ConsumeIntegralInRange(1, 3)) + ":5000";
        if (t.chat.connect(id, peer, now, irc ? &t.face : nullptr)) t.live[id] = irc;
        break;
      }
      case 1:
      case 2: {
        const auto it = t.live.find(some);
        if (it == t.live.end() || !t.chat.wantsInput(some)) break;
        std::string bytes;
        if (it->second) {
          bytes = in.ConsumeIntegralInRange(0, 9) == 0 ? in.ConsumeRandomLengthString(700)
                                                       : ircLine(in);
        } else {
          bytes = std::string(in.PickValueInArray(kNcLines)) + "\n";
        }
        t.chat.receive(some, bytes, now);
        break;
      }
      case 3:
        if (t.live.count(some) != 0) t.chat.disconnected(some, "fuzzed close", now);
        break;
      case 4:
        t.ms += in.ConsumeIntegralInRange<std::int64_t>(0, 70000);
        t.chat.tick(nowOf(t));
        break;
      default:
        if (t.live.count(some) != 0)
          take(t, some, in.ConsumeIntegralInRange<std::size_t>(1, 1 << 20));
        break;
    }
    for (const chat::Departure& gone : t.chat.takeDepartures()) t.live.erase(gone.id);
    check(t);
  }
  t.chat.shutdown(nowOf(t));
  for (const chat::Departure& gone : t.chat.takeDepartures()) t.live.erase(gone.id);
  require(t.chat.clientCount() == 0, "clients left after the shutdown");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  drive(in);
  return 0;
}
