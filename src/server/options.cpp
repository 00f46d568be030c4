// Command-line parsing: every value validated, every mistake named.
#include "server/options.hpp"

#include <optional>
#include <string_view>

namespace server {
namespace {

// Bounds that keep a typo from asking for absurd memory or a timeout nobody means.
constexpr std::uint64_t kMaxHistory = 1000000;
constexpr std::uint64_t kMaxNameTimeoutSeconds = 24 * 60 * 60;

std::optional<std::uint64_t> parseNumber(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

struct Parser {
  const std::vector<std::string>& args;
  std::size_t max_clients_limit;
  ParsedCommandLine result;
  std::size_t positionals = 0;

  bool fail(std::string problem) {
    result.action = ParsedCommandLine::Action::Usage;
    result.problem = std::move(problem);
    return false;
  }

  bool number(std::string_view option, std::string_view text, std::uint64_t low, std::uint64_t high,
              std::uint64_t& out) {
    const auto value = parseNumber(text);
    if (!value || *value < low || *value > high) {
      return fail(std::string(option) + " takes a whole number from " + std::to_string(low) +
                  " to " + std::to_string(high) + ", not '" + std::string(text) + "'");
    }
    out = *value;
    return true;
  }

  bool option(std::string_view name, std::string_view value) {
    std::uint64_t n = 0;
    Options& o = result.options;
    if (name == "--max-clients") {
      if (!number(name, value, 1, max_clients_limit, n)) return false;
      o.chat.max_clients = static_cast<std::size_t>(n);
    } else if (name == "--history") {
      if (!number(name, value, 0, kMaxHistory, n)) return false;
      o.chat.history = static_cast<std::size_t>(n);
    } else if (name == "--name-timeout") {
      if (!number(name, value, 1, kMaxNameTimeoutSeconds, n)) return false;
      o.chat.name_timeout_ms = static_cast<std::int64_t>(n) * 1000;
    } else if (name == "--log") {
      if (value.empty()) return fail("--log needs a file name");
      o.log_path = std::string(value);
    } else if (name == "--bind") {
      if (value.empty()) return fail("--bind needs an address or host name");
      o.bind = std::string(value);
    }
    return true;
  }

  bool positional(std::string_view arg) {
    if (++positionals > 1)
      return fail("only one port may be given, not also '" + std::string(arg) + "'");
    std::uint64_t port = 0;
    if (!number("the port", arg, 1, 65535, port)) return false;
    result.options.port = static_cast<std::uint16_t>(port);
    return true;
  }

  bool takesValue(std::string_view name) {
    return name == "--max-clients" || name == "--history" || name == "--name-timeout" ||
           name == "--log" || name == "--bind";
  }

  // Returns false to stop (an answer other than Run has been decided).
  bool step(std::size_t& i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      result.action = ParsedCommandLine::Action::Help;
      return false;
    }
    if (arg == "--version") {
      result.action = ParsedCommandLine::Action::Version;
      return false;
    }
    if (arg.size() < 2 || arg[0] != '-') return positional(arg);
    const std::size_t equals = arg.find('=');
    const std::string_view name = arg.substr(0, equals);
    if (!takesValue(name)) return fail("unknown option '" + std::string(arg) + "'");
    if (equals != std::string_view::npos) return option(name, arg.substr(equals + 1));
    if (i + 1 >= args.size()) return fail(std::string(name) + " needs a value");
    return option(name, args[++i]);
  }
};

}  // namespace

ParsedCommandLine parseCommandLine(const std::vector<std::string>& args,
                                   std::size_t max_clients_limit) {
  Parser parser{args, max_clients_limit, {}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!parser.step(i)) break;
  }
  return parser.result;
}

std::string helpText(std::size_t max_clients_limit) {
  const Options defaults;
  return std::string(kUsageLine) +
         " [OPTIONS]\n"
         "\n"
         "A group chat for nc and telnet: everyone who connects picks a name, and every line\n"
         "they type reaches everyone else as [YYYY-MM-DD HH:MM:SS][name]:text.\n"
         "\n"
         "  PORT                 TCP port to listen on, 1-65535 (default " +
         std::to_string(kDefaultPort) +
         ")\n"
         "  --max-clients N      connections served at once, counting those still choosing a\n"
         "                       name (default " +
         std::to_string(defaults.chat.max_clients) + ", at most " +
         std::to_string(max_clients_limit) +
         " here)\n"
         "  --history N          chat messages kept and replayed to newcomers (default " +
         std::to_string(defaults.chat.history) +
         ")\n"
         "  --log FILE           append every chat event to FILE and reload the history from it\n"
         "                       on start (default: no log)\n"
         "  --bind ADDR          address to listen on, IPv4 or IPv6 literal or host name\n"
         "                       (default: all interfaces, IPv6 and IPv4)\n"
         "  --name-timeout S     seconds a connection may take to pick a name (default " +
         std::to_string(defaults.chat.name_timeout_ms / 1000) +
         ")\n"
         "  -h, --help           this help\n"
         "  --version            the version\n"
         "\n"
         "In the chat, type /help for the commands (/list, /name, /join, /rooms, /quit).\n"
         "\n"
         "Examples:\n"
         "  netcat-chat                      listen on port 8989\n"
         "  netcat-chat 2525 --max-clients 20 --log chat.log\n"
         "  nc localhost 2525                join from another terminal\n"
         "\n"
         "Exit status: 0 after a clean shutdown (SIGINT, SIGTERM, Ctrl-C), 1 when the port\n"
         "cannot be used, 2 for a mistaken command line.\n";
}

}  // namespace server
