// Load generator for netcat-chat and its reference servers: throughput, latency, losses, CPU, RSS.
//
// Linux-only tool (epoll, /proc). N clients connect, optionally join by name like a user of nc
// would, then send payloads "@m <sender> <seq> <ns>" in a closed loop (window per sender) or an
// open loop (fixed total rate, latency from the intended send time). Every receiver parses what it
// gets and accounts deliveries, losses, duplicates and reordering per sender. With --web-port,
// the last --web-clients of them join through netcat-chat's WebSocket port instead, as browsers.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

// Wire text of netcat-chat this tool relies on (docs/PROTOCOL.md §16).
constexpr std::string_view kNamePrompt = "[ENTER YOUR NAME]: ";
constexpr std::string_view kPasswordPrompt = "[ENTER THE PASSWORD]: ";
// Payload and barrier markers: searched anywhere in a line, so prefixes such as ncat's "<user5> "
// or netcat-chat's "[ts][name]:" framing are skipped without knowing them.
constexpr std::string_view kPayloadMarker = "@m ";
// An IRC client says its lines to the one room every client is in.
constexpr std::string_view kIrcSay = "PRIVMSG #general :";
constexpr std::string_view kSyncMarker = "@s ";

constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::size_t kRecvChunk = 256 * 1024;
// Several reads per readiness event, so one busy socket cannot starve the others for long.
constexpr int kMaxReadsPerEvent = 4;
constexpr int kMaxEvents = 64;
// A stuck server must not hang a benchmark: every wait is bounded.
constexpr std::int64_t kJoinTimeoutNs = 10 * kNsPerSec;
constexpr std::int64_t kBarrierTimeoutNs = 5 * kNsPerSec;
constexpr std::int64_t kBarrierResendNs = 50 * kNsPerMs;
constexpr std::int64_t kPreloadTimeoutNs = 60 * kNsPerSec;
constexpr std::int64_t kOpenLoopStartDelayNs = 10 * kNsPerMs;
constexpr std::int64_t kDefaultSpinNs = 200'000;
constexpr int kMaxClients = 1000;
constexpr double kMaxDurationSec = 3600;
constexpr double kMaxRate = 1'000'000;
constexpr int kMaxWindow = 1 << 20;
constexpr int kMaxPreload = 10'000'000;
constexpr int kMaxReplays = 1000;
// Below netcat-chat's 4096-byte line limit, so a padded payload is never refused.
constexpr std::size_t kMaxPayloadBytes = 4000;
// Preloading history uses a generous window, but small enough that the witness never lets the
// server's per-client queue (1 MiB) fill up.
constexpr int kPreloadWindow = 256;
// Latencies are kept exactly (nanoseconds, saturating at ~4.3 s) up to this many samples.
constexpr std::size_t kMaxLatencySamples = 20'000'000;
// Unterminated bytes (prompts without a newline pile up at a sender) are trimmed past this size.
constexpr std::size_t kMaxUnterminatedBytes = 8 * 1024;

std::int64_t nowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * kNsPerSec + ts.tv_nsec;
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "loadgen: %s\n", what.c_str());
  std::exit(2);
}

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  bool chat = true;  // false: raw mode for ncat --chat and the relay (no names, no prompts)
  int clients = 2;
  int senders = -1;  // -1: every client sends
  int window = 4;
  double rate = 0;  // > 0 selects the open loop
  double duration_s = 3;
  std::uint64_t max_messages = 10'000'000;
  double drain_s = 3;
  std::size_t payload_bytes = 40;
  int server_pid = 0;
  std::int64_t spin_ns = kDefaultSpinNs;
  bool quickack = false;
  bool nodelay = false;
  bool strict = false;
  int preload = 0;
  int replays = 0;
  std::string label = "server";
  std::string web_port;  // chat mode: where the WebSocket clients connect
  int web_clients = 0;   // the last this many clients join by WebSocket
  std::string password;  // chat mode: answered at the password prompt first, when not empty
  std::string irc_port;  // chat mode: netcat-chat's --irc port, for the IRC clients
  int irc_clients = 0;   // the last this many clients before the web ones join by IRC
};

void usage(int status) {
  std::printf(
      "usage: loadgen --port P [options]\n"
      "  --host H            server address (default 127.0.0.1)\n"
      "  --mode chat|raw     chat: join by name like a user (default); raw: just connect\n"
      "  --clients N         connected clients taking part in the load (default 2, 0 allowed)\n"
      "  --senders S         the first S clients send, all receive (default: all)\n"
      "  --window W          closed loop: own messages in flight per sender (default 4)\n"
      "  --rate R            open loop: R messages/s in total instead of the closed loop\n"
      "  --duration D        seconds of sending (default 3)\n"
      "  --messages M        stop sending after M messages in total (default 10000000)\n"
      "  --drain D           seconds to wait for messages still in flight (default 3)\n"
      "  --payload-bytes B   pad each line to B bytes (default 40)\n"
      "  --server-pid PID    sample CPU time and peak RSS of this process\n"
      "  --spin-us U         open loop: poll without sleeping for the last U us before each\n"
      "                      send (default 200; at least the send interval: never sleep)\n"
      "  --quickack          TCP_QUICKACK after every recv (default: delayed ACKs like nc)\n"
      "  --nodelay           TCP_NODELAY on client sockets (default: Nagle on, like nc)\n"
      "  --strict            exit 1 on any loss, duplicate, reordering or malformed payload\n"
      "  --preload K         chat mode: first post K history lines from a seed client\n"
      "  --replays R         chat mode: then time R newcomers from name to own prompt\n"
      "  --label L           server name printed in the result line\n"
      "  --web-port P        chat mode: netcat-chat's --web port, for the clients below\n"
      "  --web-clients K     chat mode: the last K clients join over WebSocket (default 0)\n"
      "  --password P        chat mode: the chat's password, answered before the name\n"
      "  --irc-port P        chat mode: netcat-chat's --irc port, for the clients below\n"
      "  --irc-clients K     chat mode: the K clients before the web ones join by IRC, in\n"
      "                      #general, and send PRIVMSG lines (default 0)\n");
  std::exit(status);
}

