// netcat-chat: parse the command line, then run the server or the --connect client.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "chat/chat.hpp"
#include "client/client.hpp"
#include "faces/irc/irc_face.hpp"
#include "net.hpp"
#include "server/chat_log.hpp"
#include "server/console_log.hpp"
#include "server/options.hpp"
#include "server/password_file.hpp"
#include "server/server.hpp"

namespace {

constexpr int kExitCannotServe = 1;
constexpr int kExitUsage = 2;
// The IRC server's name when neither --irc-name nor the host's name gives one.
constexpr std::string_view kDefaultIrcName = "netcat-chat";

std::string listenTarget(const server::Options& options, std::uint16_t port) {
  return options.bind.empty() ? std::to_string(port) : std::to_string(port) + " of " + options.bind;
}

// The allow and deny rules, with the files read now, and the trusted proxies (docs/ACCESS.md).
bool loadAccess(const server::Options& options, server::AccessPolicy& access) {
  access.rules = options.address_rules;
  for (const auto& [list, path] : options.rule_files) {
    std::string why;
    if (!access.rules.addFile(list, path, why)) {
      std::cerr << "netcat-chat: " << why << "\n";
      return false;
    }
  }
  access.trusted_proxies = options.trusted_proxies;
  access.max_pending_proxied = options.chat.max_clients;
  access.proxy_timeout_ms = options.chat.name_timeout_ms;
  return true;
}

// --irc-name, or the host's name when it is one IRC clients take (letters, digits, '.', '-').
std::string ircServerName(const std::string& given) {
  if (!given.empty()) return given;
  const std::string host = net::hostName();
  const bool usable =
      !host.empty() && host.size() <= server::kMaxIrcNameBytes &&
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
          std::string::npos;
  return usable ? host : std::string(kDefaultIrcName);
}

int serve(server::Options options) {
  std::string why;
  if (!options.password_file.empty() &&
      !server::loadPassword(options.password_file, true, options.chat.password, why)) {
    std::cerr << "netcat-chat: " << why << "\n";
    return kExitCannotServe;
  }
  net::NetInit network;
  if (!network.ok()) {
    std::cerr << "netcat-chat: cannot start networking: " << network.error().message << "\n";
    return kExitCannotServe;
  }
  net::installShutdownHandler();
  server::ConsoleLog log;
  std::unique_ptr<server::ChatLog> chat_log;
  if (!options.log_path.empty()) chat_log = std::make_unique<server::ChatLog>();
  chat::Chat chat(options.chat, log, chat_log.get());
  if (chat_log && !chat_log->open(options.log_path, chat, options.chat.history, why)) {
    std::cerr << "netcat-chat: cannot use the chat log " << options.log_path << ": " << why << "\n";
    return kExitCannotServe;
  }
  server::AccessPolicy access;
  if (!loadAccess(options, access)) return kExitCannotServe;
  net::NetError error;
  server::ChatPort chat_port;
  chat_port.listener = net::listenTcp(options.bind, options.port, options.family, error);
  chat_port.max_arrivals = options.chat.max_clients;
  chat_port.request_timeout_ms = options.chat.name_timeout_ms;
  if (!chat_port.listener.valid()) {
    std::cerr << "netcat-chat: cannot listen on port " << listenTarget(options, options.port)
              << ": " << error.message << "\n";
    return kExitCannotServe;
  }
  server::WebPort web;
  if (options.web_port != 0) {
    web.listener = net::listenTcp(options.bind, options.web_port, options.family, error);
    if (!web.listener.valid()) {
      std::cerr << "netcat-chat: cannot listen on web port "
                << listenTarget(options, options.web_port) << ": " << error.message << "\n";
      return kExitCannotServe;
    }
    web.port = options.web_port;
    web.max_requests = options.chat.max_clients;
    web.request_timeout_ms = options.chat.name_timeout_ms;
    web.origins = options.web_origins;
  }
  server::IrcPort irc;
  std::unique_ptr<faces::irc::IrcFace> irc_face;
  if (options.irc_port != 0) {
    irc.listener = net::listenTcp(options.bind, options.irc_port, options.family, error);
    if (!irc.listener.valid()) {
      std::cerr << "netcat-chat: cannot listen on IRC port "
                << listenTarget(options, options.irc_port) << ": " << error.message << "\n";
      return kExitCannotServe;
    }
    faces::irc::IrcSettings settings;
    settings.server_name = ircServerName(options.irc_name);
    settings.history = options.irc_history;
    settings.version = std::string(kVersion);
    settings.created = net::localTimestamp(std::time(nullptr));
    irc_face = std::make_unique<faces::irc::IrcFace>(chat, std::move(settings));
    irc.face = irc_face.get();
  }
  std::cout << "Listening on the port :" << options.port << std::endl;
  log.event("started: at most " + std::to_string(options.chat.max_clients) + " clients, " +
            std::to_string(options.chat.history) + " messages of history" +
            (chat_log ? ", " + std::to_string(chat_log->restoredMessages()) + " restored from " +
                            options.log_path
                      : std::string()) +
            (options.web_port != 0 ? ", web browsers on port " + std::to_string(options.web_port)
                                   : std::string()) +
            (options.irc_port != 0 ? ", IRC clients on port " + std::to_string(options.irc_port)
                                   : std::string()) +
            (options.chat.password.empty() ? std::string() : ", password required"));
  server::Server server(chat, std::move(chat_port), log, options.keepalive_s, std::move(web),
                        std::move(access), std::move(irc));
  return server.run();
}

int join(const server::Options& options) {
  client::Options connect;
  std::string why;
  // The client reads its own copy of the password: whether others may read it is its owner's
  // business, unlike the server's.
  if (!options.password_file.empty() &&
      !server::loadPassword(options.password_file, false, connect.password, why)) {
    std::cerr << "netcat-chat: " << why << "\n";
    return client::kExitFailed;
  }
  connect.host = options.connect_host;
  connect.port = options.port;
  connect.connect.source = options.bind;
  connect.connect.family = options.family;
  connect.connect.timeout_ms = options.connect_timeout_ms;
  connect.keepalive_s = options.keepalive_s;
  return client::run(connect);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::size_t max_clients_limit = net::SelectSet::capacity();
  const server::ParsedCommandLine parsed = server::parseCommandLine(args, max_clients_limit);
  switch (parsed.action) {
    case server::ParsedCommandLine::Action::Help:
      std::cout << server::helpText(max_clients_limit);
      return 0;
    case server::ParsedCommandLine::Action::Version:
      std::cout << server::kVersionLine << "\n";
      return 0;
    case server::ParsedCommandLine::Action::Usage:
      std::cout << server::kUsageLine << std::endl;
      if (!parsed.problem.empty()) std::cerr << "netcat-chat: " << parsed.problem << "\n";
      return kExitUsage;
    case server::ParsedCommandLine::Action::Run:
      break;
  }
  if (parsed.options.mode == server::Options::Mode::Connect) return join(parsed.options);
  return serve(parsed.options);
}
