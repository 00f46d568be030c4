// Unit tests of the input path before the chat: telnet filtering and line framing.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "chat/line_reader.hpp"
#include "chat/telnet_filter.hpp"
#include "support/telnet_bytes.hpp"

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

using namespace telnet_bytes;

// Filters `chunks` one by one and returns the answers owed after all of them.
std::string answersTo(chat::TelnetFilter& f, const std::vector<std::string>& chunks,
                      std::string* data = nullptr) {
  std::string answers, scratch;
  for (const std::string& chunk : chunks) {
    const std::string_view out = f.filter(chunk, scratch);
    if (data != nullptr) data->append(out);
    if (f.hasAnswers()) answers += f.takeAnswers();
  }
  return answers;
}

// Every way to cut `bytes` in two reads, and in single bytes.
std::vector<std::vector<std::string>> splits(const std::string& bytes) {
  std::vector<std::vector<std::string>> all;
  for (std::size_t at = 0; at <= bytes.size(); ++at) {
    all.push_back({bytes.substr(0, at), bytes.substr(at)});
  }
  std::vector<std::string> singles;
  for (char c : bytes) singles.emplace_back(1, c);
  all.push_back(singles);
  return all;
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

BOOST_AUTO_TEST_CASE(do_is_refused_with_wont_and_will_with_dont) {
  chat::TelnetFilter f;
  BOOST_TEST(answersTo(f, {cmd(kDo, kEcho)}) == cmd(kWont, kEcho));
  BOOST_TEST(answersTo(f, {cmd(kDo, kSuppressGoAhead)}) == cmd(kWont, kSuppressGoAhead));
  BOOST_TEST(answersTo(f, {cmd(kWill, kNaws)}) == cmd(kDont, kNaws));
  BOOST_TEST(answersTo(f, {cmd(kWill, '\x18')}) == cmd(kDont, '\x18'));
}

BOOST_AUTO_TEST_CASE(wont_and_dont_get_no_answer) {
  chat::TelnetFilter f;
  BOOST_TEST(answersTo(f, {cmd(kWont, kEcho), cmd(kDont, kEcho), cmd(kDont, kTimingMark)}) == "");
  BOOST_TEST(!f.hasAnswers());
}

BOOST_AUTO_TEST_CASE(do_timing_mark_is_confirmed_with_will_timing_mark) {
  chat::TelnetFilter f;
  BOOST_TEST(answersTo(f, {cmd(kDo, kTimingMark)}) == cmd(kWill, kTimingMark));
}

BOOST_AUTO_TEST_CASE(answers_come_in_order_across_every_packet_boundary) {
  const std::string in = "a" + cmd(kDo, kTimingMark) + "b" + cmd(kWill, kNaws) + cmd(kWont, kEcho) +
                         cmd(kDo, kEcho) + "c\n";
  const std::string expected = cmd(kWill, kTimingMark) + cmd(kDont, kNaws) + cmd(kWont, kEcho);
  for (const auto& chunks : splits(in)) {
    chat::TelnetFilter f;
    std::string data;
    BOOST_TEST(answersTo(f, chunks, &data) == expected);
    BOOST_TEST(data == "abc\n");
  }
}

BOOST_AUTO_TEST_CASE(other_commands_and_escaped_iac_get_no_answer) {
  chat::TelnetFilter f;
  std::string data;
  const std::string in = std::string{kIac, kAyt} + "x" + std::string{kIac, kIac} +
                         std::string{kIac, '\xf1'} + "\xff\xfa\x18\x01xterm\xff\xf0";
  BOOST_TEST(answersTo(f, {in}, &data) == "");
  BOOST_TEST(data == "x\xff");
  BOOST_TEST(!f.interrupted());
}

BOOST_AUTO_TEST_CASE(a_lone_iac_before_data_keeps_the_data) {
  // "send synch" sends IAC DM with DM as urgent data, which the socket takes out of the stream.
  chat::TelnetFilter f;
  std::string data;
  BOOST_TEST(answersTo(f, {"\xff", "/list\r\n"}, &data) == "");
  BOOST_TEST(data == "/list\r\n");
}

BOOST_AUTO_TEST_CASE(bytes_without_iac_never_get_an_answer) {
  chat::TelnetFilter f;
  std::string all;
  for (int c = 0; c < 255; ++c) all.push_back(static_cast<char>(c));
  std::string data;
  BOOST_TEST(answersTo(f, {all, all}, &data) == "");
  BOOST_TEST(data == all + all);
}

BOOST_AUTO_TEST_CASE(interrupt_process_is_noticed_and_ends_the_data) {
  for (const auto& chunks :
       splits("bye" + std::string{kIac, kIp} + cmd(kDo, kTimingMark) + "z\n")) {
    chat::TelnetFilter f;
    std::string data;
    // telnet sends IP then DO TIMING-MARK; the mark is still confirmed, later data is not read.
    BOOST_TEST(answersTo(f, chunks, &data) == cmd(kWill, kTimingMark));
    BOOST_TEST(f.interrupted());
    BOOST_TEST(data == "bye");
  }
}

BOOST_AUTO_TEST_SUITE_END()