template <typename T>
T parseNumber(const std::string& flag, const std::string& text, T low, T high) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    fail("bad value for " + flag + ": " + text);
  }
  return value;
}

double parseSeconds(const std::string& flag, const std::string& text, double high) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(value >= 0) || value > high) {
    fail("bad value for " + flag + ": " + text);
  }
  return value;
}

Options parseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail("missing value for " + flag);
      return argv[++i];
    };
    if (flag == "-h" || flag == "--help") {
      usage(0);
    } else if (flag == "--host") {
      o.host = value();
    } else if (flag == "--port") {
      o.port = value();
    } else if (flag == "--mode") {
      std::string mode = value();
      if (mode != "chat" && mode != "raw") fail("--mode must be chat or raw");
      o.chat = mode == "chat";
    } else if (flag == "--clients") {
      o.clients = parseNumber(flag, value(), 0, kMaxClients);
    } else if (flag == "--senders") {
      o.senders = parseNumber(flag, value(), 0, kMaxClients);
    } else if (flag == "--window") {
      o.window = parseNumber(flag, value(), 1, kMaxWindow);
    } else if (flag == "--rate") {
      o.rate = parseSeconds(flag, value(), kMaxRate);
    } else if (flag == "--duration") {
      o.duration_s = parseSeconds(flag, value(), kMaxDurationSec);
    } else if (flag == "--messages") {
      o.max_messages = parseNumber<std::uint64_t>(flag, value(), 1, UINT64_MAX);
    } else if (flag == "--drain") {
      o.drain_s = parseSeconds(flag, value(), kMaxDurationSec);
    } else if (flag == "--payload-bytes") {
      o.payload_bytes = parseNumber<std::size_t>(flag, value(), 0, kMaxPayloadBytes);
    } else if (flag == "--server-pid") {
      o.server_pid = parseNumber(flag, value(), 1, INT32_MAX);
    } else if (flag == "--spin-us") {
      o.spin_ns = parseNumber<std::int64_t>(flag, value(), 0, kNsPerSec) * 1000;
    } else if (flag == "--quickack") {
      o.quickack = true;
    } else if (flag == "--nodelay") {
      o.nodelay = true;
    } else if (flag == "--strict") {
      o.strict = true;
    } else if (flag == "--preload") {
      o.preload = parseNumber(flag, value(), 0, kMaxPreload);
    } else if (flag == "--replays") {
      o.replays = parseNumber(flag, value(), 0, kMaxReplays);
    } else if (flag == "--label") {
      o.label = value();
    } else if (flag == "--web-port") {
      o.web_port = value();
    } else if (flag == "--password") {
      o.password = value();
    } else if (flag == "--irc-port") {
      o.irc_port = value();
    } else if (flag == "--irc-clients") {
      o.irc_clients = parseNumber(flag, value(), 0, kMaxClients);
    } else if (flag == "--web-clients") {
      o.web_clients = parseNumber(flag, value(), 0, kMaxClients);
    } else {
      fail("unknown option " + flag + " (see --help)");
    }
  }
  if (o.port.empty()) fail("--port is required");
  if (o.senders < 0 || o.senders > o.clients) o.senders = o.clients;
  if (!o.chat && (o.preload > 0 || o.replays > 0)) fail("--preload/--replays need --mode chat");
  // A newcomer's history must hold exactly the preloaded lines to be checked line by line.
  if (o.replays > 0 && o.clients > 0) fail("--replays is measured with --clients 0");
  if (o.web_clients > o.clients) fail("--web-clients cannot exceed --clients");
  if (o.web_clients + o.irc_clients > o.clients) {
    fail("--web-clients and --irc-clients together cannot exceed --clients");
  }
  if (o.irc_clients > 0 && (!o.chat || o.irc_port.empty())) {
    fail("--irc-clients needs --mode chat and --irc-port");
  }
  if (o.web_clients > 0 && (!o.chat || o.web_port.empty())) {
    fail("--web-clients needs --mode chat and --web-port");
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// /proc sampling of the server under test.

struct ProcSample {
  double cpu_s = 0;  // utime + stime
  long hwm_kib = 0;  // VmHWM: peak resident set
  bool ok = false;
};

ProcSample sampleProcess(int pid) {
  ProcSample s;
  if (pid <= 0) return s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // The command name may contain spaces; fields are counted after its closing parenthesis.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  constexpr int kUtimeIndex = 11;  // field 14 of proc(5), counted from field 3 (state)
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int index = 0; fields >> field; ++index) {
    if (index == kUtimeIndex) utime = std::stoull(field);
    if (index == kUtimeIndex + 1) {
      stime = std::stoull(field);
      break;
    }
  }
  s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kib = std::atol(line.c_str() + 6);
  }
  s.ok = true;
  return s;
}

