// Unit tests of private messages and ignoring (docs/PROTOCOL.md §7, /msg, /ignore, /unignore),
// without sockets.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <string>

#include "chat/chat.hpp"
#include "chat/protocol.hpp"
#include "support/chat_fixture.hpp"

namespace p = chat::protocol;
using chat::ClientId;
using chat_test::ChatFixture;

namespace {

struct PrivateFixture : ChatFixture {
  // Types one line and returns everything the sender received for it.
  std::string ask(ClientId id, const std::string& line) {
    type(id, line + "\n");
    return drain(id);
  }
  void quiet(std::initializer_list<ClientId> ids) {
    for (const ClientId id : ids) drain(id);
  }
  std::string reply(std::string_view me, std::string_view text) const {
    return std::string(text) + prompt(me);
  }
  // What the recipient and the sender of a private message receive.
  std::string privateTo(std::string_view me, std::string_view from, std::string_view text) const {
    return "\n[" + stamp + "][" + std::string(from) + "][private]:" + std::string(text) + "\n" +
           prompt(me);
  }
  std::string privateEcho(std::string_view me, std::string_view to, std::string_view text) const {
    return "[" + stamp + "][to " + std::string(to) + "][private]:" + std::string(text) + "\n" +
           prompt(me);
  }
  std::string message(std::string_view me, std::string_view from, std::string_view text) const {
    return "\n[" + stamp + "][" + std::string(from) + "]:" + std::string(text) + "\n" + prompt(me);
  }
  std::string notice(std::string_view me, std::string_view text) const {
    return "\n" + std::string(text) + "\n" + prompt(me);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(chat_private)

BOOST_AUTO_TEST_CASE(private_message_reaches_the_recipient_and_nobody_else) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  const auto unnamed = f.open();
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(alice, "/msg Bob see you at 8") ==
             f.privateEcho("Alice", "Bob", "see you at 8"));
  BOOST_TEST(f.drain(bob) == f.privateTo("Bob", "Alice", "see you at 8"));
  BOOST_TEST(f.drain(carol).empty());
  BOOST_TEST(f.drain(unnamed).empty());
}

BOOST_AUTO_TEST_CASE(recipient_is_the_longest_name_the_argument_starts_with_ignoring_case) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto smith = f.join("Bob Smith");
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(alice, "/msg bob smith hello") == f.privateEcho("Alice", "Bob Smith", "hello"));
  BOOST_TEST(f.drain(smith) == f.privateTo("Bob Smith", "Alice", "hello"));
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.ask(alice, "/msg BOB smithers ok") == f.privateEcho("Alice", "Bob", "smithers ok"));
  BOOST_TEST(f.drain(bob) == f.privateTo("Bob", "Alice", "smithers ok"));
  BOOST_TEST(f.drain(smith).empty());
  // A tab does not end a name; extra spaces after the verb do not start one.
  BOOST_TEST(f.ask(alice, "/msg   Bob  two spaces") ==
             f.privateEcho("Alice", "Bob", " two spaces"));
  BOOST_TEST(f.drain(bob) == f.privateTo("Bob", "Alice", " two spaces"));
  BOOST_TEST(f.ask(alice, "/MSG Bob\thi") == f.reply("Alice", p::kNoSuchName));
}

BOOST_AUTO_TEST_CASE(private_messages_reach_clients_in_other_rooms) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.type(bob, "/join games\n");
  f.quiet({alice, bob, carol});
  BOOST_TEST(f.ask(alice, "/msg bob psst") == f.privateEcho("Alice", "Bob", "psst"));
  BOOST_TEST(f.drain(bob) == f.privateTo("Bob", "Alice", "psst"));
  BOOST_TEST(f.ask(bob, "/msg Alice back") == f.privateEcho("Bob", "Alice", "back"));
  BOOST_TEST(f.drain(alice) == f.privateTo("Alice", "Bob", "back"));
  BOOST_TEST(f.drain(carol).empty());
}

BOOST_AUTO_TEST_CASE(errors_get_one_line_and_reach_nobody_else) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.open();  // at the name prompt: no name to write to
  f.quiet({alice});
  const std::pair<const char*, std::string_view> cases[] = {
      {"/msg", p::kMsgUsage},
      {"/msg ", p::kMsgUsage},
      {"/msg \t ", p::kMsgUsage},
      {"/msg Bob", p::kMsgUsage},
      {"/msg bob ", p::kMsgUsage},
      {"/msg Bob   \t", p::kMsgUsage},
      {"/msg Bob \x1b\x07", p::kMsgUsage},
      {"/msg Nobody hi", p::kNoSuchName},
      {"/msg Bo hi", p::kNoSuchName},
      {"/msg Bobby hi", p::kNoSuchName},
      {"/msg [x] hi", p::kNoSuchName},
      {"/msg Alice note to self", p::kMsgToSelf},
      {"/msg ALICE hi", p::kMsgToSelf},
  };
  for (const auto& [typed, expected] : cases) {
    BOOST_TEST(f.ask(alice, typed) == f.reply("Alice", expected), typed);
  }
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.chat->isConnected(alice));
}

