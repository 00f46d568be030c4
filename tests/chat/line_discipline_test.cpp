// Unit tests of the editing keys (docs/PROTOCOL.md §9.3): each key on its own, then through the
// input path as the chat reads a client (telnet filter, then line framing), cut into reads every
// way.
#include "chat/line_discipline.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "chat/line_reader.hpp"
#include "chat/telnet_filter.hpp"
#include "support/telnet_bytes.hpp"

namespace ld = chat::line_discipline;

namespace {

const std::string kBs = "\b";
const std::string kDel = "\x7f";
const std::string kCtrlU = "\x15";
const std::string kCtrlW = "\x17";
const std::string kCrNul("\r\0", 2);
// A character of each UTF-8 length.
const std::string k2Bytes = "\xc3\xa9";          // é
const std::string k3Bytes = "\xe2\x82\xac";      // €
const std::string k4Bytes = "\xf0\x9f\x98\x80";  // 😀

std::string edited(std::string line, const std::string& keys) {
  for (char key : keys) ld::applyEdit(key, line);
  return line;
}

struct Read {
  std::vector<std::string> lines;
  int too_long = 0;
  bool operator==(const Read& other) const {
    return lines == other.lines && too_long == other.too_long;
  }
};

std::ostream& operator<<(std::ostream& os, const Read& read) {
  os << read.too_long << " too long, lines:";
  for (const std::string& line : read.lines) os << " [" << line << "]";
  return os;
}

// The chat's input path for one client: telnet filter, then the line reader, read by read.
Read readAll(const std::vector<std::string>& reads, std::size_t max_line = 4096) {
  chat::TelnetFilter telnet;
  chat::LineReader reader(max_line);
  Read read;
  std::string scratch;
  for (const std::string& bytes : reads) {
    reader.feed(
        telnet.filter(bytes, scratch),
        [&](std::string_view line) {
          read.lines.emplace_back(line);
          return true;
        },
        [&] {
          ++read.too_long;
          return true;
        });
    BOOST_TEST_REQUIRE(reader.buffered() <= max_line + 1);
  }
  return read;
}

Read lines(std::vector<std::string> expected) { return Read{std::move(expected), 0}; }

// Every way to cut `bytes` in two reads, three reads around each byte, and single bytes.
std::vector<std::vector<std::string>> splits(const std::string& bytes) {
  std::vector<std::vector<std::string>> all;
  for (std::size_t at = 0; at <= bytes.size(); ++at) {
    all.push_back({bytes.substr(0, at), bytes.substr(at)});
    if (at < bytes.size())
      all.push_back({bytes.substr(0, at), bytes.substr(at, 1), bytes.substr(at + 1)});
  }
  std::vector<std::string> singles;
  for (char c : bytes) singles.emplace_back(1, c);
  all.push_back(singles);
  return all;
}

// `bytes` gives `expected` however it is cut into reads.
void checkEveryCut(const std::string& bytes, const Read& expected, std::size_t max_line = 4096) {
  for (const auto& reads : splits(bytes)) {
    BOOST_TEST_CONTEXT("reads of " << reads.size() << ", first " << reads.front().size()) {
      BOOST_TEST(readAll(reads, max_line) == expected);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(line_discipline)

BOOST_AUTO_TEST_CASE(backspace_and_delete_erase_one_character) {
  BOOST_TEST(edited("Hey", kBs) == "He");
  BOOST_TEST(edited("Hey", kDel) == "He");
  BOOST_TEST(edited("Hey", kBs + kDel + kBs) == "");
}

BOOST_AUTO_TEST_CASE(erasing_at_the_start_of_the_line_does_nothing) {
  for (const std::string& key : {kBs, kDel, kCtrlU, kCtrlW}) {
    BOOST_TEST(edited("", key) == "");
    BOOST_TEST(edited("", key + key) == "");
  }
  BOOST_TEST(edited("ab", kBs + kBs + kBs + kBs) == "");
}

BOOST_AUTO_TEST_CASE(backspace_erases_a_whole_multibyte_character) {
  for (const std::string& wide : {k2Bytes, k3Bytes, k4Bytes}) {
    BOOST_TEST_CONTEXT("character of " << wide.size() << " bytes") {
      BOOST_TEST(edited("a" + wide, kBs) == "a");
      BOOST_TEST(edited("a" + wide, kDel) == "a");
      BOOST_TEST(edited(wide + wide, kBs) == wide);
      BOOST_TEST(edited(wide, kBs) == "");
      BOOST_TEST(edited(wide + "z", kBs + kBs) == "");
    }
  }
  BOOST_TEST(edited(k4Bytes + k3Bytes + k2Bytes + "x", kBs + kBs + kBs) == k4Bytes);
}

BOOST_AUTO_TEST_CASE(backspace_after_broken_utf8_erases_what_shows_as_one_replacement) {
  BOOST_TEST(edited("a\xe2\x82", kBs) == "a");      // truncated: one U+FFFD
  BOOST_TEST(edited("a\xf0\x9f\x98", kBs) == "a");  // truncated: one U+FFFD
  BOOST_TEST(edited("a\x80\x80", kBs) == "a\x80");  // stray continuations: one U+FFFD each
  BOOST_TEST(edited("a\xc3\xa9\xa9", kBs) == "a\xc3\xa9");
  BOOST_TEST(edited("a\xff", kBs) == "a");
  BOOST_TEST(edited("\x80\x80\x80\x80\x80", kBs) == "\x80\x80\x80\x80");
  BOOST_TEST(edited("a\xc0\xaf", kBs) == "a\xc0");  // overlong: two U+FFFD
}

BOOST_AUTO_TEST_CASE(ctrl_u_erases_the_whole_line) {
  BOOST_TEST(edited("hello " + k3Bytes + " world", kCtrlU) == "");
  BOOST_TEST(edited("abc", kCtrlU + kBs) == "");
}

BOOST_AUTO_TEST_CASE(ctrl_w_erases_the_word_before_and_the_spaces_after_it) {
  BOOST_TEST(edited("one two", kCtrlW) == "one ");
  BOOST_TEST(edited("one two  ", kCtrlW) == "one ");
  BOOST_TEST(edited("one two \t ", kCtrlW) == "one ");
  BOOST_TEST(edited("one two", kCtrlW + kCtrlW) == "");
  BOOST_TEST(edited("word", kCtrlW) == "");
  BOOST_TEST(edited("   ", kCtrlW) == "");
  BOOST_TEST(edited("say h" + k2Bytes + "llo" + k4Bytes, kCtrlW) == "say ");
  BOOST_TEST(edited("/msg Bob hi", kCtrlW) == "/msg Bob ");
}

BOOST_AUTO_TEST_CASE(other_bytes_are_not_edits) {
  for (int c = 0; c < 256; ++c) {
    const char byte = static_cast<char>(c);
    const bool key = byte == '\b' || byte == '\x7f' || byte == '\x15' || byte == '\x17';
    BOOST_TEST(ld::isEditKey(byte) == key, "byte " << c);
    if (!key) BOOST_TEST(edited("ab", std::string(1, byte)) == "ab", "byte " << c);
  }
}

BOOST_AUTO_TEST_CASE(find_stop_finds_the_first_line_end_nul_or_key_at_any_position) {
  const std::string stops("\n\0\b\x7f\x15\x17", 6);
  for (std::size_t length = 0; length < 40; ++length) {
    const std::string text(length, 'x');
    BOOST_TEST(ld::findStop(text) == std::string::npos);
    for (char stop : stops) {
      BOOST_TEST(ld::findStop(text + stop + "\n") == length, "length " << length);
    }
  }
  // Bytes close to the stops, and bytes with the high bit set, are passed over.
  const std::string near = "\r\t\x1b\x01\x1f \x7e\x80\xff\xc3\xa9\xe2\x82\xac\x97\x95";
  BOOST_TEST(ld::findStop(near) == std::string::npos);
  BOOST_TEST(ld::findStop(near + near + kDel) == 2 * near.size());
}

// Through the input path --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(typed_key_by_key_the_line_arrives_corrected) {
  // Windows telnet: one key per packet, Backspace as BS, Enter as CR LF.
  std::vector<std::string> keys;
  for (char c : std::string("Hey\bllo\r\n")) keys.emplace_back(1, c);
  BOOST_TEST(readAll(keys) == lines({"Hello"}));
  checkEveryCut("Hey\bllo\r\n", lines({"Hello"}));
  checkEveryCut("Hey\x7fllo\r\n", lines({"Hello"}));
}

BOOST_AUTO_TEST_CASE(keys_at_the_start_of_a_line_erase_nothing_of_the_line_before) {
  checkEveryCut("one\n\b\x7f\x15\x17two\n", lines({"one", "two"}));
  checkEveryCut("\b\bx\n", lines({"x"}));
}

BOOST_AUTO_TEST_CASE(backspace_after_multibyte_characters_across_reads) {
  for (const std::string& wide : {k2Bytes, k3Bytes, k4Bytes}) {
    BOOST_TEST_CONTEXT("character of " << wide.size() << " bytes") {
      checkEveryCut("a" + wide + kBs + "b\n", lines({"ab"}));
      checkEveryCut(wide + wide + kDel + "\r\n", lines({wide}));
    }
  }
}

BOOST_AUTO_TEST_CASE(ctrl_u_and_ctrl_w_across_reads) {
  checkEveryCut("wrong" + kCtrlU + "right\r\n", lines({"right"}));
  checkEveryCut("one two" + kCtrlW + "three\r\n", lines({"one three"}));
  checkEveryCut("one two  " + kCtrlW + kCtrlW + "x\n", lines({"x"}));
}

BOOST_AUTO_TEST_CASE(cr_nul_ends_a_line_as_cr_lf_and_lf_do) {
  checkEveryCut("one" + kCrNul + "two\r\nthree\nfour" + kCrNul,
                lines({"one", "two", "three", "four"}));
  checkEveryCut(kCrNul + kCrNul, lines({"", ""}));
  // A NUL not after a CR is a control byte in the line, removed or refused later.
  checkEveryCut(std::string("a\0b\n", 4), lines({std::string("a\0b", 3)}));
  checkEveryCut(std::string("\0\r\n", 3), lines({std::string("\0", 1)}));
  // A CR elsewhere stays for the later stages to remove, as before.
  checkEveryCut("over\rwrite\r\n", lines({"over\rwrite"}));
}

BOOST_AUTO_TEST_CASE(cr_nul_means_the_two_bytes_in_a_row) {
  // An erased CR does not make a later NUL end the line, nor does a CR erased after.
  checkEveryCut(std::string("a\r\b\0b\n", 6), lines({std::string("a\0b", 3)}));
  checkEveryCut(std::string("a\rb\b\0c\n", 7), lines({std::string("a\r\0c", 4)}));
}

BOOST_AUTO_TEST_CASE(keys_mixed_with_telnet_commands) {
  using namespace telnet_bytes;
  // A negotiation between the text and the key, between CR and NUL, and an escaped 0xFF erased.
  checkEveryCut("Hey" + cmd(kDo, kEcho) + kBs + "llo\r" + cmd(kWill, kNaws) + std::string(1, '\0'),
                lines({"Hello"}));
  checkEveryCut("a" + std::string{kIac, kIac} + kBs + "b\n", lines({"ab"}));
  checkEveryCut("x" + std::string{kIac, '\xf1'} + kCtrlU + "y" + cmd(kWont, kEcho) + "\r\n",
                lines({"y"}));
}

BOOST_AUTO_TEST_CASE(the_limit_applies_to_the_line_as_edited) {
  // Erasing keeps a line within the limit, however much was typed over all.
  std::string typed;
  for (int i = 0; i < 20; ++i) typed += std::string(8, 'x') + kCtrlU;
  BOOST_TEST(readAll({typed + "12345678\r\n"}, 8) == lines({"12345678"}));
  BOOST_TEST(readAll({"123456789" + kBs + "\n"}, 8) == lines({"12345678"}));
  // Once the line held goes past the limit it is too long, even if it is erased later.
  BOOST_TEST(readAll({"1234567890" + kCtrlU + "ok\nnext\n"}, 8) == (Read{{"next"}, 1}));
  BOOST_TEST(readAll({"1234567890", kCtrlU + "ok", "\nnext\n"}, 8) == (Read{{"next"}, 1}));
}

BOOST_AUTO_TEST_CASE(a_line_too_long_ends_at_cr_nul_too) {
  const std::string too_long(20, 'z');
  checkEveryCut(too_long + kCrNul + "after" + kCrNul, Read{{"after"}, 1}, 8);
  BOOST_TEST(readAll({too_long + "\r", std::string(1, '\0') + "x\n"}, 8) == (Read{{"x"}, 1}));
  // While a line is discarded, a NUL that is not after a CR does not end it.
  BOOST_TEST(readAll({too_long + std::string("\0more\nx\n", 8)}, 8) == (Read{{"x"}, 1}));
}

BOOST_AUTO_TEST_CASE(held_bytes_and_memory_stay_within_the_limit_with_edits) {
  chat::LineReader reader(4096);
  std::vector<std::string> seen;
  const auto on_line = [&](std::string_view line) {
    seen.emplace_back(line);
    return true;
  };
  const auto on_too_long = [] {
    BOOST_ERROR("no line here is too long");
    return true;
  };
  reader.feed(std::string(4090, 'y'), on_line, on_too_long);
  // Typed up to the limit and erased again, over and over: the line is never longer than 4097.
  for (int i = 0; i < 1000; ++i) {
    reader.feed("1234567" + std::string(7, '\b'), on_line, on_too_long);
    BOOST_TEST_REQUIRE(reader.buffered() <= 4097u);
    BOOST_TEST_REQUIRE(reader.reserved() <= 4097u);
  }
  reader.feed("\r\n", on_line, on_too_long);
  BOOST_TEST(seen == std::vector<std::string>{std::string(4090, 'y')});
}

BOOST_AUTO_TEST_CASE(stopping_after_a_cr_nul_line_reports_what_was_consumed) {
  chat::LineReader reader(4096);
  const std::string chunk = "a\bfirst" + kCrNul + "second\n";
  const std::size_t used = reader.feed(
      chunk, [](std::string_view line) { return line != "first"; }, [] { return true; });
  BOOST_TEST(used == 9u);
}

BOOST_AUTO_TEST_SUITE_END()
