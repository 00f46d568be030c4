// Unit tests of IRC lines out: line shape, tag escaping, text splitting and server-time stamps.
#include "faces/irc/irc_writer.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace irc = faces::irc;

namespace {

std::string line(std::string_view source, std::string_view command,
                 std::initializer_list<std::string_view> middles,
                 std::optional<std::string_view> trailing = std::nullopt) {
  std::string out;
  irc::appendLine(out, source, command, middles, trailing);
  return out;
}

std::string joined(const std::vector<std::string_view>& pieces) {
  std::string out;
  for (const std::string_view piece : pieces) out += piece;
  return out;
}

bool startsCharacter(std::string_view piece) {
  return piece.empty() || (static_cast<unsigned char>(piece.front()) & 0xC0) != 0x80;
}

// Every piece fits a line after `fixed`, starts on a character and ends on one.
void checkPieces(std::string_view fixed, std::string_view text,
                 const std::vector<std::string_view>& pieces) {
  BOOST_TEST(joined(pieces) == text);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    BOOST_TEST(fixed.size() + pieces[i].size() + 2 <= irc::kMaxMessageBytes);
    BOOST_TEST(startsCharacter(pieces[i]));
    if (i + 1 < pieces.size()) BOOST_TEST(startsCharacter(pieces[i + 1]));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(irc_writer)

BOOST_AUTO_TEST_CASE(a_line_has_source_command_middles_and_a_marked_trailing) {
  BOOST_TEST(line("srv", "001", {"alice"}, "Welcome to the net, alice") ==
             ":srv 001 alice :Welcome to the net, alice\r\n");
  BOOST_TEST(line("a!u@h", "JOIN", {"#general"}) == ":a!u@h JOIN #general\r\n");
  BOOST_TEST(line("", "PING", {}, "x") == "PING :x\r\n");
}

BOOST_AUTO_TEST_CASE(a_one_word_trailing_keeps_its_colon) {
  BOOST_TEST(line("a!u@h", "PRIVMSG", {"#g"}, "hi") == ":a!u@h PRIVMSG #g :hi\r\n");
  BOOST_TEST(line("s", "331", {"me", "#g"}, "") == ":s 331 me #g :\r\n");
}

BOOST_AUTO_TEST_CASE(bytes_that_would_break_the_line_are_left_out) {
  BOOST_TEST(line("s", "PRIVMSG", {"#g"}, "a\r\nQUIT :x") == ":s PRIVMSG #g :aQUIT :x\r\n");
  BOOST_TEST(line("s", "PRIVMSG", {"#g"}, std::string_view("a\0b", 3)) == ":s PRIVMSG #g :ab\r\n");
}

BOOST_AUTO_TEST_CASE(tags_come_first_and_their_values_are_escaped) {
  std::string out;
  irc::appendLine(out, {{"time", "2026-01-20T15:48:41.000Z"}, {"batch", "h1"}}, "a!u@h", "PRIVMSG",
                  {"#g"}, "hi");
  BOOST_TEST(out == "@time=2026-01-20T15:48:41.000Z;batch=h1 :a!u@h PRIVMSG #g :hi\r\n");
  out.clear();
  irc::appendLine(out, {{"k", "a;b c\\d\re\nf"}, {"flag", ""}}, "", "PING", {}, "x");
  BOOST_TEST(out == "@k=a\\:b\\sc\\\\d\\re\\nf;flag PING :x\r\n");
}

BOOST_AUTO_TEST_CASE(a_message_written_out_parses_back_to_itself) {
  for (const char* text :
       {"@a=x\\sy;+v.com/b :n!u@h PRIVMSG #c :hello world", "PING", "CMD a b :", "CMD a ::x",
        "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :15 16", "@k=\\:\\\\\\r\\n 001 me :hi"}) {
    irc::Message first;
    BOOST_TEST_REQUIRE(static_cast<int>(irc::parseMessage(text, first)) ==
                       static_cast<int>(irc::ParseStatus::Ok));
    std::string out;
    irc::appendMessage(out, first);
    BOOST_TEST_REQUIRE(out.size() >= 2u);
    BOOST_TEST(out.substr(out.size() - 2) == "\r\n");
    irc::Message second;
    BOOST_TEST_REQUIRE(static_cast<int>(irc::parseMessage(
                           std::string_view(out).substr(0, out.size() - 2), second)) ==
                       static_cast<int>(irc::ParseStatus::Ok));
    BOOST_TEST((second == first), text);
  }
}

BOOST_AUTO_TEST_CASE(a_message_puts_a_colon_only_where_needed) {
  irc::Message m;
  m.command = "PRIVMSG";
  m.params = {"#g", "hi"};
  std::string out;
  irc::appendMessage(out, m);
  BOOST_TEST(out == "PRIVMSG #g hi\r\n");
}

BOOST_AUTO_TEST_CASE(a_short_text_is_one_piece) {
  const std::vector<std::string_view> pieces = irc::splitText(":a!u@h PRIVMSG #g :", "hello");
  BOOST_TEST_REQUIRE(pieces.size() == 1u);
  BOOST_TEST(pieces[0] == "hello");
  BOOST_TEST(irc::splitText("x", "").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_text_that_just_fits_is_not_split) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";
  const std::string text(510 - fixed.size(), 'x');
  BOOST_TEST(irc::splitText(fixed, text).size() == 1u);
  BOOST_TEST(irc::splitText(fixed, text + "y").size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_long_text_without_spaces_is_cut_at_full_length) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";
  const std::string text(2000, 'x');
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  checkPieces(fixed, text, pieces);
  BOOST_TEST_REQUIRE(pieces.size() == 5u);
  BOOST_TEST(pieces[0].size() == 510 - fixed.size());
}

BOOST_AUTO_TEST_CASE(four_byte_characters_are_never_cut) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";  // 19 bytes: 491 of room, not a multiple of 4
  std::string text;
  for (int i = 0; i < 300; ++i) text += "\xF0\x9F\x98\x80";  // U+1F600
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  checkPieces(fixed, text, pieces);
  BOOST_TEST_REQUIRE(pieces.size() == 3u);
  BOOST_TEST(pieces[0].size() == 488u);  // 122 whole characters
}

BOOST_AUTO_TEST_CASE(mixed_width_characters_are_never_cut_at_any_room) {
  const std::string text = std::string(3, 'a') + "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" + "b";
  // Down to the room of one 4-byte character.
  for (std::size_t fixed_size = 400; fixed_size <= 506; ++fixed_size) {
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += text;
    const std::string fixed(fixed_size, 'f');
    checkPieces(fixed, long_text, irc::splitText(fixed, long_text));
  }
}

BOOST_AUTO_TEST_CASE(a_cut_prefers_the_space_near_the_end) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";
  const std::size_t room = 510 - fixed.size();
  std::string text(room - 10, 'x');
  text += " yyyyyyyyyyyyyyyyyyyy";
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  checkPieces(fixed, text, pieces);
  BOOST_TEST_REQUIRE(pieces.size() == 2u);
  BOOST_TEST(pieces[0].size() == room - 9);  // up to and with the space
  BOOST_TEST(pieces[1] == "yyyyyyyyyyyyyyyyyyyy");
}