BOOST_AUTO_TEST_CASE(private_text_is_cleaned_like_a_message) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  const std::string clean = "a b[2Jc\xef\xbf\xbd";
  BOOST_TEST(f.ask(alice, "/msg Bob a\tb\x1b[2Jc\xfe") == f.privateEcho("Alice", "Bob", clean));
  BOOST_TEST(f.drain(bob) == f.privateTo("Bob", "Alice", clean));
}

BOOST_AUTO_TEST_CASE(private_messages_are_not_history_nor_logged_and_the_event_log_has_no_text) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "public words\n");
  f.type(alice, "/msg Bob secret words\n");
  f.type(bob, "/msg Alice more secrets\n");
  f.quiet({alice, bob});
  const auto carol = f.open();
  f.type(carol, "Carol\n");
  BOOST_TEST(f.drain(carol) == "[" + f.stamp + "][Alice]:public words\n" + f.prompt("Carol"));
  for (const std::string& line : f.journal.lines) {
    BOOST_TEST(line.find("secret") == std::string::npos, line);
    BOOST_TEST(line.find("private") == std::string::npos, line);
  }
  int noted = 0;
  for (const std::string& line : f.log.lines) {
    BOOST_TEST(line.find("secret") == std::string::npos, line);
    if (line.find("private message") != std::string::npos) ++noted;
  }
  BOOST_TEST(noted == 2);
  const bool named = std::any_of(f.log.lines.begin(), f.log.lines.end(), [](const auto& line) {
    return line.find("\"Alice\" sent a private message to") != std::string::npos &&
           line.find("\"Bob\"") != std::string::npos;
  });
  BOOST_TEST(named);
}

BOOST_AUTO_TEST_CASE(help_lists_the_new_commands) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const std::string help = f.ask(alice, "/help");
  for (const char* command : {"/msg NAME TEXT", "/ignore NAME", "/unignore NAME"}) {
    BOOST_TEST(help.find(command) != std::string::npos, command);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chat_ignore)

BOOST_AUTO_TEST_CASE(ignoring_hides_public_and_private_messages_and_the_ignored_is_not_told) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(alice, "/ignore bob") == f.reply("Alice", "You are now ignoring Bob.\n"));
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.drain(carol).empty());
  // Bob's own replies are exactly what they would be if nobody ignored him.
  BOOST_TEST(f.ask(bob, "anyone?") == f.prompt("Bob"));
  BOOST_TEST(f.drain(carol) == f.message("Carol", "Bob", "anyone?"));
  BOOST_TEST(f.ask(bob, "/msg Alice hello?") == f.privateEcho("Bob", "Alice", "hello?"));
  BOOST_TEST(f.drain(alice).empty());
  // The others still reach Alice, and she still reaches Bob.
  f.type(carol, "hi all\n");
  BOOST_TEST(f.drain(alice) == f.message("Alice", "Carol", "hi all"));
  f.quiet({bob});
  f.type(alice, "hi Carol\n");
  BOOST_TEST(f.drain(bob) == f.message("Bob", "Alice", "hi Carol"));
  // What Bob said still went to history.
  const auto dave = f.open();
  f.type(dave, "Dave\n");
  BOOST_TEST(f.drain(dave).find("[Bob]:anyone?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(notices_about_an_ignored_person_still_show) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "/ignore Bob\n");
  f.quiet({alice, bob});
  f.type(bob, "/name Robert\n");
  BOOST_TEST(f.drain(alice) == f.notice("Alice", "Bob changed their name to Robert."));
  f.type(bob, "/join games\n");
  const std::string moved = f.drain(alice);
  BOOST_TEST(moved.find("Robert") != std::string::npos);
  BOOST_TEST(!moved.empty());
  f.type(bob, "/join general\n");
  BOOST_TEST(f.drain(alice) == f.notice("Alice", "Robert has joined our chat..."));
  f.chat->disconnected(bob, "closed", f.now());
  BOOST_TEST(f.drain(alice) == f.notice("Alice", "Robert has left our chat..."));
}

BOOST_AUTO_TEST_CASE(ignoring_follows_a_rename_until_unignored) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "/ignore Bob\n");
  f.type(bob, "/name Robert\n");
  f.quiet({alice, bob});
  f.type(bob, "still me\n");
  f.type(bob, "/msg Alice still me\n");
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", "Ignoring (1): Robert\n"));
  BOOST_TEST(f.ask(alice, "/unignore Bob") == f.reply("Alice", p::kNoSuchName));
  BOOST_TEST(f.ask(alice, "/unignore robert") ==
             f.reply("Alice", "You are no longer ignoring Robert.\n"));
  f.quiet({bob});
  f.type(bob, "visible\n");
  BOOST_TEST(f.drain(alice) == f.message("Alice", "Robert", "visible"));
  f.type(bob, "/msg Alice visible too\n");
  BOOST_TEST(f.drain(alice) == f.privateTo("Alice", "Robert", "visible too"));
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", p::kIgnoringNobody));
}

