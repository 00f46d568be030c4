// End-to-end checks of the IRC port (docs/PROTOCOL.md §13) on real sockets: registration, the
// commands and numerics, and nc and IRC users seeing each other both ways.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "e2e/fixture.hpp"
#include "e2e/temp_log.hpp"

namespace e2e {
namespace {

// Tries so many ports for the IRC listener: one picked free may be taken before the server binds.
constexpr int kPortAttempts = 5;
constexpr std::string_view kServerName = "chat.test";
// What a test waits for a line that must not come before it says so.
constexpr std::int64_t kQuietWindowMs = 300;

// A server with an IRC port, named kServerName.
struct IrcChat {
  explicit IrcChat(std::vector<std::string> options = {}) {
    std::string error;
    for (int attempt = 0; attempt < kPortAttempts && !server; ++attempt) {
      irc_port = pickFreePort();
      std::vector<std::string> all = options;
      all.insert(all.end(),
                 {"--irc", std::to_string(irc_port), "--irc-name", std::string(kServerName)});
      // Tests send faster than people type; the flood control test sets its own.
      if (std::find(all.begin(), all.end(), "--rate") == all.end()) {
        all.insert(all.end(), {"--rate", "0"});
      }
      server = ServerProcess::start(all, error);
    }
    BOOST_REQUIRE_MESSAGE(server, "the server did not start: " + error);
  }
  ~IrcChat() {
    if (server && server->running()) server->stop();
  }

  // An nc user with that name, its banner and first prompt read.
  std::unique_ptr<ChatClient> nc(const std::string& name) {
    auto client = std::make_unique<ChatClient>();
    BOOST_REQUIRE(client->connectAndReadBanner("127.0.0.1", server->port()));
    BOOST_REQUIRE(client->send(name + "\n"));
    REQUIRE_RECEIVES(*client, prompt(name));
    return client;
  }

  std::unique_ptr<ServerProcess> server;
  std::uint16_t irc_port = 0;
};

// An IRC connection: lines out with CRLF, lines in one at a time.
class Irc {
 public:
  explicit Irc(std::uint16_t port) { BOOST_REQUIRE(client_.connect("127.0.0.1", port)); }

  void send(std::string_view line) { BOOST_REQUIRE(client_.send(std::string(line) + "\r\n")); }

  // The next line, without its CRLF; empty when none came in time.
  std::string line(std::int64_t timeout_ms = kReadTimeoutMs) {
    std::string got = client_.readUntil("\r\n", timeout_ms);
    if (got.size() >= 2 && got.compare(got.size() - 2, 2, "\r\n") == 0) {
      got.resize(got.size() - 2);
    }
    return got;
  }

  // Lines up to and including the first that contains `wanted`; the last is that line (empty
  // when it never came).
  std::vector<std::string> until(std::string_view wanted) {
    std::vector<std::string> lines;
    for (;;) {
      std::string next = line();
      if (next.empty()) {
        lines.push_back({});
        BOOST_ERROR("no line with \"" + std::string(wanted) + "\" came");
        return lines;
      }
      lines.push_back(next);
      if (next.find(wanted) != std::string::npos) return lines;
    }
  }

  // Registers with NICK and USER (and CAP first when `caps` is not empty), reading up to the end
  // of the MOTD.
  void registerAs(std::string_view nick, std::string_view caps = {}) {
    if (!caps.empty()) {
      send("CAP LS 302");
      send("CAP REQ :" + std::string(caps));
    }
    send("NICK " + std::string(nick));
    send("USER " + std::string(nick) + " 0 * :Real Name");
    if (!caps.empty()) {
      BOOST_CHECK_EQUAL(line(), ":chat.test CAP * LS :server-time batch");
      BOOST_CHECK_EQUAL(line(), ":chat.test CAP * ACK :" + std::string(caps));
      send("CAP END");
    }
    BOOST_CHECK_EQUAL(line(), ":chat.test 001 " + std::string(nick) +
                                  " :Welcome to the netcat-chat IRC Network, " + std::string(nick) +
                                  "!" + std::string(nick) + "@chat.test");
    until(" 376 ");
  }

