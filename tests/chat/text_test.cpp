// Unit tests of the character rules: UTF-8 repair, control removal, name judgement.
#include "chat/text.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace t = chat::text;

namespace {
std::string sanitized(std::string_view in) {
  std::string out;
  t::sanitizeMessage(in, out);
  return out;
}
std::string repaired(std::string_view in) {
  std::string out;
  t::repairUtf8(in, out);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(plain_ascii_is_kept_byte_for_byte) {
  BOOST_TEST(sanitized("hello, world! ~{}") == "hello, world! ~{}");
}

BOOST_AUTO_TEST_CASE(escape_sequences_lose_their_control_bytes) {
  BOOST_TEST(sanitized("\x1b[2J\x1b[31mred\x1b[0m") == "[2J[31mred[0m");
}

BOOST_AUTO_TEST_CASE(tabs_become_spaces_and_other_controls_vanish) {
  BOOST_TEST(sanitized(std::string("a\tb\rc\0d\x7f"
                                   "e\x07",
                                   10)) == "a bcde");
}

BOOST_AUTO_TEST_CASE(c1_controls_are_removed) {
  BOOST_TEST(sanitized("a\xc2\x9b"
                       "31mb\xc2\x85") == "a31mb");
}

BOOST_AUTO_TEST_CASE(valid_multibyte_text_is_kept) {
  const std::string s = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";
  BOOST_TEST(sanitized(s) == s);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_become_replacement_characters) {
  BOOST_TEST(repaired("a\xff"
                      "b") ==
             "a\xef\xbf\xbd"
             "b");
  BOOST_TEST(repaired("\xc3") == "\xef\xbf\xbd");                                  // truncated
  BOOST_TEST(repaired("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");                  // overlong
  BOOST_TEST(repaired("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  BOOST_TEST(repaired("\xe2\x82"
                      "x") ==
             "\xef\xbf\xbd"
             "x");  // one U+FFFD per broken sequence
  BOOST_TEST(repaired("\xf4\x90\x80\x80").find("\xf4") == std::string::npos);  // > U+10FFFF
}

BOOST_AUTO_TEST_CASE(trimming_removes_surrounding_spaces_and_tabs_only) {
  BOOST_TEST(t::trimBlanks(" \t Al ice\t ") == "Al ice");
  BOOST_TEST(t::trimBlanks(" \t ").empty());
}

BOOST_AUTO_TEST_CASE(code_points_are_counted_not_bytes) {
  BOOST_TEST(t::codePoints("\xc3\xa9\xc3\xa9") == 2u);
  BOOST_TEST(t::codePoints("abc") == 3u);
}

BOOST_AUTO_TEST_CASE(last_character_is_measured_as_repair_shows_it) {
  BOOST_TEST(t::lastCharacterBytes("") == 0u);
  BOOST_TEST(t::lastCharacterBytes("ab") == 1u);
  BOOST_TEST(t::lastCharacterBytes("a\xc3\xa9") == 2u);
  BOOST_TEST(t::lastCharacterBytes("a\xe2\x82\xac") == 3u);
  BOOST_TEST(t::lastCharacterBytes("a\xf0\x9f\x98\x80") == 4u);
  BOOST_TEST(t::lastCharacterBytes("\xf0\x9f\x98\x80") == 4u);
  BOOST_TEST(t::lastCharacterBytes("a\xe2\x82") == 2u);      // one U+FFFD
  BOOST_TEST(t::lastCharacterBytes("a\xed\xa0\x80") == 1u);  // surrogate: three U+FFFD
  BOOST_TEST(t::lastCharacterBytes("\x80\x80\x80\x80\x80") == 1u);
  BOOST_TEST(t::lastCharacterBytes("\xc2\x85") == 2u);  // a C1 control is one character
}

BOOST_AUTO_TEST_CASE(cutting_the_last_character_leaves_the_others_as_repair_shows_them) {
  // Every string of up to four bytes drawn from bytes that matter to UTF-8.
  const std::string bytes = "a\x80\x9f\xa0\xbf\xc2\xc3\xe0\xe2\xed\xf0\xf4\xf5";
  std::vector<std::string> all{""};
  for (int length = 0; length < 4; ++length) {
    const std::size_t before = all.size();
    for (std::size_t i = 0; i < before; ++i) {
      if (all[i].size() != static_cast<std::size_t>(length)) continue;
      for (char b : bytes) all.push_back(all[i] + b);
    }
  }
  for (const std::string& s : all) {
    if (s.empty()) continue;
    const std::string whole = repaired(s);
    const std::string cut = repaired(s.substr(0, s.size() - t::lastCharacterBytes(s)));
    BOOST_TEST_REQUIRE(cut.size() < whole.size());
    // The repaired text loses exactly its last code point.
    const std::string lost = whole.substr(cut.size());
    BOOST_TEST(whole.compare(0, cut.size(), cut) == 0);
    BOOST_TEST(t::codePoints(lost) == 1u);
  }
}

BOOST_AUTO_TEST_CASE(names_are_judged_in_spec_order) {
  BOOST_TEST((t::judgeName("", 32) == t::NameVerdict::Empty));
  BOOST_TEST((t::judgeName("   ", 32) == t::NameVerdict::Empty));
  BOOST_TEST((t::judgeName(std::string(33, 'a'), 32) == t::NameVerdict::TooLong));
  BOOST_TEST((t::judgeName(std::string(32, 'a'), 32) == t::NameVerdict::Ok));
  BOOST_TEST((t::judgeName("[x]", 32) == t::NameVerdict::BadCharacters));
  BOOST_TEST((t::judgeName("a\x1b"
                           "b",
                           32) == t::NameVerdict::BadCharacters));
  BOOST_TEST((t::judgeName(std::string("a\0b", 3), 32) == t::NameVerdict::BadCharacters));
  BOOST_TEST((t::judgeName("a\x7f", 32) == t::NameVerdict::BadCharacters));
  BOOST_TEST((t::judgeName("Jean Luc \xc3\xa9", 32) == t::NameVerdict::Ok));
}

BOOST_AUTO_TEST_CASE(case_is_ignored_for_ascii_letters_only) {
  BOOST_TEST(t::equalsIgnoringAsciiCase("ALICE", "alice"));
  BOOST_TEST(!t::equalsIgnoringAsciiCase("\xc3\x89", "\xc3\xa9"));
}

BOOST_AUTO_TEST_SUITE_END()