BOOST_AUTO_TEST_CASE(ignoring_ends_when_the_ignored_person_leaves) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "/ignore Bob\n");
  f.chat->disconnected(bob, "closed", f.now());
  const auto bob2 = f.join("Bob");  // someone else with the same name
  f.quiet({alice});
  BOOST_TEST(!f.chat->ignores(alice, bob2));
  f.type(bob2, "new Bob here\n");
  BOOST_TEST(f.drain(alice) == f.message("Alice", "Bob", "new Bob here"));
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", p::kIgnoringNobody));
}

BOOST_AUTO_TEST_CASE(ignoring_ends_when_the_ignorer_leaves) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.type(alice, "/ignore Bob\n");
  BOOST_TEST(f.chat->ignores(alice, bob));
  f.type(alice, "/quit\n");
  BOOST_TEST(!f.chat->ignores(alice, bob));
  const auto alice2 = f.join("Alice");
  f.quiet({alice2, bob, carol});
  f.type(bob, "hello\n");
  BOOST_TEST(f.drain(alice2) == f.message("Alice", "Bob", "hello"));
  BOOST_TEST(f.drain(carol) == f.message("Carol", "Bob", "hello"));
}

BOOST_AUTO_TEST_CASE(ignoring_works_across_rooms_and_moves) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.type(bob, "/join games\n");
  f.type(alice, "/ignore bob\n");  // Bob is in another room
  f.type(alice, "/join games\n");  // Alice moves while ignoring
  f.quiet({alice, bob, carol});
  f.type(bob, "in games\n");
  BOOST_TEST(f.drain(alice).empty());
  f.type(bob, "/join general\n");
  f.type(alice, "/join general\n");
  f.quiet({alice, bob, carol});
  f.type(bob, "back in general\n");
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.drain(carol) == f.message("Carol", "Bob", "back in general"));
}

BOOST_AUTO_TEST_CASE(ignore_replies_for_every_case) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  f.join("bob");
  f.join("Carol Ann");
  f.open();
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", p::kIgnoringNobody));
  BOOST_TEST(f.ask(alice, "/ignore Nobody") == f.reply("Alice", p::kNoSuchName));
  BOOST_TEST(f.ask(alice, "/ignore Carol") == f.reply("Alice", p::kNoSuchName));
  BOOST_TEST(f.ask(alice, "/ignore alice") == f.reply("Alice", p::kIgnoreSelf));
  BOOST_TEST(f.ask(alice, "/ignore  carol ann \t") ==
             f.reply("Alice", "You are now ignoring Carol Ann.\n"));
  BOOST_TEST(f.ask(alice, "/IGNORE BOB") == f.reply("Alice", "You are now ignoring bob.\n"));
  BOOST_TEST(f.ask(alice, "/ignore Bob") == f.reply("Alice", "You are already ignoring bob.\n"));
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", "Ignoring (2): bob, Carol Ann\n"));
  BOOST_TEST(f.ask(alice, "/unignore") == f.reply("Alice", p::kUnignoreUsage));
  BOOST_TEST(f.ask(alice, "/unignore Nobody") == f.reply("Alice", p::kNoSuchName));
  BOOST_TEST(f.ask(alice, "/unignore alice") == f.reply("Alice", "You are not ignoring Alice.\n"));
  BOOST_TEST(f.ask(alice, "/unignore BOB") ==
             f.reply("Alice", "You are no longer ignoring bob.\n"));
  BOOST_TEST(f.ask(alice, "/unignore bob") == f.reply("Alice", "You are not ignoring bob.\n"));
  BOOST_TEST(f.ask(alice, "/ignore") == f.reply("Alice", "Ignoring (1): Carol Ann\n"));
}

BOOST_AUTO_TEST_CASE(two_people_may_ignore_each_other) {
  PrivateFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.type(alice, "/ignore Bob\n");
  f.type(bob, "/ignore Alice\n");
  f.type(carol, "/ignore Alice\n");
  f.quiet({alice, bob, carol});
  BOOST_TEST(f.ask(alice, "a") == f.prompt("Alice"));
  BOOST_TEST(f.ask(bob, "b") == f.prompt("Bob"));
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.drain(carol) == f.message("Carol", "Bob", "b"));
  f.chat->disconnected(alice, "closed", f.now());
  f.quiet({bob, carol});
  BOOST_TEST(!f.chat->ignores(bob, alice));
  BOOST_TEST(!f.chat->ignores(carol, alice));
}

BOOST_AUTO_TEST_SUITE_END()