  // Joins `channel`, reading the JOIN, topic and names; returns the names line's nicks.
  std::string join(std::string_view nick, std::string_view channel) {
    send("JOIN " + std::string(channel));
    BOOST_CHECK_EQUAL(line(), ":" + std::string(nick) + "!" + std::string(nick) +
                                  "@chat.test JOIN " + std::string(channel));
    BOOST_CHECK_EQUAL(line(), ":chat.test 331 " + std::string(nick) + " " + std::string(channel) +
                                  " :No topic is set");
    const std::string names = line();
    const std::string names_prefix =
        ":chat.test 353 " + std::string(nick) + " = " + std::string(channel) + " :";
    BOOST_CHECK_EQUAL(names.substr(0, names_prefix.size()), names_prefix);
    BOOST_CHECK_EQUAL(line(), ":chat.test 366 " + std::string(nick) + " " + std::string(channel) +
                                  " :End of /NAMES list");
    return names.size() > names_prefix.size() ? names.substr(names_prefix.size()) : std::string();
  }

  // Nothing arrives within the quiet window.
  void expectSilence() { BOOST_CHECK_EQUAL(shown(client_.readFor(kQuietWindowMs)), ""); }

  std::string untilClosed() { return client_.readUntilClosed(); }
  ChatClient& raw() { return client_; }

