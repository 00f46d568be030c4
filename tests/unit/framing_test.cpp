// Unit tests of the input path before the chat: telnet filtering and line framing.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "chat/line_reader.hpp"
#include "chat/telnet_filter.hpp"

namespace {

struct Collected {
  std::vector<std::string> lines;
  int too_long = 0;
};

Collected readAll(chat::LineReader& reader, const std::vector<std::string>& chunks) {
  Collected c;
  for (const std::string& chunk : chunks) {
    reader.feed(
        chunk,
        [&](std::string_view line) {
          c.lines.emplace_back(line);
          return true;
        },
        [&] {
          ++c.too_long;
          return true;
        });
  }
  return c;
}

std::string filterAll(chat::TelnetFilter& f, const std::vector<std::string>& chunks) {
  std::string out, scratch;
  for (const std::string& chunk : chunks) out += std::string(f.filter(chunk, scratch));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(line_reader)

BOOST_AUTO_TEST_CASE(several_lines_in_one_read_are_separated) {
  chat::LineReader r(4096);
  const auto c = readAll(r, {"a\nb\r\nc\n"});
  BOOST_TEST(c.lines == (std::vector<std::string>{"a", "b", "c"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_line_over_many_reads_is_joined) {
  chat::LineReader r(4096);
  const auto c = readAll(r, {"he", "l", "lo\r", "\n"});
  BOOST_TEST(c.lines == (std::vector<std::string>{"hello"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(line_at_the_limit_passes_even_with_cr) {
  chat::LineReader r(8);
  const auto c = readAll(r, {std::string(8, 'x') + "\r", "\n", std::string(8, 'y') + "\n"});
  BOOST_TEST(c.lines.size() == 2u);
  BOOST_TEST(c.too_long == 0);
}

BOOST_AUTO_TEST_CASE(line_over_the_limit_is_reported_once_and_discarded) {
  chat::LineReader r(8);
  const auto c = readAll(r, {"123456789", "abcdefgh", "ijk\nok\n"});
  BOOST_TEST(c.too_long == 1);
  BOOST_TEST(c.lines == (std::vector<std::string>{"ok"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(long_line_arriving_whole_is_reported) {
  chat::LineReader r(8);
  const auto c = readAll(r, {"123456789\nok\n"});
  BOOST_TEST(c.too_long == 1);
  BOOST_TEST(c.lines.size() == 1u);
}

BOOST_AUTO_TEST_CASE(held_bytes_never_exceed_the_limit) {
  chat::LineReader r(4096);
  for (int i = 0; i < 1000; ++i) {
    readAll(r, {std::string(1000, 'z')});
    BOOST_TEST_REQUIRE(r.buffered() <= 4097u);
  }
}

BOOST_AUTO_TEST_CASE(stopping_reports_what_was_consumed) {
  chat::LineReader r(4096);
  const std::string chunk = "first\nsecond\n";
  const std::size_t used = r.feed(
      chunk, [](std::string_view) { return false; }, [] { return true; });
  BOOST_TEST(used == 6u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(telnet_filter)

BOOST_AUTO_TEST_CASE(text_without_iac_passes_unchanged) {
  chat::TelnetFilter f;
  BOOST_TEST(filterAll(f, {"hello\n"}) == "hello\n");
}

BOOST_AUTO_TEST_CASE(negotiations_are_removed) {
  chat::TelnetFilter f;
  const std::string in =
      "\xff\xfd\x03"
      "a\xff\xfb\x01"
      "b\xff\xf1"
      "c\n";
  BOOST_TEST(filterAll(f, {in}) == "abc\n");
}

BOOST_AUTO_TEST_CASE(subnegotiation_is_removed_across_reads) {
  chat::TelnetFilter f;
  BOOST_TEST(filterAll(f, {"x\xff", "\xfa\x18\x01", "xterm\xff", "\xf0y"}) == "xy");
}

BOOST_AUTO_TEST_CASE(escaped_iac_is_a_data_byte) {
  chat::TelnetFilter f;
  BOOST_TEST(filterAll(f, {"a\xff\xff"
                           "b"}) ==
             "a\xff"
             "b");
}

BOOST_AUTO_TEST_CASE(endless_subnegotiation_gives_up) {
  chat::TelnetFilter f;
  const std::string out = filterAll(f, {"\xff\xfa", std::string(2000, 'q'), "tail"});
  BOOST_TEST(out.find("tail") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