// The whole machine's busy and stolen time, from the first line of /proc/stat.
struct MachineSample {
  double busy_s = 0;   // user + nice + system + irq + softirq, over all CPUs
  double steal_s = 0;  // time the hypervisor gave this machine's CPUs to someone else
};

MachineSample sampleMachine() {
  MachineSample s;
  std::ifstream stat("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  if (!(stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal)) {
    return s;
  }
  double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.busy_s = static_cast<double>(user + nice + system + irq + softirq) / tick;
  s.steal_s = static_cast<double>(steal) / tick;
  return s;
}

double ownCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU time spent during the load phase by the server, by this tool, and by anything else on the
// machine: other work competing for the two cores makes a run worthless, and this shows it.
struct CpuSnapshot {
  ProcSample server;
  MachineSample machine;
  double own_s = 0;
};

CpuSnapshot snapshot(int server_pid) {
  return {sampleProcess(server_pid), sampleMachine(), ownCpuSeconds()};
}

// ---------------------------------------------------------------------------------------------
// Sockets.

int connectTo(const Options& o, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  if (int rc = getaddrinfo(o.host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    fail("cannot resolve " + o.host + ": " + gai_strerror(rc));
  }
  int fd = -1;
  int last_errno = 0;
  for (addrinfo* ai = list; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      last_errno = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(list);
  if (fd < 0) fail("cannot connect to " + o.host + ":" + port + ": " + strerror(last_errno));
  int one = 1;
  if (o.nodelay) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void setNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL, 0);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// ---------------------------------------------------------------------------------------------
// Clients and the accounting of what they receive.

struct Outstanding {
  std::uint64_t seq;
  int remaining;  // receivers that have not seen it yet
};

struct Client {
  int fd = -1;
  bool web = false;    // joined through the WebSocket port
  bool irc = false;    // joined through the IRC port, in #general
  std::string frames;  // web: received bytes not yet a whole frame
  std::string name;
  std::string in;   // received bytes not yet split into lines
  std::string out;  // bytes the kernel did not take yet
  bool want_write = false;
  bool sender = false;
  std::uint64_t sent = 0;
  std::deque<Outstanding> outstanding;
  std::unordered_set<int> synced_from;
};

// ---------------------------------------------------------------------------------------------
// WebSocket (RFC 6455) as a browser speaks it: masked text frames out, the server's frames in.

constexpr std::string_view kWebSocketKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr unsigned char kWebMask[4] = {0x5a, 0x17, 0xc3, 0x81};
constexpr std::uint8_t kOpText = 0x1;
constexpr std::uint8_t kOpContinuation = 0x0;
constexpr std::uint8_t kOpClose = 0x8;

// Appends `text` as one masked text frame.
void appendWebFrame(std::string_view text, std::string& out) {
  out += static_cast<char>(0x80 | kOpText);
  const std::uint64_t n = text.size();
  if (n <= 125) {
    out += static_cast<char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  }
  out.append(reinterpret_cast<const char*>(kWebMask), 4);
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += static_cast<char>(static_cast<unsigned char>(text[i]) ^ kWebMask[i % 4]);
  }
}

// What goes on the wire for `bytes` of chat input from `c`.
void appendWire(const Client& c, std::string_view bytes, std::string& out) {
  if (c.web) {
    appendWebFrame(bytes, out);
  } else if (c.irc) {
    // Each chat line becomes a PRIVMSG to the room everyone is in.
    for (std::size_t at = 0, nl; (nl = bytes.find('\n', at)) != std::string_view::npos;
         at = nl + 1) {
      out.append(kIrcSay).append(bytes.substr(at, nl - at)).append("\r\n");
    }
  } else {
    out.append(bytes);
  }
}

// Received bytes: chat text for a TCP client; for a web client, the text of whole frames.
void appendReceived(Client& c, const char* data, std::size_t n) {
  if (!c.web) {
    c.in.append(data, n);
    return;
  }
  c.frames.append(data, n);
  std::size_t at = 0;
  for (;;) {
    std::string_view rest = std::string_view(c.frames).substr(at);
    if (rest.size() < 2) break;
    const auto b0 = static_cast<std::uint8_t>(rest[0]);
    const auto b1 = static_cast<std::uint8_t>(rest[1]);
    if ((b1 & 0x80) != 0) fail(c.name + ": the server sent a masked frame");
    std::uint64_t len = b1 & 0x7F;
    std::size_t head = 2;
    const std::size_t extra = len == 126 ? 2 : (len == 127 ? 8 : 0);
    if (rest.size() < head + extra) break;
    if (extra > 0) {
      len = 0;
      for (std::size_t i = 0; i < extra; ++i)
        len = len << 8 | static_cast<std::uint8_t>(rest[head + i]);
      head += extra;
    }
    if (rest.size() < head + len) break;
    const std::uint8_t opcode = b0 & 0x0F;
    if (opcode == kOpClose) fail(c.name + ": the server closed the WebSocket");
    if (opcode == kOpText || opcode == kOpContinuation) c.in.append(rest.substr(head, len));
    at += head + static_cast<std::size_t>(len);
  }
  c.frames.erase(0, at);
}

// What one receiver knows about one sender's sequence.
struct PairState {
  std::uint64_t expected = 1;
  std::unordered_set<std::uint64_t> missing;  // skipped seqs that may still arrive late
  std::uint64_t unique = 0;
};

struct Stats {
  std::uint64_t sent = 0;
  std::uint64_t deliveries = 0;
  std::uint64_t expected = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;
  std::uint64_t malformed = 0;
  double wall_s = 0;
  std::vector<std::uint32_t> latency_ns;
  std::vector<std::uint32_t> send_lag_ns;  // open loop: actual minus intended send time
};

std::uint32_t saturate(std::int64_t ns) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(ns, 0, UINT32_MAX));
}