 private:
  ChatClient client_;
};

void type(ChatClient& client, const std::string& line) { BOOST_REQUIRE(client.send(line + "\n")); }

// `irc` registers as `nick` and joins #general, where the nc user `nc`, called `nc_name`, sees it
// arrive.
void enterGeneral(Irc& irc, const std::string& nick, ChatClient& nc, const std::string& nc_name) {
  irc.registerAs(nick);
  irc.join(nick, "#general");
  CHECK_RECEIVES(nc, joinNoticeTo(nc_name, nick));
}

// A tag-free line's text after the "@time=... " tag, checking that the tag is a UTC time.
std::string withoutTime(const std::string& line) {
  constexpr std::string_view kTimeTag = "@time=";
  BOOST_REQUIRE_MESSAGE(line.compare(0, kTimeTag.size(), kTimeTag) == 0, "no @time in " + line);
  const std::size_t space = line.find(' ');
  const std::string stamp = line.substr(kTimeTag.size(), space - kTimeTag.size());
  // 2026-01-20T15:48:41.000Z
  BOOST_CHECK_EQUAL(stamp.size(), 24u);
  BOOST_CHECK_EQUAL(stamp.substr(10, 1), "T");
  BOOST_CHECK_EQUAL(stamp.back(), 'Z');
  return line.substr(space + 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_irc)

BOOST_AUTO_TEST_CASE(registration_offers_server_time_and_sends_the_welcome_numerics) {
  IrcChat chat;
  Irc bob(chat.irc_port);
  bob.send("CAP LS 302");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test CAP * LS :server-time batch");
  bob.send("JOIN #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 451 * :You have not registered");
  bob.send("NICK bob");
  bob.send("USER bob 0 * :Bob");
  bob.expectSilence();  // registration waits for CAP END
  bob.send("CAP END");
  BOOST_CHECK_EQUAL(
      bob.line(), ":chat.test 001 bob :Welcome to the netcat-chat IRC Network, bob!bob@chat.test");
  BOOST_CHECK_EQUAL(bob.line().substr(0, 30), ":chat.test 002 bob :Your host ");
  BOOST_CHECK_EQUAL(bob.line().substr(0, 19), ":chat.test 003 bob ");
  BOOST_CHECK_EQUAL(bob.line().substr(0, 29), ":chat.test 004 bob chat.test ");
  const std::string isupport = bob.line();
  for (const char* token : {"CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=", "NICKLEN=32",
                            "CHANNELLEN=25", "CHANMODES=,,,"}) {
    BOOST_CHECK_MESSAGE(isupport.find(std::string(" ") + token + " ") != std::string::npos,
                        "005 lacks " << token << ": " << isupport);
  }
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 375 bob :- chat.test Message of the day - ");
  const std::vector<std::string> rest = bob.until(" 376 ");
  BOOST_CHECK_EQUAL(rest.back(), ":chat.test 376 bob :End of /MOTD command.");
  bob.send("PING :abc");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test PONG chat.test :abc");
}

BOOST_AUTO_TEST_CASE(an_nc_user_and_an_irc_user_talk_both_ways_in_general) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  BOOST_CHECK_EQUAL(bob.join("bob", "#general"), "Ana bob");
  CHECK_RECEIVES(*ana, joinNoticeTo("Ana", "bob"));
  type(*ana, "hello from nc");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  BOOST_CHECK_EQUAL(bob.line(), ":Ana!nc@chat.test PRIVMSG #general :hello from nc");
  bob.send("PRIVMSG #general :hello from IRC");
  CHECK_RECEIVES(*ana, messageTo("Ana", "bob", "hello from IRC"));
  bob.expectSilence();  // no echo to the sender
  bob.send(
      "PRIVMSG #general :\x01"
      "ACTION waves\x01");
  CHECK_RECEIVES(*ana, messageTo("Ana", "bob", "* bob waves"));
  type(*ana, "* Ana waves back");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  BOOST_CHECK_EQUAL(bob.line(),
                    ":Ana!nc@chat.test PRIVMSG #general :\x01"
                    "ACTION waves back\x01");
  bob.send(
      "PRIVMSG #general :\x02"
      "bold\x02 and \x03"
      "04red");
  CHECK_RECEIVES(*ana, messageTo("Ana", "bob", "bold and red"));
}

BOOST_AUTO_TEST_CASE(private_messages_go_both_ways_and_a_name_with_spaces_is_a_bracketed_nick) {
  IrcChat chat;
  auto ana = chat.nc("Ana Lee");
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  type(*ana, "/msg bob psst");
  CHECK_RECEIVES(*ana, "[" + std::string(kTs) + "][to bob][private]:psst\n" + prompt("Ana Lee"));
  BOOST_CHECK_EQUAL(bob.line(), ":[Ana_Lee]!nc@chat.test PRIVMSG bob :psst");
  bob.send("PRIVMSG [Ana_Lee] :back at you");
  CHECK_RECEIVES(*ana,
                 "\n[" + std::string(kTs) + "][bob][private]:back at you\n" + prompt("Ana Lee"));
  bob.send("PRIVMSG nobody :hello?");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 401 bob nobody :No such nick/channel");
  bob.send("WHOIS [Ana_Lee]");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 311 bob [Ana_Lee] nc chat.test * :Ana Lee");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 319 bob [Ana_Lee] :#general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 318 bob [Ana_Lee] :End of /WHOIS list");
}

BOOST_AUTO_TEST_CASE(a_rename_is_seen_from_both_sides) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  bob.send("NICK robert");
  BOOST_CHECK_EQUAL(bob.line(), ":bob!bob@chat.test NICK :robert");
  CHECK_RECEIVES(*ana, "\nbob changed their name to robert.\n" + prompt("Ana"));
  type(*ana, "/name Anna Maria");
  CHECK_RECEIVES(*ana, prompt("Anna Maria"));
  BOOST_CHECK_EQUAL(bob.line(), ":Ana!nc@chat.test NICK :[Anna_Maria]");
  // Names and nicks share one namespace, both ways.
  Irc carol(chat.irc_port);
  carol.send("NICK robert");
  BOOST_CHECK_EQUAL(carol.line(), ":chat.test 433 * robert :Nickname is already in use");
}

