// Unit tests of IRC lines in: framing bounds however bytes arrive, and the message grammar.
#include "faces/irc/irc_message.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace irc = faces::irc;

namespace {

// What the framer reports, as text: a line as it is, a too-long line as "<too long>".
constexpr const char* kTooLong = "<too long>";

std::vector<std::string> frameInReads(std::string_view stream, std::size_t read_size,
                                      irc::LineFramer& framer) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < stream.size(); at += read_size) {
    std::string_view read = stream.substr(at, read_size);
    while (!read.empty()) {
      const irc::LineFramer::Step step = framer.next(read);
      BOOST_TEST_REQUIRE(step.consumed > 0);
      BOOST_TEST_REQUIRE(step.consumed <= read.size());
      read.remove_prefix(step.consumed);
      BOOST_TEST_REQUIRE(framer.held() <= irc::kMaxHeldBytes);
      BOOST_TEST_REQUIRE(framer.reserved() <= irc::kMaxHeldBytes);
      if (step.event == irc::LineFramer::Event::Line) out.emplace_back(step.line);
      if (step.event == irc::LineFramer::Event::TooLong) out.emplace_back(kTooLong);
    }
  }
  return out;
}

std::vector<std::string> frame(std::string_view stream, std::size_t read_size = 1 << 20) {
  irc::LineFramer framer;
  return frameInReads(stream, read_size, framer);
}

// Framed whole, in single bytes and in reads of 7: the same lines every way.
std::vector<std::string> frameEveryWay(std::string_view stream) {
  const std::vector<std::string> whole = frame(stream);
  BOOST_TEST(frame(stream, 1) == whole, boost::test_tools::per_element());
  BOOST_TEST(frame(stream, 7) == whole, boost::test_tools::per_element());
  return whole;
}

using Lines = std::vector<std::string>;

irc::Message parsed(std::string_view line) {
  irc::Message message;
  BOOST_TEST_REQUIRE(static_cast<int>(irc::parseMessage(line, message)) ==
                     static_cast<int>(irc::ParseStatus::Ok));
  return message;
}

irc::ParseStatus statusOf(std::string_view line) {
  irc::Message message;
  return irc::parseMessage(line, message);
}

// A message part of exactly `bytes` bytes: a PRIVMSG padded with 'x'.
std::string messageOfSize(std::size_t bytes) {
  std::string line = "PRIVMSG #a :";
  line.append(bytes - line.size(), 'x');
  return line;
}