BOOST_AUTO_TEST_CASE(a_space_far_from_the_end_is_not_used) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";
  const std::size_t room = 510 - fixed.size();
  std::string text = "word " + std::string(room, 'x');
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  checkPieces(fixed, text, pieces);
  BOOST_TEST(pieces.at(0).size() == room);
}

BOOST_AUTO_TEST_CASE(no_room_still_makes_progress_one_character_at_a_time) {
  const std::string fixed(600, 'f');
  const std::vector<std::string_view> pieces = irc::splitText(fixed, "a\xC3\xA9z");
  BOOST_TEST(pieces == (std::vector<std::string_view>{"a", "\xC3\xA9", "z"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_still_split_within_bounds) {
  const std::string fixed = ":a!u@h PRIVMSG #g :";
  const std::string text(2000, '\x80');
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  BOOST_TEST(joined(pieces) == text);
  for (const std::string_view piece : pieces) BOOST_TEST(fixed.size() + piece.size() + 2 <= 512u);
}

BOOST_AUTO_TEST_CASE(words_are_packed_into_lines_that_fit) {
  const std::string fixed = ":irc.example 353 alice = #general :";
  std::vector<std::string> nicks;
  for (int i = 0; i < 100; ++i) nicks.push_back("nick" + std::to_string(i) + std::string(20, 'x'));
  const std::vector<std::string> runs = irc::packWords(fixed, nicks);
  BOOST_TEST_REQUIRE(runs.size() > 1u);
  std::string all;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    BOOST_TEST(fixed.size() + runs[i].size() + 2 <= irc::kMaxMessageBytes);
    // A run ends only when the next nick (26 bytes at most, and a space) would not fit.
    if (i + 1 < runs.size())
      BOOST_TEST(fixed.size() + runs[i].size() + 2 + 27 > irc::kMaxMessageBytes);
    all += (all.empty() ? "" : " ") + runs[i];
  }
  std::string expected;
  for (const std::string& nick : nicks) expected += (expected.empty() ? "" : " ") + nick;
  BOOST_TEST(all == expected);
  BOOST_TEST(runs.back().size() <= runs.front().size());
}

BOOST_AUTO_TEST_CASE(words_per_line_can_be_capped) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 30; ++i) tokens.push_back("T" + std::to_string(i));
  const std::vector<std::string> runs =
      irc::packWords(":s 005 me ", tokens, irc::kMaxISupportTokens);
  BOOST_TEST_REQUIRE(runs.size() == 3u);
  BOOST_TEST(runs[0] == "T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12");
  BOOST_TEST(runs[2] == "T26 T27 T28 T29");
  BOOST_TEST(irc::packWords("x", {}).empty());
}

BOOST_AUTO_TEST_CASE(server_time_is_utc_iso_8601_with_milliseconds) {
  BOOST_TEST(irc::formatServerTime(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(irc::formatServerTime(1768924121, 0) == "2026-01-20T15:48:41.000Z");
  BOOST_TEST(irc::formatServerTime(1768924121, 7) == "2026-01-20T15:48:41.007Z");
  BOOST_TEST(irc::formatServerTime(951782400) == "2000-02-29T00:00:00.000Z");   // a leap day
  BOOST_TEST(irc::formatServerTime(4107542399) == "2100-02-28T23:59:59.000Z");  // not leap
  BOOST_TEST(irc::formatServerTime(4107542400) == "2100-03-01T00:00:00.000Z");
  BOOST_TEST(irc::formatServerTime(1709251199, 999) == "2024-02-29T23:59:59.999Z");
  BOOST_TEST(irc::formatServerTime(-1) == "1969-12-31T23:59:59.000Z");
  BOOST_TEST(irc::formatServerTime(0, 1000) == "1970-01-01T00:00:00.999Z");
}

BOOST_AUTO_TEST_SUITE_END()