BOOST_AUTO_TEST_CASE(names_and_nicks_share_one_namespace) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  bob.send("NICK ana");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 433 * ana :Nickname is already in use");
  bob.send("NICK [x]");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 432 * [x] :Erroneous nickname");
  bob.send("NICK");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 431 * :No nickname given");
  bob.registerAs("bob");
  auto second = std::make_unique<ChatClient>();
  BOOST_REQUIRE(second->connectAndReadBanner("127.0.0.1", chat.server->port()));
  type(*second, "BOB");
  CHECK_RECEIVES(*second, std::string(kNameTaken) + std::string(kNamePrompt));
}

BOOST_AUTO_TEST_CASE(an_irc_user_in_two_channels_sees_an_nc_user_move_between_them) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  bob.send("JOIN #general,#kitchen");
  bob.until(":chat.test 366 bob #general ");
  bob.until(":chat.test 366 bob #kitchen ");
  CHECK_RECEIVES(*ana, joinNoticeTo("Ana", "bob"));
  type(*ana, "/join kitchen");
  CHECK_RECEIVES(*ana, "You are now in kitchen.\n" + prompt("Ana"));
  BOOST_CHECK_EQUAL(bob.line(), ":Ana!nc@chat.test PART #general");
  BOOST_CHECK_EQUAL(bob.line(), ":Ana!nc@chat.test JOIN #kitchen");
  type(*ana, "in the kitchen");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  BOOST_CHECK_EQUAL(bob.line(), ":Ana!nc@chat.test PRIVMSG #kitchen :in the kitchen");
  // A message to #general reaches no one in the kitchen.
  bob.send("PRIVMSG #general :anyone?");
  bob.send("PRIVMSG #kitchen :here");
  CHECK_RECEIVES(*ana, messageTo("Ana", "bob", "here"));
  type(*ana, "/list");
  CHECK_RECEIVES(*ana, "Online (2): bob, Ana\n" + prompt("Ana"));
  bob.send("PART #kitchen :bye");
  BOOST_CHECK_EQUAL(bob.line(), ":bob!bob@chat.test PART #kitchen :bye");
  CHECK_RECEIVES(*ana, leaveNoticeTo("Ana", "bob"));
  bob.send("PART #kitchen");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 442 bob #kitchen :You're not on that channel");
  bob.send("PART #nowhere");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 403 bob #nowhere :No such channel");
}

BOOST_AUTO_TEST_CASE(history_comes_with_its_time_to_clients_that_asked_for_server_time) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  type(*ana, "first");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  type(*ana, "second");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  Irc timed(chat.irc_port);
  timed.registerAs("timed", "server-time batch");
  timed.join("timed", "#general");
  const std::string open = timed.line();
  BOOST_CHECK_EQUAL(open, ":chat.test BATCH +h1 chathistory #general");
  const std::string first = timed.line();
  BOOST_CHECK_EQUAL(first.substr(0, 14), "@batch=h1;time");
  BOOST_CHECK_EQUAL(first.substr(first.find(' ') + 1), ":Ana!nc@chat.test PRIVMSG #general :first");
  const std::string second = timed.line();
  BOOST_CHECK_EQUAL(second.substr(second.find(' ') + 1),
                    ":Ana!nc@chat.test PRIVMSG #general :second");
  BOOST_CHECK_EQUAL(timed.line(), ":chat.test BATCH -h1");
  CHECK_RECEIVES(*ana, joinNoticeTo("Ana", "timed"));
  // Live messages carry their time too.
  type(*ana, "third");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  BOOST_CHECK_EQUAL(withoutTime(timed.line()), ":Ana!nc@chat.test PRIVMSG #general :third");
  // A client without server-time gets no history: it would read as said now.
  Irc plain(chat.irc_port);
  plain.registerAs("plain");
  plain.join("plain", "#general");
  plain.expectSilence();
}