bool parseUint(std::string_view& text, std::uint64_t& value) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

// Drives a set of connected clients with one epoll loop.
class Session {
 public:
  Session(std::vector<Client*> clients, const Options& o)
      : clients_(std::move(clients)), o_(o), pairs_(clients_.size() * clients_.size()) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) fail(std::string("epoll_create1: ") + strerror(errno));
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = i;
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, clients_[i]->fd, &ev) != 0) fail("epoll_ctl add");
    }
  }
  ~Session() {
    for (Client* c : clients_) epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
    close(epoll_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Raw servers accept asynchronously: every client says hello and waits for everyone else's,
  // so no payload is sent before all connections are wired.
  void barrier() {
    std::int64_t deadline = nowNs() + kBarrierTimeoutNs;
    auto done = [&] {
      for (Client* c : clients_) {
        if (c->synced_from.size() + 1 < clients_.size()) return false;
      }
      return true;
    };
    // connect() returns before the server accept()s, so a hello can miss a late client: repeat.
    for (std::int64_t resend = 0; !done();) {
      std::int64_t now = nowNs();
      if (now > deadline) fail("clients did not see each other within the barrier timeout");
      if (now >= resend) {
        for (std::size_t i = 0; i < clients_.size(); ++i) {
          sendBytes(i, std::string(kSyncMarker) + std::to_string(i) + "\n");
        }
        resend = now + kBarrierResendNs;
      }
      pump(kBarrierResendNs / 5);
    }
  }

  // Each sender keeps at most `window` own messages that some receiver has not seen yet.
  Stats runClosed(int window, double duration_s, std::uint64_t max_messages) {
    std::int64_t start = nowNs();
    std::int64_t stop_sending = start + static_cast<std::int64_t>(duration_s * kNsPerSec);
    while (true) {
      std::int64_t now = nowNs();
      bool sending = now < stop_sending && stats_.sent < max_messages;
      if (!sending) break;
      for (std::size_t i = 0; i < clients_.size(); ++i) {
        Client& c = *clients_[i];
        while (c.sender && c.outstanding.size() < static_cast<std::size_t>(window) &&
               stats_.sent < max_messages) {
          sendPayload(i, now);
        }
      }
      pump(std::min<std::int64_t>(stop_sending - now, 10 * kNsPerMs));
    }
    drain();
    return finish(start);
  }

  // R messages per second in total, round-robin over the senders, each stamped with the time it
  // was due: a late send shows up as latency instead of silently lowering the load.
  Stats runOpen(double rate, double duration_s, std::uint64_t max_messages) {
    std::vector<std::size_t> senders;
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (clients_[i]->sender) senders.push_back(i);
    }
    std::int64_t start = nowNs();
    std::int64_t first = start + kOpenLoopStartDelayNs;
    std::int64_t stop_sending = first + static_cast<std::int64_t>(duration_s * kNsPerSec);
    double period_ns = kNsPerSec / rate;
    std::uint64_t k = 0;
    auto due = [&](std::uint64_t n) {
      return first + static_cast<std::int64_t>(static_cast<double>(n) * period_ns);
    };
    while (due(k) < stop_sending && k < max_messages) {
      std::int64_t now = nowNs();
      while (due(k) <= now && due(k) < stop_sending && k < max_messages) {
        sendPayload(senders[k % senders.size()], due(k));
        if (stats_.send_lag_ns.size() < kMaxLatencySamples) {
          stats_.send_lag_ns.push_back(saturate(now - due(k)));
        }
        ++k;
      }
      // Timer wake-ups here are late by tens of microseconds; sleep until shortly before the
      // due time and poll without sleeping for the rest, so the tool's lag is not charged to the
      // server.
      std::int64_t wait = due(k) - nowNs();
      pump(wait > o_.spin_ns ? wait - o_.spin_ns : 0);
    }
    drain();
    return finish(start);
  }

  // Waits until the sender's lines have reached `count` receipts at the witness, for preloading.
  Stats runPreload(std::uint64_t count) {
    std::int64_t start = nowNs();
    std::int64_t deadline = start + kPreloadTimeoutNs;
    while (stats_.deliveries < count) {
      if (nowNs() > deadline) fail("history preload did not complete in time");
      Client& seed = *clients_[0];
      while (seed.outstanding.size() < static_cast<std::size_t>(kPreloadWindow) &&
             stats_.sent < count) {
        sendPayload(0, nowNs());
      }
      pump(10 * kNsPerMs);
    }
    return finish(start);
  }

 private:
  void drain() {
    std::int64_t deadline = nowNs() + static_cast<std::int64_t>(o_.drain_s * kNsPerSec);
    auto pending = [&] {
      for (Client* c : clients_) {
        if (!c->outstanding.empty()) return true;
      }
      return false;
    };
    while (pending() && nowNs() < deadline) pump(10 * kNsPerMs);
  }

  Stats finish(std::int64_t start) {
    stats_.wall_s = static_cast<double>(nowNs() - start) / kNsPerSec;
    std::size_t n = clients_.size();
    stats_.expected = 0;
    stats_.lost = 0;
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t r = 0; r < n; ++r) {
        if (r == s) continue;
        std::uint64_t sent = clients_[s]->sent;
        stats_.expected += sent;
        stats_.lost += sent - std::min(sent, pairs_[r * n + s].unique);
      }
    }
    return std::move(stats_);
  }

  void sendPayload(std::size_t index, std::int64_t stamp_ns) {
    Client& c = *clients_[index];
    std::uint64_t seq = ++c.sent;
    ++stats_.sent;
    std::string line = std::string(kPayloadMarker) + std::to_string(index) + " " +
                       std::to_string(seq) + " " + std::to_string(stamp_ns) + " ";
    if (line.size() < o_.payload_bytes) line.append(o_.payload_bytes - line.size(), 'x');
    line += '\n';
    c.outstanding.push_back({seq, static_cast<int>(clients_.size()) - 1});
    sendBytes(index, line);
  }

  void sendBytes(std::size_t index, const std::string& bytes) {
    Client& c = *clients_[index];
    appendWire(c, bytes, c.out);
    flush(index);
  }

  void flush(std::size_t index) {
    Client& c = *clients_[index];
    while (!c.out.empty()) {
      ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        c.out.erase(0, static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        fail("send to " + c.name + " failed: " + strerror(errno));
      }
    }
    bool want = !c.out.empty();
    if (want != c.want_write) {
      epoll_event ev{};
      ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
      ev.data.u64 = index;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
      c.want_write = want;
    }
  }

  // One epoll wait of at most timeout_ns (nanosecond resolution, for the open loop's schedule).
  void pump(std::int64_t timeout_ns) {
    epoll_event events[kMaxEvents];
    timespec timeout{static_cast<time_t>(timeout_ns / kNsPerSec),
                     static_cast<long>(timeout_ns % kNsPerSec)};
    int n = epoll_pwait2(epoll_, events, kMaxEvents, &timeout, nullptr);
    if (n < 0 && errno != EINTR) fail(std::string("epoll_pwait2: ") + strerror(errno));
    for (int e = 0; e < n; ++e) {
      std::size_t index = events[e].data.u64;
      if (events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) receive(index);
      if (events[e].events & EPOLLOUT) flush(index);
    }
  }

  void receive(std::size_t index) {
    static char buffer[kRecvChunk];
    Client& c = *clients_[index];
    for (int i = 0; i < kMaxReadsPerEvent; ++i) {
      ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        if (o_.quickack) {
          int one = 1;
          setsockopt(c.fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        }
        appendReceived(c, buffer, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buffer) break;
      } else if (n == 0) {
        fail("server closed the connection of " + c.name);
      } else if (errno == EINTR) {
        continue;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        break;
      } else {
        fail("recv for " + c.name + " failed: " + strerror(errno));
      }
    }
    consumeLines(index, nowNs());
  }

  void consumeLines(std::size_t index, std::int64_t now) {
    Client& c = *clients_[index];
    std::string_view in(c.in);
    std::size_t pos = 0;
    for (std::size_t nl; (nl = in.find('\n', pos)) != std::string_view::npos; pos = nl + 1) {
      handleLine(index, in.substr(pos, nl - pos), now);
    }
    c.in.erase(0, pos);
    // Fresh prompts end without a newline; at a lone sender they pile up. Keep only what could
    // still be the start of a payload.
    if (c.in.size() > kMaxUnterminatedBytes) {
      std::size_t marker = c.in.rfind(kPayloadMarker);
      std::size_t keep_from =
          marker != std::string::npos ? marker : c.in.size() - kPayloadMarker.size();
      c.in.erase(0, keep_from);
    }
  }

  void handleLine(std::size_t receiver, std::string_view line, std::int64_t now) {
    std::size_t at = line.find(kPayloadMarker);
    if (at == std::string_view::npos) {
      handleSync(receiver, line);
      return;
    }
    std::string_view rest = line.substr(at + kPayloadMarker.size());
    std::uint64_t sender = 0, seq = 0, stamp = 0;
    if (!parseUint(rest, sender) || !parseUint(rest, seq) || !parseUint(rest, stamp) ||
        sender >= clients_.size() || sender == receiver || seq == 0 ||
        seq > clients_[sender]->sent) {
      ++stats_.malformed;
      return;
    }
    PairState& pair = pairs_[receiver * clients_.size() + sender];
    if (seq == pair.expected) {
      ++pair.expected;
    } else if (seq > pair.expected) {
      for (std::uint64_t s = pair.expected; s < seq; ++s) pair.missing.insert(s);
      pair.expected = seq + 1;
    } else if (pair.missing.erase(seq) != 0) {
      ++stats_.reordered;
    } else {
      ++stats_.duplicates;
      return;
    }
    ++pair.unique;
    ++stats_.deliveries;
    if (stats_.latency_ns.size() < kMaxLatencySamples) {
      stats_.latency_ns.push_back(saturate(now - static_cast<std::int64_t>(stamp)));
    }
    acknowledge(*clients_[sender], seq);
  }

  void handleSync(std::size_t receiver, std::string_view line) {
    std::size_t at = line.find(kSyncMarker);
    if (at == std::string_view::npos) return;
    std::string_view rest = line.substr(at + kSyncMarker.size());
    std::uint64_t from = 0;
    if (parseUint(rest, from) && from != receiver) {
      clients_[receiver]->synced_from.insert(static_cast<int>(from));
    }
  }

  static void acknowledge(Client& sender, std::uint64_t seq) {
    if (sender.outstanding.empty() || seq < sender.outstanding.front().seq) return;
    std::size_t offset = seq - sender.outstanding.front().seq;
    if (offset >= sender.outstanding.size()) return;
    --sender.outstanding[offset].remaining;
    while (!sender.outstanding.empty() && sender.outstanding.front().remaining <= 0) {
      sender.outstanding.pop_front();
    }
  }

  std::vector<Client*> clients_;
  const Options& o_;
  std::vector<PairState> pairs_;
  Stats stats_;
  int epoll_ = -1;
};