// A tag section of exactly `bytes` bytes, its '@' and trailing space included.
std::string tagsOfSize(std::size_t bytes) {
  std::string tags = "@k=";
  tags.append(bytes - tags.size() - 1, 'v');
  tags.push_back(' ');
  return tags;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(irc_message)

BOOST_AUTO_TEST_CASE(lines_end_at_newline_with_or_without_carriage_return) {
  BOOST_TEST(frameEveryWay("NICK a\r\nUSER b 0 * :B\nPING x\r\n") ==
                 (Lines{"NICK a", "USER b 0 * :B", "PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_empty_crlf_line_is_an_empty_line) {
  BOOST_TEST(frameEveryWay("\r\n\nPING x\r\n") == (Lines{"", "", "PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(only_the_carriage_return_before_the_newline_is_dropped) {
  BOOST_TEST(frameEveryWay("a\rb\r\r\n") == (Lines{"a\rb\r"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unfinished_line_is_held_until_its_end_arrives) {
  irc::LineFramer framer;
  BOOST_TEST(frameInReads("PRIVMSG #a :hel", 100, framer).empty());
  BOOST_TEST(framer.held() == 15u);
  BOOST_TEST(frameInReads("lo\r", 100, framer).empty());
  BOOST_TEST(frameInReads("\n", 100, framer) == (Lines{"PRIVMSG #a :hello"}),
             boost::test_tools::per_element());
  BOOST_TEST(frameInReads("PI", 100, framer).empty());
  BOOST_TEST(framer.held() == 2u);  // the finished line is forgotten once the next read comes
}

BOOST_AUTO_TEST_CASE(a_message_of_exactly_512_bytes_with_crlf_passes) {
  const std::string line = messageOfSize(510);
  BOOST_TEST(frameEveryWay(line + "\r\nPING x\n") == (Lines{line, "PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_message_of_513_bytes_with_crlf_is_too_long_and_the_next_line_survives) {
  BOOST_TEST(frameEveryWay(messageOfSize(511) + "\r\nPING x\n") == (Lines{kTooLong, "PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_511_byte_message_is_too_long_even_without_its_carriage_return) {
  BOOST_TEST(frameEveryWay(messageOfSize(511) + "\nPING x\n") == (Lines{kTooLong, "PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(too_long_is_reported_once_as_soon_as_known_and_the_rest_discarded) {
  irc::LineFramer framer;
  BOOST_TEST(frameInReads(std::string(600, 'x'), 1, framer) == (Lines{kTooLong}),
             boost::test_tools::per_element());
  BOOST_TEST(framer.held() == 0u);
  BOOST_TEST(frameInReads(std::string(100000, 'y'), 4096, framer).empty());
  BOOST_TEST(frameInReads("y\nPING x\n", 3, framer) == (Lines{"PING x"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_huge_read_without_newline_is_too_long_at_once) {
  irc::LineFramer framer;
  const std::string huge(1 << 20, 'z');
  const irc::LineFramer::Step step = framer.next(huge);
  BOOST_TEST(static_cast<int>(step.event) == static_cast<int>(irc::LineFramer::Event::TooLong));
  BOOST_TEST(step.consumed == huge.size());
  BOOST_TEST(framer.held() == 0u);
}

BOOST_AUTO_TEST_CASE(tags_of_exactly_8191_bytes_pass_on_top_of_a_full_message) {
  const std::string line = tagsOfSize(8191) + messageOfSize(510);
  BOOST_TEST(line.size() == 8191u + 510u);
  BOOST_TEST(frameEveryWay(line + "\r\n") == (Lines{line}), boost::test_tools::per_element());
  BOOST_TEST(parsed(line).tags.at(0).value.size() == 8191u - 4u);  // less "@k=" and " "
}

BOOST_AUTO_TEST_CASE(tags_of_8192_bytes_are_too_long) {
  const std::string line = tagsOfSize(8192) + "PING x";
  BOOST_TEST(frameEveryWay(line + "\r\nPING y\r\n") == (Lines{kTooLong, "PING y"}),
             boost::test_tools::per_element());
  BOOST_TEST(static_cast<int>(statusOf(line)) == static_cast<int>(irc::ParseStatus::TooLong));
}

BOOST_AUTO_TEST_CASE(tags_do_not_lend_their_room_to_the_message) {
  BOOST_TEST(frameEveryWay("@a=b " + messageOfSize(511) + "\r\n") == (Lines{kTooLong}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_line_without_tags_does_not_get_the_tag_room) {
  BOOST_TEST(frameEveryWay(std::string(600, 'a') + "\n") == (Lines{kTooLong}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_framer_never_holds_more_than_the_bound) {
  irc::LineFramer framer;
  const std::string line = tagsOfSize(8191) + messageOfSize(510) + "\r";
  BOOST_TEST(frameInReads(line, 1, framer).empty());
  BOOST_TEST(framer.held() == irc::kMaxHeldBytes);
  BOOST_TEST(framer.reserved() <= irc::kMaxHeldBytes);
  BOOST_TEST(frameInReads("x", 1, framer) == (Lines{kTooLong}), boost::test_tools::per_element());
  BOOST_TEST(framer.held() == 0u);
}

BOOST_AUTO_TEST_CASE(a_line_is_parsed_into_prefix_command_and_params) {
  const irc::Message m = parsed(":alice!a@host PRIVMSG #general :hello there");
  BOOST_TEST(m.prefix == "alice!a@host");
  BOOST_TEST(m.command == "PRIVMSG");
  BOOST_TEST(m.params == (std::vector<std::string>{"#general", "hello there"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.tags.empty());
}

BOOST_AUTO_TEST_CASE(commands_are_upper_cased_and_numerics_kept) {
  BOOST_TEST(parsed("privMsg a b").command == "PRIVMSG");
  BOOST_TEST(parsed(":srv 001 me :Welcome").command == "001");
}

BOOST_AUTO_TEST_CASE(bad_commands_are_reported_with_the_word_as_sent) {
  for (const char* line : {"PRIV_MSG a", "12 a", "1234 a", "P1NG x", "#a b", "\xc3\xa9 x"}) {
    irc::Message m;
    BOOST_TEST(static_cast<int>(irc::parseMessage(line, m)) ==
                   static_cast<int>(irc::ParseStatus::BadCommand),
               line);
    BOOST_TEST(m.command == std::string(line).substr(0, std::string(line).find(' ')));
  }
}

BOOST_AUTO_TEST_CASE(empty_and_blank_lines_are_empty) {
  BOOST_TEST(static_cast<int>(statusOf("")) == static_cast<int>(irc::ParseStatus::Empty));
  BOOST_TEST(static_cast<int>(statusOf("   ")) == static_cast<int>(irc::ParseStatus::Empty));
}

BOOST_AUTO_TEST_CASE(a_prefix_or_tags_without_a_command_is_no_command) {
  BOOST_TEST(static_cast<int>(statusOf(":nick")) == static_cast<int>(irc::ParseStatus::NoCommand));
  BOOST_TEST(static_cast<int>(statusOf("@a=b")) == static_cast<int>(irc::ParseStatus::NoCommand));
  BOOST_TEST(static_cast<int>(statusOf("@a=b :n  ")) ==
             static_cast<int>(irc::ParseStatus::NoCommand));
  BOOST_TEST(static_cast<int>(statusOf(": PING")) == static_cast<int>(irc::ParseStatus::BadPrefix));
}

BOOST_AUTO_TEST_CASE(the_trailing_param_may_be_empty_or_hold_colons_and_spaces) {
  BOOST_TEST(parsed("PRIVMSG #a :").params == (std::vector<std::string>{"#a", ""}),
             boost::test_tools::per_element());
  BOOST_TEST(parsed("PRIVMSG #a ::) hi  ").params == (std::vector<std::string>{"#a", ":) hi  "}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(runs_of_spaces_separate_like_one_and_trailing_spaces_vanish) {
  const irc::Message m = parsed("  :p   USER  u   0 *   ");
  BOOST_TEST(m.prefix == "p");
  BOOST_TEST(m.params == (std::vector<std::string>{"u", "0", "*"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_fifteenth_param_takes_the_rest_of_the_line) {
  const irc::Message m = parsed("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 :17");
  BOOST_TEST_REQUIRE(m.params.size() == irc::kMaxParams);
  BOOST_TEST(m.params[13] == "14");
  BOOST_TEST(m.params[14] == "15 16 :17");
  BOOST_TEST(parsed("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :a b").params[14] == "a b");
}

BOOST_AUTO_TEST_CASE(exactly_fifteen_params_are_all_kept) {
  const irc::Message m = parsed("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
  BOOST_TEST_REQUIRE(m.params.size() == 15u);
  BOOST_TEST(m.params[14] == "15");
}

BOOST_AUTO_TEST_CASE(tags_are_split_and_their_values_unescaped) {
  const irc::Message m =
      parsed("@time=2026-01-20T15:48:41.000Z;+example.com/x=a\\:b\\sc\\\\d\\re\\nf;flag;k= PING");
  BOOST_TEST_REQUIRE(m.tags.size() == 4u);
  BOOST_TEST(m.tags[0].key == "time");
  BOOST_TEST(m.tags[0].value == "2026-01-20T15:48:41.000Z");
  BOOST_TEST(m.tags[1].key == "+example.com/x");
  BOOST_TEST(m.tags[1].value == "a;b c\\d\re\nf");
  BOOST_TEST(m.tags[2].key == "flag");
  BOOST_TEST(m.tags[2].value == "");
  BOOST_TEST(m.tags[3].value == "");
  BOOST_TEST(m.command == "PING");
}

BOOST_AUTO_TEST_CASE(unknown_escapes_stand_for_their_character_and_a_final_backslash_vanishes) {
  BOOST_TEST(parsed("@a=\\x\\ PING").tags.at(0).value == "x");
}

BOOST_AUTO_TEST_CASE(bad_tag_keys_are_bad_tags) {
  for (const char* line : {"@=v PING", "@+ PING", "@a b=c PING", "@a/ PING", "@k\xc3\xa9=1 PING"}) {
    irc::Message m;
    const irc::ParseStatus status = irc::parseMessage(line, m);
    BOOST_TEST((status == irc::ParseStatus::BadTags || status == irc::ParseStatus::BadCommand),
               line);
  }
  BOOST_TEST(static_cast<int>(statusOf("@=v PING")) == static_cast<int>(irc::ParseStatus::BadTags));
}

BOOST_AUTO_TEST_CASE(nul_and_carriage_return_inside_a_line_are_illegal) {
  BOOST_TEST(static_cast<int>(statusOf(std::string("PRIVMSG #a :x\0y", 15))) ==
             static_cast<int>(irc::ParseStatus::IllegalByte));
  BOOST_TEST(static_cast<int>(statusOf("PRIVMSG #a :x\ry")) ==
             static_cast<int>(irc::ParseStatus::IllegalByte));
}

BOOST_AUTO_TEST_CASE(a_message_part_over_510_bytes_is_too_long_for_the_parser_too) {
  BOOST_TEST(static_cast<int>(statusOf(messageOfSize(510))) ==
             static_cast<int>(irc::ParseStatus::Ok));
  BOOST_TEST(static_cast<int>(statusOf(messageOfSize(511))) ==
             static_cast<int>(irc::ParseStatus::TooLong));
}

BOOST_AUTO_TEST_CASE(fits_line_bounds_counts_tags_apart) {
  BOOST_TEST(irc::fitsLineBounds(tagsOfSize(8191) + messageOfSize(510)));
  BOOST_TEST(!irc::fitsLineBounds(tagsOfSize(8191) + messageOfSize(511)));
  BOOST_TEST(!irc::fitsLineBounds(tagsOfSize(8192) + "PING"));
}

BOOST_AUTO_TEST_SUITE_END()