BOOST_AUTO_TEST_CASE(irc_history_zero_replays_nothing_even_with_server_time) {
  IrcChat chat({"--irc-history", "0"});
  auto ana = chat.nc("Ana");
  type(*ana, "said before");
  CHECK_RECEIVES(*ana, prompt("Ana"));
  Irc bridge(chat.irc_port);
  bridge.registerAs("bridge", "server-time");
  bridge.join("bridge", "#general");
  bridge.expectSilence();
}

BOOST_AUTO_TEST_CASE(a_long_nc_line_is_split_at_character_boundaries) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  std::string text;
  while (text.size() + 3 <= 2000) text += "\xE2\x82\xAC";  // euro signs, 3 bytes each
  type(*ana, text);
  CHECK_RECEIVES(*ana, prompt("Ana"));
  std::string joined;
  const std::string head = ":Ana!nc@chat.test PRIVMSG #general :";
  while (joined.size() < text.size()) {
    const std::string line = bob.line();
    BOOST_REQUIRE(!line.empty());
    BOOST_REQUIRE_EQUAL(line.substr(0, head.size()), head);
    BOOST_CHECK_LE(line.size() + 2, 512u);
    const std::string piece = line.substr(head.size());
    BOOST_CHECK(isValidUtf8(piece));
    joined += piece;
  }
  BOOST_CHECK(joined == text);
}

BOOST_AUTO_TEST_CASE(mistakes_get_their_numerics) {
  IrcChat chat;
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  bob.send("FROB x");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 421 bob FROB :Unknown command");
  bob.send("JOIN");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 461 bob JOIN :Not enough parameters");
  bob.send("PRIVMSG #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 412 bob :No text to send");
  bob.send("PRIVMSG");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 411 bob :No recipient given (PRIVMSG)");
  bob.send("PRIVMSG #general :not in it");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 404 bob #general :Cannot send to channel");
  bob.send("JOIN nohash");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 403 bob nohash :No such channel");
  bob.send("PRIVMSG #general :" + std::string(600, 'x'));
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 417 bob :Input line was too long");
  bob.send("USER again 0 * :x");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 462 bob :You may not reregister");
  bob.send("TOPIC #general :a topic");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 442 bob #general :You're not on that channel");
  // Still served after every mistake.
  bob.send("PING :still");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test PONG chat.test :still");
}

BOOST_AUTO_TEST_CASE(quit_says_error_and_nc_users_see_the_leave) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  Irc carol(chat.irc_port);
  enterGeneral(carol, "carol", *ana, "Ana");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test JOIN #general");
  bob.send("QUIT :see you");
  BOOST_CHECK_EQUAL(shown(bob.untilClosed()), shown("ERROR :Closing Link: Quit\r\n"));
  CHECK_RECEIVES(*ana, leaveNoticeTo("Ana", "bob"));
  BOOST_CHECK_EQUAL(carol.line(), ":bob!bob@chat.test QUIT :Quit: see you");
  type(*ana, "/quit");
  BOOST_CHECK_EQUAL(carol.line().substr(0, 30), ":Ana!nc@chat.test QUIT :Quit: ");
}