// ---------------------------------------------------------------------------------------------
// Joining netcat-chat by name.

// Reads into c.in until `ready` says so or the deadline passes; false on timeout.
template <typename Ready>
bool readUntil(Client& c, std::int64_t deadline, bool quickack, Ready ready) {
  static char buffer[kRecvChunk];
  while (!ready()) {
    std::int64_t left = deadline - nowNs();
    if (left <= 0) return false;
    pollfd p{c.fd, POLLIN, 0};
    int rc = poll(&p, 1, static_cast<int>(left / kNsPerMs) + 1);
    if (rc < 0 && errno != EINTR) fail(std::string("poll: ") + strerror(errno));
    if (rc <= 0) continue;
    ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
    if (n == 0) fail(c.name + ": server closed the connection while joining: " + c.in);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      fail(c.name + ": recv failed while joining: " + strerror(errno));
    }
    if (quickack) {
      int one = 1;
      setsockopt(c.fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    appendReceived(c, buffer, static_cast<std::size_t>(n));
  }
  return true;
}

void sendAllBlocking(Client& c, const std::string& text) {
  std::string bytes;
  appendWire(c, text, bytes);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = send(c.fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(c.name + ": send failed: " + strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

struct JoinResult {
  double name_to_prompt_ms = 0;
  std::uint64_t history_lines = 0;  // payload lines replayed before the own prompt
  std::uint64_t last_seq = 0;
  bool history_in_order = true;  // all from the seed, consecutive seqs
};

// Connects, answers the name prompt, and returns once the client's own prompt "[ts][name]:" has
// arrived; everything after that prompt stays in c.in for the load phase.
// The WebSocket handshake, with an Origin of the server itself as a browser on its page sends.
void openWebSocket(Client& c, const Options& o) {
  const std::string host = o.host + ":" + o.web_port;
  c.web = false;  // the request and the answer are plain bytes
  sendAllBlocking(c, "GET /chat HTTP/1.1\r\nHost: " + host +
                         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
                         std::string(kWebSocketKey) +
                         "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://" + host + "\r\n\r\n");
  const std::int64_t deadline = nowNs() + kJoinTimeoutNs;
  if (!readUntil(c, deadline, false, [&] { return c.in.find("\r\n\r\n") != std::string::npos; })) {
    fail(c.name + ": no answer to the WebSocket handshake; got: " + c.in);
  }
  if (c.in.rfind("HTTP/1.1 101 ", 0) != 0) fail(c.name + ": handshake refused: " + c.in);
  const std::string after = c.in.substr(c.in.find("\r\n\r\n") + 4);
  c.in.clear();
  c.web = true;
  appendReceived(c, after.data(), after.size());
}

// An IRC client registers and joins #general; its join is complete at the end of the names.
JoinResult joinIrc(Client& c, const Options& o) {
  c.fd = connectTo(o, o.irc_port);
  std::string hello;
  if (!o.password.empty()) hello += "PASS :" + o.password + "\r\n";
  hello += "NICK " + c.name + "\r\nUSER " + c.name + " 0 * :loadgen\r\nJOIN #general\r\n";
  const std::int64_t sent_at = nowNs();
  c.irc = false;  // registration lines go as they are; chat lines become PRIVMSGs after it
  sendAllBlocking(c, hello);
  c.irc = true;
  const std::string end_of_names = " 366 " + c.name + " #general ";
  const std::int64_t deadline = nowNs() + kJoinTimeoutNs;
  auto joined = [&] {
    const std::size_t at = c.in.find(end_of_names);
    return at != std::string::npos && c.in.find('\n', at) != std::string::npos;
  };
  if (!readUntil(c, deadline, o.quickack, joined)) {
    fail(c.name + ": did not join #general by IRC within the timeout; got: " + c.in);
  }
  JoinResult result;
  result.name_to_prompt_ms = static_cast<double>(nowNs() - sent_at) / kNsPerMs;
  c.in.erase(0, c.in.find('\n', c.in.find(end_of_names)) + 1);
  setNonBlocking(c.fd);
  return result;
}

JoinResult joinChat(Client& c, const Options& o) {
  if (c.irc) return joinIrc(c, o);
  c.fd = connectTo(o, c.web ? o.web_port : o.port);
  if (c.web) openWebSocket(c, o);
  std::int64_t deadline = nowNs() + kJoinTimeoutNs;
  auto ends_with = [&](std::string_view what) {
    return c.in.size() >= what.size() &&
           std::string_view(c.in).substr(c.in.size() - what.size()) == what;
  };
  if (!o.password.empty()) {
    if (!readUntil(c, deadline, o.quickack, [&] { return ends_with(kPasswordPrompt); })) {
      fail(c.name + ": no password prompt within the timeout; got: " + c.in);
    }
    c.in.clear();
    sendAllBlocking(c, o.password + "\n");
  }
  if (!readUntil(c, deadline, o.quickack, [&] { return ends_with(kNamePrompt); })) {
    fail(c.name + ": no name prompt within the timeout; got: " + c.in);
  }
  c.in.clear();
  std::string own_prompt = "][" + c.name + "]:";
  std::int64_t sent_at = nowNs();
  sendAllBlocking(c, c.name + "\n");
  // Nothing else happens while a client joins, so its own prompt is the last thing it receives.
  // Requiring it at the very end skips history lines by an earlier client of the same name.
  // Only the tail is checked, so a long history replay is not rescanned on every read.
  auto own_prompt_arrived = [&] {
    if (ends_with(kNamePrompt)) fail(c.name + ": name rejected: " + c.in);
    return ends_with(own_prompt);
  };
  bool ok = readUntil(c, deadline, o.quickack, own_prompt_arrived);
  JoinResult result;
  result.name_to_prompt_ms = static_cast<double>(nowNs() - sent_at) / kNsPerMs;
  if (!ok) fail(c.name + ": own prompt did not arrive within the timeout");
  std::size_t found = c.in.size() - own_prompt.size();
  std::string_view history(c.in.data(), found);
  for (std::size_t pos = 0, nl; (nl = history.find('\n', pos)) != std::string_view::npos;
       pos = nl + 1) {
    std::string_view line = history.substr(pos, nl - pos);
    std::size_t at = line.find(kPayloadMarker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + kPayloadMarker.size());
    std::uint64_t sender = 0, seq = 0;
    bool parsed = parseUint(rest, sender) && parseUint(rest, seq) && sender == 0;
    if (!parsed || (result.history_lines > 0 && seq != result.last_seq + 1)) {
      result.history_in_order = false;
    }
    result.last_seq = seq;
    ++result.history_lines;
  }
  c.in.erase(0, found + own_prompt.size());
  setNonBlocking(c.fd);
  return result;
}

void closeClient(Client& c) {
  if (c.fd >= 0) close(c.fd);
  c.fd = -1;
}

std::string clientName(int index) {
  char name[16];
  std::snprintf(name, sizeof name, "user%02d", index + 1);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Phases.

void preloadHistory(const Options& o) {
  Client seed, witness;
  seed.name = "seed";
  witness.name = "witness";
  joinChat(seed, o);
  joinChat(witness, o);
  seed.sender = true;
  Stats s;
  {
    Session session({&seed, &witness}, o);
    s = session.runPreload(static_cast<std::uint64_t>(o.preload));
  }
  if (s.deliveries != static_cast<std::uint64_t>(o.preload) || s.malformed != 0) {
    fail("history preload incomplete");
  }
  closeClient(seed);
  closeClient(witness);
}

struct ReplayStats {
  std::vector<double> ms;
  std::uint64_t lines_min = UINT64_MAX;
  bool in_order = true;
};

ReplayStats measureReplays(const Options& o) {
  ReplayStats r;
  for (int i = 0; i < o.replays; ++i) {
    Client c;
    c.name = "newcomer" + std::to_string(i + 1);
    JoinResult j = joinChat(c, o);
    r.ms.push_back(j.name_to_prompt_ms);
    r.lines_min = std::min(r.lines_min, j.history_lines);
    r.in_order =
        r.in_order && j.history_in_order && j.last_seq == static_cast<std::uint64_t>(o.preload);
    closeClient(c);
  }
  return r;
}

double percentile(std::vector<std::uint32_t> v, double p) {
  if (v.empty()) return 0;
  std::size_t k =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;  // microseconds
}

double maxUs(const std::vector<std::uint32_t>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end()) / 1000.0;
}

double medianMs(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parseOptions(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  // The open loop sleeps until the next due time; the default 50 µs timer slack would be
  // charged to the server as latency.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

  if (o.preload > 0) preloadHistory(o);

  std::vector<Client> clients(static_cast<std::size_t>(o.clients));
  for (int i = 0; i < o.clients; ++i) {
    Client& c = clients[static_cast<std::size_t>(i)];
    c.name = clientName(i);
    c.sender = i < o.senders;
    c.web = i >= o.clients - o.web_clients;
    c.irc = !c.web && i >= o.clients - o.web_clients - o.irc_clients;
    if (o.chat) {
      joinChat(c, o);
    } else {
      c.fd = connectTo(o, o.port);
      setNonBlocking(c.fd);
    }
  }
  std::vector<Client*> pointers;
  for (Client& c : clients) pointers.push_back(&c);

  Stats stats;
  CpuSnapshot before = snapshot(o.server_pid);
  bool load = o.clients >= 2 && o.senders >= 1;
  if (load) {
    Session session(pointers, o);
    if (!o.chat) session.barrier();
    before = snapshot(o.server_pid);
    stats = o.rate > 0 ? session.runOpen(o.rate, o.duration_s, o.max_messages)
                       : session.runClosed(o.window, o.duration_s, o.max_messages);
  }
  CpuSnapshot after = snapshot(o.server_pid);
  ReplayStats replay = measureReplays(o);
  ProcSample last = sampleProcess(o.server_pid);
  for (Client& c : clients) closeClient(c);

  double cpu_s = after.server.ok ? after.server.cpu_s - before.server.cpu_s : 0;
  double own_s = after.own_s - before.own_s;
  double other_s = std::max(0.0, after.machine.busy_s - before.machine.busy_s - cpu_s - own_s);
  double steal_s = after.machine.steal_s - before.machine.steal_s;
  double per_s = stats.wall_s > 0 ? static_cast<double>(stats.deliveries) / stats.wall_s : 0;
  double per_cpu_s = cpu_s > 0 ? static_cast<double>(stats.deliveries) / cpu_s : 0;
  double p50 = percentile(stats.latency_ns, 0.50);
  double p90 = percentile(stats.latency_ns, 0.90);
  double p99 = percentile(stats.latency_ns, 0.99);
  double p999 = percentile(stats.latency_ns, 0.999);
  double lat_max = maxUs(stats.latency_ns);
  double lag_p99 = percentile(stats.send_lag_ns, 0.99);
  bool replay_ok = replay.ms.empty() ||
                   (replay.in_order && replay.lines_min == static_cast<std::uint64_t>(o.preload));

  std::printf(
      "RESULT server=%s mode=%s loop=%s clients=%d web_clients=%d irc_clients=%d senders=%d "
      "window=%d rate=%.0f "
      "quickack=%d nodelay=%d payload_bytes=%zu sent=%llu deliveries=%llu expected=%llu "
      "lost=%llu duplicates=%llu reordered=%llu malformed=%llu wall_s=%.3f deliv_per_s=%.0f "
      "server_cpu_s=%.2f deliv_per_cpu_s=%.0f loadgen_cpu_s=%.2f other_cpu_s=%.2f steal_s=%.2f "
      "lat_p50_us=%.1f lat_p90_us=%.1f lat_p99_us=%.1f lat_p999_us=%.1f lat_max_us=%.1f "
      "send_lag_p99_us=%.1f rss_peak_kib=%ld preload=%d replays=%zu replay_ms_p50=%.2f "
      "replay_ms_max=%.2f replay_lines=%llu replay_ok=%d\n",
      o.label.c_str(), o.chat ? "chat" : "raw",
      !load        ? "none"
      : o.rate > 0 ? "open"
                   : "closed",
      o.clients, o.web_clients, o.irc_clients, o.senders, o.window, o.rate, o.quickack, o.nodelay,
      o.payload_bytes, static_cast<unsigned long long>(stats.sent),
      static_cast<unsigned long long>(stats.deliveries),
      static_cast<unsigned long long>(stats.expected), static_cast<unsigned long long>(stats.lost),
      static_cast<unsigned long long>(stats.duplicates),
      static_cast<unsigned long long>(stats.reordered),
      static_cast<unsigned long long>(stats.malformed), stats.wall_s, per_s, cpu_s, per_cpu_s,
      own_s, other_s, steal_s, p50, p90, p99, p999, lat_max, lag_p99, last.hwm_kib, o.preload,
      replay.ms.size(), medianMs(replay.ms),
      replay.ms.empty() ? 0 : *std::max_element(replay.ms.begin(), replay.ms.end()),
      static_cast<unsigned long long>(replay.ms.empty() ? 0 : replay.lines_min), replay_ok);

  if (load) {
    std::printf("# %s: %d clients (%d sending), %llu sent, %llu of %llu delivered in %.2f s\n",
                o.label.c_str(), o.clients, o.senders, static_cast<unsigned long long>(stats.sent),
                static_cast<unsigned long long>(stats.deliveries),
                static_cast<unsigned long long>(stats.expected), stats.wall_s);
    std::printf("#   %.0f deliveries/s, %.0f per server CPU second (%.2f s CPU)\n", per_s,
                per_cpu_s, cpu_s);
    std::printf("#   latency p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
                p50, p90, p99, p999, lat_max);
    std::printf("#   CPU: this tool %.2f s, everything else on the machine %.2f s, stolen %.2f s\n",
                own_s, other_s, steal_s);
    std::printf("#   lost %llu, duplicated %llu, reordered %llu, malformed %llu\n",
                static_cast<unsigned long long>(stats.lost),
                static_cast<unsigned long long>(stats.duplicates),
                static_cast<unsigned long long>(stats.reordered),
                static_cast<unsigned long long>(stats.malformed));
  }
  if (!replay.ms.empty()) {
    std::printf("# history replay of %d lines: median %.2f ms, max %.2f ms, %s\n", o.preload,
                medianMs(replay.ms), *std::max_element(replay.ms.begin(), replay.ms.end()),
                replay_ok ? "complete and in order" : "INCOMPLETE or out of order");
  }
  if (o.server_pid > 0) std::printf("#   server peak RSS %ld KiB\n", last.hwm_kib);

  bool clean = stats.lost == 0 && stats.duplicates == 0 && stats.reordered == 0 &&
               stats.malformed == 0 && replay_ok;
  return o.strict && !clean ? 1 : 0;
}
