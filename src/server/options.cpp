// Command-line parsing for both modes: every value validated, every mistake named.
#include "server/options.hpp"

#include <optional>
#include <utility>

namespace server {
namespace {

// Bounds that keep a typo from asking for absurd memory or a timeout nobody means.
constexpr std::uint64_t kMaxHistory = 1000000;
constexpr std::uint64_t kMaxNameTimeoutSeconds = 24 * 60 * 60;
constexpr std::uint64_t kMaxConnectTimeoutSeconds = 24 * 60 * 60;
constexpr std::uint64_t kMaxBurst = 1000000;
// Lines per second; far above what anyone types, so a large value just means "no limit" too.
constexpr std::uint64_t kMaxRate = 1000000;
// --rate takes fractions down to one line in a million seconds; more digits mean nothing.
constexpr int kRateDecimals = 6;
constexpr std::uint64_t kRateScale = 1000000;
// Longer numbers overflow nothing but are certainly typos.
constexpr std::size_t kMaxNumberDigits = 12;
// Each is checked for every connection and every X-Forwarded-For entry; a site has a few.
constexpr std::size_t kMaxTrustedProxies = 64;

enum class Id {
  MaxClients,
  History,
  Log,
  Bind,
  NameTimeout,
  Rate,
  Burst,
  MaxPerAddress,
  Connect,
  Web,
  WebOrigin,
  Irc,
  IrcHistory,
  IrcName,
  Keepalive,
  PasswordFile,
  Port,
  Wait,
  Ipv4,
  Ipv6,
  Listen,
  KeepListening,
  Help,
  Version,
  // Who may connect (docs/ACCESS.md).
  Allow,
  Deny,
  AllowFile,
  DenyFile,
  TrustedProxy,
};

// Which mode an option belongs to; one that does not apply to the mode is a mistake
// (docs/netcat-chat.1).
enum class Applies { Both, Serve, Connect };

struct Spec {
  Id id;
  std::string_view long_name;  // empty: short form only
  char short_name;             // 0: long form only
  bool takes_value;
  Applies applies;
};

constexpr Spec kSpecs[] = {
    {Id::MaxClients, "--max-clients", 0, true, Applies::Serve},
    {Id::History, "--history", 0, true, Applies::Serve},
    {Id::Log, "--log", 0, true, Applies::Serve},
    {Id::Bind, "--bind", 's', true, Applies::Both},
    {Id::NameTimeout, "--name-timeout", 0, true, Applies::Serve},
    {Id::Rate, "--rate", 0, true, Applies::Serve},
    {Id::Burst, "--burst", 0, true, Applies::Serve},
    {Id::MaxPerAddress, "--max-per-address", 0, true, Applies::Serve},
    {Id::Connect, "--connect", 0, true, Applies::Connect},
    {Id::Web, "--web", 0, true, Applies::Serve},
    {Id::WebOrigin, "--web-origin", 0, true, Applies::Serve},
    {Id::Irc, "--irc", 0, true, Applies::Serve},
    {Id::IrcHistory, "--irc-history", 0, true, Applies::Serve},
    {Id::IrcName, "--irc-name", 0, true, Applies::Serve},
    {Id::Keepalive, "--keepalive", 0, true, Applies::Both},
    {Id::PasswordFile, "--password-file", 0, true, Applies::Both},
    {Id::Port, "", 'p', true, Applies::Both},
    {Id::Wait, "", 'w', true, Applies::Connect},
    {Id::Ipv4, "", '4', false, Applies::Both},
    {Id::Ipv6, "", '6', false, Applies::Both},
    {Id::Listen, "", 'l', false, Applies::Serve},
    {Id::KeepListening, "", 'k', false, Applies::Serve},
    {Id::Help, "--help", 'h', false, Applies::Both},
    {Id::Version, "--version", 0, false, Applies::Both},
    // Who may connect (docs/ACCESS.md).
    {Id::Allow, "--allow", 0, true, Applies::Serve},
    {Id::Deny, "--deny", 0, true, Applies::Serve},
    {Id::AllowFile, "--allowfile", 0, true, Applies::Serve},
    {Id::DenyFile, "--denyfile", 0, true, Applies::Serve},
    {Id::TrustedProxy, "--trusted-proxy", 0, true, Applies::Serve},
};

const Spec* findLong(std::string_view name) {
  for (const Spec& spec : kSpecs) {
    if (!spec.long_name.empty() && spec.long_name == name) return &spec;
  }
  return nullptr;
}

const Spec* findShort(char name) {
  for (const Spec& spec : kSpecs) {
    if (spec.short_name != 0 && spec.short_name == name) return &spec;
  }
  return nullptr;
}

std::optional<std::uint64_t> parseNumber(std::string_view text) {
  if (text.empty() || text.size() > kMaxNumberDigits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// "2", "0.5", "1.25": the value in millionths.
std::optional<std::uint64_t> parseMillionths(std::string_view text) {
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if ((whole.empty() && fraction.empty()) || fraction.size() > kRateDecimals) return std::nullopt;
  const auto units = whole.empty() ? std::optional<std::uint64_t>(0) : parseNumber(whole);
  if (!units || (!fraction.empty() && !parseNumber(fraction))) return std::nullopt;
  std::uint64_t parts = fraction.empty() ? 0 : *parseNumber(fraction);
  for (std::size_t i = fraction.size(); i < kRateDecimals; ++i) parts *= 10;
  return *units * kRateScale + parts;
}

struct Parser {
  const std::vector<std::string>& args;
  std::size_t max_clients_limit;
  ParsedCommandLine result;
  // Every option given, with the form it was written in ("-s" or "--bind") for messages.
  std::vector<std::pair<const Spec*, std::string>> seen;
  std::vector<std::string> ports;  // every port given, as written, to refuse a second one
  bool stopped = false;

  bool fail(std::string problem) {
    result.action = ParsedCommandLine::Action::Usage;
    result.problem = std::move(problem);
    stopped = true;
    return false;
  }

  const std::string& written() const { return seen.back().second; }

  bool number(std::string_view text, std::uint64_t low, std::uint64_t high, std::uint64_t& out) {
    const auto value = parseNumber(text);
    if (!value || *value < low || *value > high) {
      return fail(written() + " takes a whole number from " + std::to_string(low) + " to " +
                  std::to_string(high) + ", not '" + std::string(text) + "'");
    }
    out = *value;
    return true;
  }

  // 0 (off) or 1 to kMaxKeepaliveSeconds.
  bool keepalive(std::string_view text) {
    const auto value = parseNumber(text);
    if (!value || *value > static_cast<std::uint64_t>(net::kMaxKeepaliveSeconds)) {
      return fail(written() + " takes 0 (off) or a whole number of seconds from 1 to " +
                  std::to_string(net::kMaxKeepaliveSeconds) + ", not '" + std::string(text) + "'");
    }
    result.options.keepalive_s = static_cast<int>(*value);
    return true;
  }

  bool rate(std::string_view text) {
    const auto millionths = parseMillionths(text);
    if (!millionths || *millionths > kMaxRate * kRateScale) {
      return fail(written() + " takes a number of lines per second from 0 (off) to " +
                  std::to_string(kMaxRate) + ", such as 2 or 0.5, not '" + std::string(text) + "'");
    }
    result.options.chat.rate = static_cast<double>(*millionths) / kRateScale;
    return true;
  }

  bool webOrigin(std::string_view text) {
    const std::optional<WebOrigin> origin = parseWebOrigin(text);
    if (!origin) {
      return fail(written() +
                  " takes an origin such as https://chat.example or http://[::1]:8080 "
                  "(http or https, a host, an optional port, nothing after), not '" +
                  std::string(text) + "'");
    }
    result.options.web_origins.push_back(*origin);
    return true;
  }

  bool text(std::string_view value, std::string_view what, std::string& out) {
    if (value.empty()) return fail(written() + " needs " + std::string(what));
    out = std::string(value);
    return true;
  }

  // --allow, --deny and --trusted-proxy: ADDR or ADDR/BITS.
  std::optional<CidrRule> cidrRule(std::string_view value) {
    std::string why;
    const auto rule = parseCidrRule(value, why);
    if (!rule) fail(written() + " '" + std::string(value) + "': " + why);
    return rule;
  }

  bool addressRule(AddressRules::List list, std::string_view value) {
    const auto rule = cidrRule(value);
    if (!rule) return false;
    std::string why;
    if (!result.options.address_rules.add(list, *rule, written() + " " + std::string(value), why)) {
      return fail(why);
    }
    return true;
  }

  bool trustedProxy(std::string_view value) {
    const auto rule = cidrRule(value);
    if (!rule) return false;
    if (result.options.trusted_proxies.size() >= kMaxTrustedProxies) {
      return fail("more than " + std::to_string(kMaxTrustedProxies) + " " + written() + " rules");
    }
    result.options.trusted_proxies.push_back(*rule);
    return true;
  }

  // A host name, as IRC clients expect a server's name to be: letters, digits, '.' and '-'.
  bool ircName(std::string_view value) {
    const bool ok = !value.empty() && value.size() <= kMaxIrcNameBytes && value.front() != '-' &&
                    value.front() != '.' &&
                    value.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789.-") == std::string_view::npos;
    if (!ok) {
      return fail("--irc-name needs a host name (letters, digits, '.' and '-', at most " +
                  std::to_string(kMaxIrcNameBytes) + "), not \"" + std::string(value) + "\"");
    }
    result.options.irc_name = std::string(value);
    return true;
  }

  bool ruleFile(AddressRules::List list, std::string_view value) {
    std::string path;
    if (!text(value, "a file name", path)) return false;
    result.options.rule_files.emplace_back(list, std::move(path));
    return true;
  }

  bool apply(const Spec& spec, std::string as_written, std::string_view value) {
    seen.emplace_back(&spec, std::move(as_written));
    std::uint64_t n = 0;
    Options& o = result.options;
    switch (spec.id) {
      case Id::MaxClients:
        if (!number(value, 1, max_clients_limit, n)) return false;
        o.chat.max_clients = static_cast<std::size_t>(n);
        return true;
      case Id::History:
        if (!number(value, 0, kMaxHistory, n)) return false;
        o.chat.history = static_cast<std::size_t>(n);
        return true;
      case Id::NameTimeout:
        if (!number(value, 1, kMaxNameTimeoutSeconds, n)) return false;
        o.chat.name_timeout_ms = static_cast<std::int64_t>(n) * 1000;
        return true;
      case Id::Rate:
        return rate(value);
      case Id::Keepalive:
        return keepalive(value);
      case Id::Burst:
        if (!number(value, 1, kMaxBurst, n)) return false;
        o.chat.burst = static_cast<std::size_t>(n);
        return true;
      case Id::MaxPerAddress:
        if (!number(value, 0, max_clients_limit, n)) return false;
        o.chat.max_per_address = static_cast<std::size_t>(n);
        return true;
      case Id::Wait:
        if (!number(value, 1, kMaxConnectTimeoutSeconds, n)) return false;
        o.connect_timeout_ms = static_cast<std::int64_t>(n) * 1000;
        return true;
      case Id::Log:
        return text(value, "a file name", o.log_path);
      case Id::PasswordFile:
        return text(value, "a file name", o.password_file);
      case Id::Bind:
        return text(value, "an address or host name", o.bind);
      case Id::Connect:
        o.mode = Options::Mode::Connect;
        return text(value, "the host name or address of a server", o.connect_host);
      case Id::Web:
        if (!number(value, 1, 65535, n)) return false;
        o.web_port = static_cast<std::uint16_t>(n);
        return true;
      case Id::WebOrigin:
        return webOrigin(value);
      case Id::Irc:
        if (!number(value, 1, 65535, n)) return false;
        o.irc_port = static_cast<std::uint16_t>(n);
        return true;
      case Id::IrcHistory:
        if (!number(value, 0, kMaxHistory, n)) return false;
        o.irc_history = static_cast<std::size_t>(n);
        return true;
      case Id::IrcName:
        return ircName(value);
      case Id::Port:
        ports.emplace_back(value);
        return true;
      case Id::Ipv4:
        o.family = net::Family::V4;
        return true;
      case Id::Ipv6:
        o.family = net::Family::V6;
        return true;
      case Id::Listen:
      case Id::KeepListening:
        return true;
      case Id::Help:
        result.action = ParsedCommandLine::Action::Help;
        stopped = true;
        return false;
      case Id::Version:
        result.action = ParsedCommandLine::Action::Version;
        stopped = true;
        return false;
      // Who may connect (docs/ACCESS.md).
      case Id::Allow:
        return addressRule(AddressRules::List::Allow, value);
      case Id::Deny:
        return addressRule(AddressRules::List::Deny, value);
      case Id::AllowFile:
        return ruleFile(AddressRules::List::Allow, value);
      case Id::DenyFile:
        return ruleFile(AddressRules::List::Deny, value);
      case Id::TrustedProxy:
        return trustedProxy(value);
    }
    return true;
  }

  bool longOption(std::size_t& i) {
    const std::string_view arg = args[i];
    const std::size_t equals = arg.find('=');
    const std::string name(arg.substr(0, equals));
    const Spec* spec = findLong(name);
    if (spec == nullptr) return fail("unknown option '" + std::string(arg) + "'");
    if (!spec->takes_value) {
      if (equals != std::string_view::npos) return fail(name + " takes no value");
      return apply(*spec, name, {});
    }
    if (equals != std::string_view::npos) return apply(*spec, name, arg.substr(equals + 1));
    if (i + 1 >= args.size()) return fail(name + " needs a value");
    return apply(*spec, name, args[++i]);
  }

  // nc's short flags, which may be grouped ("-lk", "-4lp 2525"); a flag that takes a value takes
  // the rest of the group ("-p2525") or the next argument.
  bool shortGroup(std::size_t& i) {
    const std::string_view arg = args[i];
    for (std::size_t j = 1; j < arg.size(); ++j) {
      const Spec* spec = findShort(arg[j]);
      const std::string flag = std::string("-") + arg[j];
      if (spec == nullptr) {
        return fail("unknown option '" + flag + "'" +
                    (arg.size() > 2 ? " in '" + std::string(arg) + "'" : std::string()));
      }
      if (!spec->takes_value) {
        if (!apply(*spec, flag, {})) return false;
        continue;
      }
      if (j + 1 < arg.size()) return apply(*spec, flag, arg.substr(j + 1));
      if (i + 1 >= args.size()) return fail(flag + " needs a value");
      return apply(*spec, flag, args[++i]);
    }
    return true;
  }

  bool step(std::size_t& i) {
    const std::string_view arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      ports.emplace_back(arg);
      return true;
    }
    return arg[1] == '-' ? longOption(i) : shortGroup(i);
  }

  // Splits "host:port" and "[v6]:port"; a bare IPv6 address has more than one colon and no port.
  bool splitConnectHost() {
    std::string& host = result.options.connect_host;
    std::string port;
    if (host.front() == '[') {
      const std::size_t close = host.find(']');
      if (close == std::string::npos) return fail("--connect '" + host + "' lacks its closing ']'");
      const std::string rest = host.substr(close + 1);
      if (!rest.empty() && rest.front() != ':') {
        return fail("--connect '" + host + "': only ':PORT' may follow ']'");
      }
      if (!rest.empty()) port = rest.substr(1);
      if (!rest.empty() && port.empty())
        return fail("--connect '" + host + "' has no port after ':'");
      host = host.substr(1, close - 1);
    } else if (const std::size_t colon = host.find(':');
               colon != std::string::npos && host.find(':', colon + 1) == std::string::npos) {
      port = host.substr(colon + 1);
      if (port.empty()) return fail("--connect '" + host + "' has no port after ':'");
      host = host.substr(0, colon);
    }
    if (host.empty()) return fail("--connect needs the host name or address of a server");
    if (!port.empty()) ports.insert(ports.begin(), port);
    return true;
  }

  bool checkPort() {
    if (ports.size() > 1) {
      return fail("only one port may be given, not '" + ports[0] + "' and also '" + ports[1] + "'");
    }
    if (ports.empty()) return true;
    const auto port = parseNumber(ports[0]);
    if (!port || *port < 1 || *port > 65535) {
      return fail("the port must be a whole number from 1 to 65535, not '" + ports[0] + "'");
    }
    result.options.port = static_cast<std::uint16_t>(*port);
    return true;
  }

  bool checkModes() {
    const bool connecting = result.options.mode == Options::Mode::Connect;
    bool ipv4 = false;
    bool ipv6 = false;
    for (const auto& [spec, as_written] : seen) {
      ipv4 = ipv4 || spec->id == Id::Ipv4;
      ipv6 = ipv6 || spec->id == Id::Ipv6;
      if (spec->applies == Applies::Serve && connecting) {
        return fail(as_written + " is a server option; it does not go with --connect");
      }
      if (spec->applies == Applies::Connect && !connecting) {
        return fail(as_written + " applies only with --connect HOST");
      }
    }
    if (ipv4 && ipv6) return fail("-4 and -6 contradict each other: give one of them");
    if (!result.options.web_origins.empty() && result.options.web_port == 0) {
      return fail("--web-origin names pages for the web port: it goes with --web PORT");
    }
    for (const auto& [spec, as_written] : seen) {
      if ((spec->id == Id::IrcHistory || spec->id == Id::IrcName) && result.options.irc_port == 0) {
        return fail(as_written + " is for the IRC port: it goes with --irc PORT");
      }
    }
    return true;
  }

  void run() {
    for (std::size_t i = 0; i < args.size() && !stopped; ++i) step(i);
    if (stopped) return;
    if (result.options.mode == Options::Mode::Connect && !splitConnectHost()) return;
    if (!checkPort()) return;
    checkModes();
  }
};

}  // namespace

ParsedCommandLine parseCommandLine(const std::vector<std::string>& args,
                                   std::size_t max_clients_limit) {
  Parser parser{args, max_clients_limit, {}, {}, {}};
  parser.run();
  return parser.result;
}

std::string helpText(std::size_t max_clients_limit) {
  const Options defaults;
  const auto n = [](auto value) { return std::to_string(value); };
  return std::string(kUsageLine) +
         " [OPTIONS]\n"
         "        ./netcat-chat --connect HOST [PORT] [OPTIONS]\n"
         "\n"
         "A group chat for nc and telnet: everyone who connects picks a name, and every line\n"
         "they type reaches everyone else as [YYYY-MM-DD HH:MM:SS][name]:text. With --connect,\n"
         "the same program is the client that joins such a chat.\n"
         "\n"
         "Serving (the default):\n"
         "  PORT, -p PORT          TCP port to listen on, 1-65535 (default " +
         n(kDefaultPort) +
         ")\n"
         "  --max-clients N        connections served at once, counting those still choosing a\n"
         "                         name (default " +
         n(defaults.chat.max_clients) + ", at most " + n(max_clients_limit) +
         " here)\n"
         "  --history N            chat messages kept and replayed to newcomers (default " +
         n(defaults.chat.history) +
         ")\n"
         "  --log FILE             append every chat event to FILE and reload the history from\n"
         "                         it on start (default: no log)\n"
         "  --bind ADDR, -s ADDR   address to listen on, IPv4 or IPv6 literal or host name\n"
         "                         (default: all interfaces, IPv6 and IPv4)\n"
         "  --name-timeout S       seconds a connection may take to pick a name (default " +
         n(defaults.chat.name_timeout_ms / 1000) +
         ")\n"
         "  --rate N               lines per second each client may send once its burst is\n"
         "                         used, fractions allowed; 0 turns flood control off\n"
         "                         (default 2)\n"
         "  --burst N              lines a client may send at once before --rate applies\n"
         "                         (default " +
         n(defaults.chat.burst) +
         ", at least 1)\n"
         "  --max-per-address N    connections at once from one IP address (default 0: no\n"
         "                         limit)\n"
         "  --web PORT             also serve the chat to web browsers on PORT: open\n"
         "                         http://HOST:PORT/ (default: off)\n"
         "  --irc PORT             also let IRC clients join on PORT: rooms are channels\n"
         "                         (#general), names are nicks (default: off)\n"
         "  --irc-history N        messages an IRC client that asks for server-time gets\n"
         "                         when it joins a channel (default " +
         n(defaults.irc_history) +
         "; 0 for a bridge)\n"
         "  --irc-name NAME        the IRC server's name (default: this host's name)\n"
         "  --password-file FILE   ask everyone for the password on FILE's first line before\n"
         "                         anything else; FILE must not be readable by every user\n"
         "                         (default: no password)\n"
         "  --web-origin ORIGIN    one more origin (scheme://host[:port]) whose pages may\n"
         "                         open the chat, for a proxy in front of --web that does\n"
         "                         not pass Host on; repeatable (default: the web port's\n"
         "                         own page only)\n"
         "  --allow ADDR[/BITS]    only addresses that match an --allow rule may connect\n"
         "                         (repeatable; default: everyone), e.g. 192.168.1.0/24\n"
         "  --deny ADDR[/BITS]     addresses that may not connect, even if allowed\n"
         "                         (repeatable)\n"
         "  --allowfile FILE, --denyfile FILE\n"
         "                         the same rules from FILE, one per line, # comments\n"
         "  --trusted-proxy ADDR[/BITS]\n"
         "                         a proxy that speaks for the real client: on the chat port\n"
         "                         it sends a PROXY protocol v1 header first, on the web port\n"
         "                         X-Forwarded-For (repeatable; default: none)\n"
         "  -4, -6                 listen on IPv4 only, or on IPv6 only (default: both)\n"
         "  -l, -k                 accepted as nc has them; the server always listens and\n"
         "                         keeps listening\n"
         "\n"
         "Joining a chat (client mode):\n"
         "  --connect HOST [PORT]  join the chat at HOST, port PORT (default " +
         n(kDefaultPort) +
         "); HOST:PORT\n"
         "                         and [IPv6]:PORT work too\n"
         "  -s ADDR, --bind ADDR   local address to connect from\n"
         "  -w S                   give up connecting after S seconds (default " +
         n(defaults.connect_timeout_ms / 1000) +
         ")\n"
         "  -4, -6                 connect over IPv4 only, or over IPv6 only\n"
         "  --password-file FILE   answer the password prompt with FILE's first line\n"
         "                         on every connection (default: you type it, unseen)\n"
         "  On a terminal, the line you type stays on the last line of the screen while\n"
         "  messages arrive above it; piped, it passes bytes through as nc does.\n"
         "\n"
         "Both modes:\n"
         "  --keepalive S          seconds a connection may be silent before the other end\n"
         "                         is probed; one that stops answering is given up within\n"
         "                         2xS seconds (default " +
         n(defaults.keepalive_s) + ", 0: off, at most " + n(net::kMaxKeepaliveSeconds) +
         ")\n"
         "  -h, --help             this help\n"
         "  --version              the version\n"
         "\n"
         "In the chat, type /help for the commands (/list, /name, /join, /rooms, /msg,\n"
         "/ignore, /quit).\n"
         "\n"
         "Examples:\n"
         "  netcat-chat                          listen on port 8989\n"
         "  netcat-chat 2525 --max-clients 20 --log chat.log\n"
         "  netcat-chat -4 -p 2525 --max-per-address 3\n"
         "  netcat-chat 2525 --web 8080          browsers join at http://HOST:8080/\n"
         "  netcat-chat 2525 --irc 6667          IRC clients: /connect HOST 6667\n"
         "  netcat-chat 2525 --bind 127.0.0.1 --web 8080 --web-origin https://chat.example\n"
         "                                       behind a TLS proxy (docs/TLS.md)\n"
         "  netcat-chat --connect localhost 2525 join from another terminal\n"
         "  netcat-chat --connect 192.168.1.20:2525\n"
         "  nc localhost 2525                    join with nc, or telnet localhost 2525\n"
         "\n"
         "Exit status: 0 after a clean shutdown (SIGINT, SIGTERM, Ctrl-C) or, with --connect,\n"
         "when the chat ends; 1 when the port cannot be used or the server cannot be reached\n"
         "or the connection fails; 2 for a mistaken command line.\n";
}

}  // namespace server