BOOST_AUTO_TEST_CASE(the_password_is_pass_and_a_wrong_one_is_refused) {
  TempLog secret;
  std::ofstream(secret.path, std::ios::binary) << "open sesame\n";
  std::filesystem::permissions(
      secret.path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  IrcChat chat({"--password-file", secret.path});
  Irc wrong(chat.irc_port);
  wrong.send("PASS :guess");
  wrong.send("NICK wrong");
  wrong.send("USER wrong 0 * :x");
  BOOST_CHECK_EQUAL(shown(wrong.untilClosed()), shown(":chat.test 464 wrong :Password incorrect\r\n"
                                                      "ERROR :Closing Link: Bad password\r\n"));
  Irc none(chat.irc_port);
  none.send("NICK none");
  none.send("USER none 0 * :x");
  BOOST_CHECK_EQUAL(none.line(), ":chat.test 464 none :Password incorrect");
  Irc right(chat.irc_port);
  right.send("PASS :open sesame");
  right.registerAs("right");
  BOOST_CHECK(chat.server->output().find("wrong password from 127.0.0.1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(irc_clients_count_against_max_clients_and_get_an_error_when_full) {
  IrcChat chat({"--max-clients", "1"});
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  Irc late(chat.irc_port);
  BOOST_CHECK_EQUAL(shown(late.untilClosed()),
                    shown("ERROR :Closing Link: Chat is full. Try again later.\r\n"));
  auto nc = std::make_unique<ChatClient>();
  BOOST_REQUIRE(nc->connect("127.0.0.1", chat.server->port()));
  BOOST_CHECK_EQUAL(shown(nc->readUntilClosed()), shown(kChatFull));
}

BOOST_AUTO_TEST_CASE(a_client_that_never_registers_is_let_go_at_the_name_timeout) {
  IrcChat chat({"--name-timeout", "1"});
  Irc silent(chat.irc_port);
  BOOST_CHECK_EQUAL(shown(silent.untilClosed()),
                    shown("ERROR :Closing Link: Timed out waiting for registration.\r\n"));
}

BOOST_AUTO_TEST_CASE(list_who_mode_and_names_describe_the_rooms) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  bob.send("LIST");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 321 bob Channel :Users  Name");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 322 bob #general 2 :");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 323 bob :End of /LIST");
  bob.send("WHO #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 352 bob #general nc chat.test chat.test Ana H :0 Ana");
  BOOST_CHECK_EQUAL(bob.line(),
                    ":chat.test 352 bob #general bob chat.test chat.test bob H :0 Real Name");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 315 bob #general :End of /WHO list");
  bob.send("MODE #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 324 bob #general +");
  bob.send("MODE bob");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 221 bob +");
  bob.send("NAMES #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 353 bob = #general :Ana bob");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 366 bob #general :End of /NAMES list");
  bob.send("TOPIC #general");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 331 bob #general :No topic is set");
}

BOOST_AUTO_TEST_CASE(one_quit_and_one_nick_reach_a_client_that_shares_two_channels) {
  IrcChat chat;
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  Irc carol(chat.irc_port);
  carol.registerAs("carol");
  bob.send("JOIN #one,#two");
  bob.until(":chat.test 366 bob #two ");
  carol.send("JOIN #one,#two");
  carol.until(":chat.test 366 carol #two ");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test JOIN #one");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test JOIN #two");
  carol.send("NICK caroline");
  BOOST_CHECK_EQUAL(carol.line(), ":carol!carol@chat.test NICK :caroline");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test NICK :caroline");
  carol.send("QUIT");
  BOOST_CHECK_EQUAL(bob.line(), ":caroline!carol@chat.test QUIT :Quit: ");
  bob.send("PING :after");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test PONG chat.test :after");  // nothing else came between
}

BOOST_AUTO_TEST_CASE(an_nc_user_who_ignores_an_irc_user_hears_nothing_from_them) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  type(*ana, "/ignore bob");
  CHECK_RECEIVES(*ana, "You are now ignoring bob.\n" + prompt("Ana"));
  bob.send("PRIVMSG #general :unheard");
  bob.send("PRIVMSG Ana :unheard too");
  type(*ana, "/list");
  CHECK_RECEIVES(*ana, "Online (2): Ana, bob\n" + prompt("Ana"));
}

