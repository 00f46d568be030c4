// Unit tests of the incremental UTF-8 check and of cutting and cleaning outgoing text.
#include "server/utf8_stream.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "chat/text.hpp"

using chat::text::repairUtf8;
using server::completeUtf8Prefix;
using server::Utf8Stream;

namespace {

bool valid(std::string_view text) {
  Utf8Stream check;
  return check.feed(text) && check.atBoundary();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(utf8_stream)

BOOST_AUTO_TEST_CASE(accepts_valid_text_of_every_length) {
  BOOST_TEST(valid(""));
  BOOST_TEST(valid("plain ascii"));
  BOOST_TEST(valid("\xC3\xA9"));          // é
  BOOST_TEST(valid("\xE2\x82\xAC"));      // €
  BOOST_TEST(valid("\xF0\x9F\x98\x80"));  // 😀
  BOOST_TEST(valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  BOOST_TEST(valid("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  BOOST_TEST(valid("\xEF\xBF\xBD"));      // U+FFFD
}

BOOST_AUTO_TEST_CASE(refuses_overlongs_surrogates_and_too_large_values) {
  BOOST_TEST(!valid("\xC0\xAF"));
  BOOST_TEST(!valid("\xC1\xBF"));
  BOOST_TEST(!valid("\xE0\x80\xAF"));
  BOOST_TEST(!valid("\xF0\x80\x80\xAF"));
  BOOST_TEST(!valid("\xED\xA0\x80"));      // U+D800
  BOOST_TEST(!valid("\xF4\x90\x80\x80"));  // U+110000
  BOOST_TEST(!valid("\xF5\x80\x80\x80"));
  BOOST_TEST(!valid("\xFF"));
  BOOST_TEST(!valid("\x80"));
  BOOST_TEST(!valid("\xC3"));  // unfinished at the end
}

BOOST_AUTO_TEST_CASE(fails_at_the_first_byte_that_cannot_continue) {
  Utf8Stream check;
  BOOST_TEST(check.feed(static_cast<unsigned char>(0xE2)));
  BOOST_TEST(!check.atBoundary());
  BOOST_TEST(!check.feed(static_cast<unsigned char>('A')));
  BOOST_TEST(check.failed());
  BOOST_TEST(!check.feed(static_cast<unsigned char>('B')));  // it stays failed
}

BOOST_AUTO_TEST_CASE(a_character_split_between_pieces_is_valid) {
  Utf8Stream check;
  BOOST_TEST(check.feed(std::string_view("ab\xF0\x9F")));
  BOOST_TEST(!check.atBoundary());
  BOOST_TEST(check.feed(std::string_view("\x98\x80")));
  BOOST_TEST(check.atBoundary());
}

BOOST_AUTO_TEST_CASE(complete_prefix_holds_back_only_an_unfinished_character) {
  BOOST_TEST(completeUtf8Prefix("abc") == 3u);
  BOOST_TEST(completeUtf8Prefix("ab\xC3") == 2u);
  BOOST_TEST(completeUtf8Prefix("ab\xE2\x82") == 2u);
  BOOST_TEST(completeUtf8Prefix("ab\xF0\x9F\x98") == 2u);
  BOOST_TEST(completeUtf8Prefix("ab\xF0\x9F\x98\x80") == 6u);
  BOOST_TEST(completeUtf8Prefix("\xC3") == 0u);
  BOOST_TEST(completeUtf8Prefix("") == 0u);
  // Bytes that can never become a character are not waited for: they go out as U+FFFD.
  BOOST_TEST(completeUtf8Prefix("ab\xFF") == 3u);
  BOOST_TEST(completeUtf8Prefix("ab\x80\x80") == 4u);
}

BOOST_AUTO_TEST_CASE(invalid_sequences_become_replacement_characters) {
  std::string out;
  repairUtf8(
      "a\xFF"
      "b\xE2\x82"
      "c\xC3\xA9",
      out);
  BOOST_TEST(out ==
             "a\xEF\xBF\xBD"
             "b\xEF\xBF\xBD"
             "c\xC3\xA9");
  out.clear();
  repairUtf8("\xED\xA0\x80", out);
  BOOST_TEST(valid(out));
  out.clear();
  repairUtf8("end\xF0\x9F", out);
  BOOST_TEST(out == "end\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_SUITE_END()