BOOST_AUTO_TEST_CASE(the_address_rules_and_per_address_limit_hold_on_the_irc_port) {
  {
    IrcChat chat({"--deny", "127.0.0.1"});
    Irc refused(chat.irc_port);
    BOOST_CHECK_EQUAL(shown(refused.untilClosed()), "");
  }
  IrcChat chat({"--max-per-address", "1"});
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  Irc second(chat.irc_port);
  BOOST_CHECK_EQUAL(shown(second.untilClosed()),
                    shown("ERROR :Closing Link: Too many connections from your address.\r\n"));
  auto nc = std::make_unique<ChatClient>();
  BOOST_REQUIRE(nc->connect("127.0.0.1", chat.server->port()));
  BOOST_CHECK_EQUAL(shown(nc->readUntilClosed()),
                    shown("Too many connections from your address.\n"));
}

BOOST_AUTO_TEST_CASE(flood_control_paces_an_irc_client_without_losing_a_line) {
  IrcChat chat({"--burst", "2", "--rate", "20"});
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  std::string burst;
  for (int i = 1; i <= 10; ++i) burst += "PRIVMSG #general :line " + std::to_string(i) + "\r\n";
  BOOST_REQUIRE(bob.raw().send(burst));
  std::string expected;
  for (int i = 1; i <= 10; ++i) expected += messageTo("Ana", "bob", "line " + std::to_string(i));
  CHECK_RECEIVES(*ana, expected);
}

BOOST_AUTO_TEST_CASE(a_notice_stays_a_notice_and_a_part_keeps_its_reason) {
  IrcChat chat;
  auto ana = chat.nc("Ana");
  Irc bob(chat.irc_port);
  enterGeneral(bob, "bob", *ana, "Ana");
  Irc carol(chat.irc_port);
  enterGeneral(carol, "carol", *ana, "Ana");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test JOIN #general");
  carol.send("NOTICE #general :a notice");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test NOTICE #general :a notice");
  CHECK_RECEIVES(*ana, messageTo("Ana", "carol", "a notice"));
  carol.send("NOTICE bob :to you");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test NOTICE bob :to you");
  carol.send("PRIVMSG #general :a message");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test PRIVMSG #general :a message");
  CHECK_RECEIVES(*ana, messageTo("Ana", "carol", "a message"));
  carol.send("PART #general :off to bed");
  BOOST_CHECK_EQUAL(carol.line(), ":carol!carol@chat.test PART #general :off to bed");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test PART #general :off to bed");
  CHECK_RECEIVES(*ana, leaveNoticeTo("Ana", "carol"));
}

BOOST_AUTO_TEST_CASE(user_needs_a_real_name_and_whois_shows_it) {
  IrcChat chat;
  Irc bob(chat.irc_port);
  bob.send("NICK bob");
  bob.send("USER bob 0 * :");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 461 bob USER :Not enough parameters");
  bob.send("USER bob 0 * :Robert Roe");
  bob.until(" 376 ");
  bob.send("WHOIS bob");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 311 bob bob bob chat.test * :Robert Roe");
}

BOOST_AUTO_TEST_CASE(away_userhost_and_ison) {
  IrcChat chat;
  auto ana = chat.nc("Ana Lee");
  Irc bob(chat.irc_port);
  bob.registerAs("bob");
  Irc carol(chat.irc_port);
  carol.registerAs("carol");
  bob.send("AWAY :gone fishing");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 306 bob :You have been marked as being away");
  carol.send("PRIVMSG bob :are you there?");
  BOOST_CHECK_EQUAL(carol.line(), ":chat.test 301 carol bob :gone fishing");
  BOOST_CHECK_EQUAL(bob.line(), ":carol!carol@chat.test PRIVMSG bob :are you there?");
  carol.send("USERHOST bob [Ana_Lee] nobody");
  BOOST_CHECK_EQUAL(carol.line(),
                    ":chat.test 302 carol :bob=-bob@chat.test [Ana_Lee]=+nc@chat.test");
  carol.send("ISON bob nobody [ana_lee]");
  BOOST_CHECK_EQUAL(carol.line(), ":chat.test 303 carol :bob [Ana_Lee]");
  bob.send("AWAY");
  BOOST_CHECK_EQUAL(bob.line(), ":chat.test 305 bob :You are no longer marked as being away");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
